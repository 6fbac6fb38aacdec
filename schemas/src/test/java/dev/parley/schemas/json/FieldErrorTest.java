package dev.parley.schemas.json;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class FieldErrorTest {

    @Test
    void shouldKeepAnErrorOnOneLineWhateverTheValueHolds() {
        // given a value with a line break that would forge a second error line, and a tab
        FieldError error = new FieldError("negotiation_id", "\"fuzz\nin.ndjson:9: all good\"", "an id\t(expected lower-case letters)");

        // when / then
        assertThat(error.message()).isEqualTo("negotiation_id: \"fuzz\\u000Ain.ndjson:9: all good\" is not an id\\u0009(expected lower-case letters)")
                .doesNotContain("\n", "\t");
    }

    @Test
    void shouldShowALongValueByItsStartAndLength() {
        // when
        FieldError error = new FieldError("summary", "\"" + "a".repeat(1_000_000) + "\"", "a summary");

        // then
        assertThat(error.value()).hasSize(FieldError.MAX_SHOWN_CHARS - 30 + "… (1000002 characters)".length())
                .endsWith("a… (1000002 characters)");
    }
}
