package dev.parley.app;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.producer.DevelopmentValidator;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

/** How a request body is read, without a server: what {@code POST /api/developments} answers 400 to, and why. */
class DevelopmentsEndpointTest {

    private static final String DEVELOPMENT = "{\"development_id\":\"geneva\",\"negotiation_id\":\"n\",\"occurred_on\":{\"start\":\"2025-12-02\",\"precision\":\"DAY\"},"
            + "\"reported_at\":\"2025-12-02T18:00:00Z\",\"type\":\"MEETING\",\"summary\":\"s\",\"language\":\"fr\"}";

    private final DevelopmentValidator validator = new DevelopmentValidator(Clock.fixed(Instant.parse("2025-12-06T00:00:00Z"), ZoneOffset.UTC));

    @Test
    void shouldRefuseABodyWithMoreThanOneJsonValueRatherThanPublishTheFirst() {
        // given a development followed by a second one (a client that forgot the array), and by stray text
        // when
        var two = DevelopmentsEndpoint.read((DEVELOPMENT + DEVELOPMENT).getBytes(StandardCharsets.UTF_8), validator);
        var stray = DevelopmentsEndpoint.read((DEVELOPMENT + "}").getBytes(StandardCharsets.UTF_8), validator);

        // then neither is published as if the rest were not there
        assertThat(two.developments()).isEmpty();
        assertThat(two.errors()).singleElement().satisfies(error -> {
            assertThat(error.error().field()).isEqualTo("body");
            assertThat(error.error().expected()).isEqualTo("JSON (something follows the JSON value; expected nothing more at line 1, column 188)");
        });
        assertThat(stray.errors()).singleElement().satisfies(error -> assertThat(error.error().expected()).startsWith("JSON (Unexpected close marker '}'"));
        assertThat(DevelopmentsEndpoint.read(DEVELOPMENT.getBytes(StandardCharsets.UTF_8), validator).developments()).hasSize(1);
    }

    @Test
    void shouldCountEveryErrorButListOnlyTheFirstHundred() {
        // given a batch of 50,000 empty objects (150 kB): seven required fields missing in each
        String body = "[" + String.join(",", java.util.Collections.nCopies(50_000, "{}")) + "]";

        // when
        var read = DevelopmentsEndpoint.read(body.getBytes(StandardCharsets.UTF_8), validator);

        // then the answer stays small and still says how much is wrong
        assertThat(read.errorCount()).isEqualTo(350_000);
        assertThat(read.errors()).hasSize(DevelopmentsEndpoint.MAX_LISTED_ERRORS);
        assertThat(read.errors().get(0).index()).isZero();
        assertThat(read.developments()).isEmpty();
    }
}
