package dev.parley.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ChangeStreamTest {

    @Test
    void shouldReadANegotiationsEventIdAsTheVersionOfItsView() {
        // when / then
        assertThat(ChangeStream.parseVersion("12")).isEqualTo(12L);
        assertThat(ChangeStream.parseVersion("0")).isZero();
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "twelve", "-1", "1.5", "0-12.1-7"})
    void shouldRefuseAnEventIdThatIsNotAVersionWithAMessageThatSaysWhatWasExpected(String id) {
        // when / then
        assertThatThrownBy(() -> ChangeStream.parseVersion(id))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("Last-Event-ID: \"" + id + "\" is not a version of the negotiation's view"
                        + " (expected a whole number from 0, e.g. 12, as sent in an event's id)");
    }

    @ParameterizedTest
    @ValueSource(strings = {"text/event-stream", "text/event-stream, */*", "*/*", "text/*", "application/json;q=0.9, */*;q=0.1",
            "TEXT/EVENT-STREAM; charset=utf-8", " "})
    void shouldStreamToAClientWhoseAcceptAllowsAnEventStream(String accept) {
        assertThat(ChangeStream.acceptsEventStream(accept)).isTrue();
        assertThat(ChangeStream.acceptsEventStream(null)).as("no Accept header: anything").isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {"application/json", "text/html", "text/event-stream;q=0, application/json", "*/*;q=0.0"})
    void shouldRefuseAClientWhoseAcceptRulesOutAnEventStream(String accept) {
        assertThat(ChangeStream.acceptsEventStream(accept)).isFalse();
    }
}
