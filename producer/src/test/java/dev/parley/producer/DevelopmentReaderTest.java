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

    @Test
    void shouldRejectALineWithMoreThanOneJsonValueRatherThanIgnoreTheRest() throws Exception {
        // given two developments on one line (a lost line break), and one followed by stray text
        String development = "{\"development_id\":\"ok\",\"negotiation_id\":\"n\",\"occurred_on\":{\"start\":\"2025-12-02\",\"precision\":\"DAY\"},"
                + "\"reported_at\":\"2025-12-02T18:00:00Z\",\"type\":\"MEETING\",\"summary\":\"s\",\"language\":\"fr\"}";
        String input = development + development.replace("\"ok\"", "\"lost\"") + "\n" + development + " trailing\n";

        // when
        DevelopmentReader.Result result = reader.read(new StringReader(input), "in.ndjson");

        // then neither line is taken as if the rest were not there, though a line of one development is
        assertThat(reader.read(new StringReader(development), "one.ndjson").developments()).hasSize(1);
        assertThat(result.developments()).isEmpty();
        assertThat(result.errors()).extracting(InputError::line).containsExactly(1, 2);
        assertThat(result.errors()).extracting(e -> e.error().expected())
                .containsExactly("a JSON object (something follows the JSON value; expected nothing more)",
                        "a JSON object (Unrecognized token 'trailing': was expecting (JSON String, Number, Array, Object or token 'null', 'true' or 'false'))");
    }

    @Test
    void shouldNameTheLineWhereAnInputGoesBeyondTheParsersLimits() throws Exception {
        // given, on line 3, 10,000 levels of nesting in JSON and in YAML, and a 5,000-digit number
        String deep = "[\n{},\n" + "[".repeat(10_000);
        String yaml = "- a: 1\n- b: 2\n- " + "[".repeat(10_000);
        String longNumber = "[\n{},\n{\"revision\": 1" + "0".repeat(5_000) + "}]";

        // when
        var deepErrors = reader.read(new StringReader(deep), "deep.json", InputFormat.JSON).errors();
        var yamlErrors = reader.read(new StringReader(yaml), "deep.yaml", InputFormat.YAML).errors();
        var numberErrors = reader.read(new StringReader(longNumber), "long.json", InputFormat.JSON).errors();

        // then each says where, and which limit
        assertThat(deepErrors).last().satisfies(error -> {
            assertThat(error.line()).isEqualTo(3);
            assertThat(error.message()).startsWith("deep.json:3: input: (unreadable) is not valid JSON (Document nesting depth (1001) exceeds the maximum allowed");
        });
        assertThat(yamlErrors).last().satisfies(error -> assertThat(error.line()).isEqualTo(3));
        assertThat(numberErrors).last().satisfies(error -> {
            assertThat(error.line()).isEqualTo(3);
            assertThat(error.message()).contains("Number value length");
        });
    }

    @Test
    void shouldReadAJsonArrayAndNameTheLineOfTheBadRecord() throws Exception {
        String input = """
                [
                  {"development_id":"a","negotiation_id":"n","occurred_on":{"start":"2025-12-02","precision":"DAY"},
                   "reported_at":"2025-12-02T18:00:00Z","type":"MEETING","summary":"s","language":"fr"},
                  {"development_id":"b","negotiation_id":"n","occurred_on":{"start":"2025-12-02","precision":"DAY"},
                   "reported_at":"2025-12-02T18:00:00Z","type":"MEETNG","summary":"s","language":"fr"}
                ]
                """;

        DevelopmentReader.Result result = reader.read(new StringReader(input), "in.json", InputFormat.JSON);

        assertThat(result.developments()).extracting(d -> d.getDevelopmentId()).containsExactly("a");
        assertThat(result.errors()).singleElement().extracting(InputError::message).asString()
                .startsWith("in.json:4: type: \"MEETNG\" is not one of PROPOSAL");
        assertThat(result.rejected()).isEqualTo(1);
    }

    @Test
    void shouldReadAYamlList() throws Exception {
        String input = """
                - development_id: a
                  negotiation_id: n
                  occurred_on: {start: "2025-12-01", precision: EARLY_MONTH}
                  reported_at: "2025-12-05T12:00:00Z"
                  type: PROPOSAL
                  summary: Washington a présenté une proposition.
                  language: fr
                - development_id: b
                  negotiation_id: n
                  occurred_on: {start: "2025-12-01", precision: EARLY_MONTH}
                  reported_at: "2025-12-05T12:01:00Z"
                  type: CONSULTATION
                  summary: Consultations avec Kiev.
                  language: fr
                """;

        DevelopmentReader.Result result = reader.read(new StringReader(input), "in.yaml", InputFormat.YAML);

        assertThat(result.errors()).isEmpty();
        assertThat(result.developments()).extracting(d -> d.getSummary())
                .containsExactly("Washington a présenté une proposition.", "Consultations avec Kiev.");
    }

    @Test
    void shouldReadCsvAndNameLineAndColumnOfAnInvalidDate() throws Exception {
        String input = """
                development_id,negotiation_id,occurred_on,precision,reported_at,type,summary,language,place,actors,claims,issues
                moscow,n,2025-12-02,DAY,2025-12-02T18:00:00Z,MEETING,"Rencontre à Moscou, « très bonne »",fr,Moscou,Steve Witkoff|ENVOY|US;Vladimir Poutine|HEAD_OF_STATE|RU,,peace-plan
                pokrovsk,n,2025-13-02,DAY,2025-12-02T18:00:00Z,MILITARY_CLAIM,Prise revendiquée,fr,,autorités russes|AUTHORITIES|RU,prise de Pokrovsk|autorités russes|ASSERTS,territory:pokrovsk
                """;

        DevelopmentReader.Result result = reader.read(new StringReader(input), "in.csv", InputFormat.CSV);

        assertThat(result.developments()).singleElement().satisfies(d -> {
            assertThat(d.getSummary()).isEqualTo("Rencontre à Moscou, « très bonne »");
            assertThat(d.getActors()).extracting(a -> a.getName() + "/" + a.getParty())
                    .containsExactly("Steve Witkoff/US", "Vladimir Poutine/RU");
        });
        assertThat(result.errors()).extracting(InputError::message).containsExactly(
                "in.csv:3: occurred_on (column 3): \"2025-13-02\" is not a date (expected YYYY-MM-DD)");
    }

    @Test
    void shouldReportAMalformedCsvCellAndTheOtherErrorsOfTheSameRow() throws Exception {
        String input = """
                development_id,negotiation_id,occurred_on,reported_at,type,summary,language,actors
                geneva,n,2025-12-32,2025-12-08T10:00:00Z,MEETING,Rencontre,fr,Steve Witkoff|ENVOY
                """;

        DevelopmentReader.Result result = reader.read(new StringReader(input), "in.csv", InputFormat.CSV);

        assertThat(result.errors()).extracting(InputError::message).containsExactly(
                "in.csv:2: actors (column 8): \"Steve Witkoff|ENVOY\" is not an entry of 3 parts (expected name|role|party, entries separated by ;)",
                "in.csv:2: occurred_on (column 3): \"2025-12-32\" is not a date (expected YYYY-MM-DD)");
    }

    @Test
    void shouldKeepARepeatedDevelopmentOnceAndCountTheDuplicate() throws Exception {
        String line = "{\"development_id\":\"a\",\"negotiation_id\":\"n\",\"occurred_on\":{\"start\":\"2025-12-02\",\"precision\":\"DAY\"},"
                + "\"reported_at\":\"2025-12-02T18:00:00Z\",\"type\":\"MEETING\",\"summary\":\"s\",\"language\":\"fr\"}";

        DevelopmentReader.Result result = reader.read(new StringReader(line + "\n" + line + "\n"), "in.ndjson");

        assertThat(result.developments()).hasSize(1);
        assertThat(result.duplicates()).isEqualTo(1);
    }
}
