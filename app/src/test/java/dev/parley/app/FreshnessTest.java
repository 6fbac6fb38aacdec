package dev.parley.app;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.schemas.Change;
import dev.parley.schemas.ChangeKind;
import dev.parley.schemas.StatusChange;
import dev.parley.schemas.json.AvroJson;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class FreshnessTest {

    @Test
    void shouldReadTheDevelopmentsAChangeWasCausedByFromItsJsonAsDelivered() throws Exception {
        // given a change as a webhook or an event carries it: items before and after as JSON text, caused_by after them
        StatusChange change = new StatusChange("talks", 4L, 5L, List.of(
                new Change(ChangeKind.MEETING_HELD, "meeting:moscow", "{\"place\":\"Moscou\",\"caused_by\":[\"not-this\"]}",
                        "{\"place\":\"Moscou\",\"summary\":\"« très bonne »\"}")),
                List.of("moscow-meeting", "moscow-meeting-fix"), Instant.parse("2025-12-02T18:00:00Z"), false);

        // when
        List<String> fromBytes = Freshness.causedBy(AvroJson.MAPPER.createParser(AvroJson.toJsonBytes(change)));
        List<String> fromText = Freshness.causedBy(AvroJson.MAPPER.createParser(AvroJson.toJsonString(change)));

        // then
        assertThat(fromBytes).containsExactly("moscow-meeting", "moscow-meeting-fix");
        assertThat(fromText).isEqualTo(fromBytes);
        assertThat(Freshness.causedBy(AvroJson.MAPPER.createParser("\"connected\""))).isEmpty();
    }
}
