package dev.parley.app;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.schemas.Change;
import dev.parley.schemas.ChangeKind;
import dev.parley.schemas.StatusChange;
import dev.parley.schemas.json.AvroJson;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
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

    @Test
    void shouldSayWhichSecondsOfSendsHadADeliverySlowerThanTheTarget() throws Exception {
        try (var freshness = new Freshness()) {
            // given developments sent while recording, one of them delivered late
            freshness.startRecording();
            freshness.sent("quick");
            freshness.sent("late");
            freshness.delivered(Freshness.SINK, List.of("quick"));
            Thread.sleep(350);
            freshness.delivered(Freshness.WEBHOOK, List.of("late"));

            // when
            var slowest = freshness.slowestBySecond();

            // then the second they were sent in counts the slowest of its deliveries, whichever way it went
            assertThat(slowest).containsOnlyKeys(0L);
            assertThat(slowest.get(0L)).isGreaterThanOrEqualTo(350_000L);
            assertThat(Freshness.slowSeconds(slowest)).startsWith("seconds of sends with a delivery over 300 ms: 1 of 1 (0 s: 3");
        }
        assertThat(Freshness.slowSeconds(new TreeMap<>(Map.of(0L, 120_000L, 1L, 1_250_000L, 2L, 90_000L))))
                .isEqualTo("seconds of sends with a delivery over 300 ms: 1 of 3 (1 s: 1,250 ms)");
    }
}
