package dev.parley.producer;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.Reader;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

class DevelopmentReaderTest {

    private final DevelopmentReader reader = new DevelopmentReader(
            new DevelopmentValidator(Clock.fixed(Instant.parse("2025-12-06T00:00:00Z"), ZoneOffset.UTC)));

    @Test
    void shouldReadEverySampleDevelopmentOfTheSeedArticle() throws Exception {
        try (Reader sample = Files.newBufferedReader(Path.of("..", "samples", "ukraine-peace-2025.ndjson"), StandardCharsets.UTF_8)) {
            DevelopmentReader.Result result = reader.read(sample, "ukraine-peace-2025.ndjson");

            assertThat(result.errors()).isEmpty();
            assertThat(result.developments()).hasSizeGreaterThanOrEqualTo(20)
                    .allSatisfy(d -> assertThat(d.getNegotiationId()).isEqualTo("ukraine-peace-2025"));
        }
    }

    @Test
    void shouldReportEachBadFieldWithItsLine() throws Exception {
        String input = """
                {"development_id":"ok","negotiation_id":"n","occurred_on":{"start":"2025-12-02","precision":"DAY"},"reported_at":"2025-12-02T18:00:00Z","type":"MEETING","summary":"s","language":"fr"}

                {"development_id":"bad","negotiation_id":"n","occurred_on":{"start":"2025-13-02","precision":"DAY"},"reported_at":"2025-12-02T18:00:00Z","type":"MEETING","summary":"s","language":"fr"}
                {not json
                {"development_id":"Bad Id","negotiation_id":"n","occurred_on":{"start":"2025-12-02","precision":"DAY"},"reported_at":"2026-01-01T00:00:00Z","type":"MEETING","summary":"s","language":"fr","operation":"RETRACT"}
                """;

        DevelopmentReader.Result result = reader.read(new StringReader(input), "in.ndjson");

        assertThat(result.developments()).hasSize(1);
        assertThat(result.errors()).extracting(InputError::message).containsExactly(
                "in.ndjson:3: occurred_on.start: \"2025-13-02\" is not a date (expected YYYY-MM-DD)",
                "in.ndjson:4: line: \"{not json\" is not a JSON object (Unexpected character ('n' (code 110)): was expecting double-quote to start field name)",
                "in.ndjson:5: development_id: \"Bad Id\" is not an id (expected lower-case letters, digits, '.', '_' or '-', at most 200)",
                "in.ndjson:5: supersedes: null is not allowed for RETRACT (expected the development_id it retracts)",
                "in.ndjson:5: reported_at: \"2026-01-01T00:00:00Z\" is not in the past (expected when it was reported, at most an hour ahead of now 2025-12-06T00:00:00Z)");
    }
}
