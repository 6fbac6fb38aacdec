package dev.parley.streams;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.schemas.DatePrecision;
import dev.parley.schemas.EventDate;
import dev.parley.schemas.StickingPoint;
import dev.parley.schemas.json.AvroJson;
import java.time.LocalDate;
import java.util.List;
import org.apache.avro.specific.SpecificRecord;
import org.junit.jupiter.api.Test;

class RecentByIdentityTest {

    private static final EventDate DAY = new EventDate(LocalDate.parse("2025-12-02"), DatePrecision.DAY);

    @Test
    void shouldComputeOncePerInstanceAndAgainForAnEqualInstance() {
        var json = new RecentByIdentity<SpecificRecord, String>(16, AvroJson::toJsonString);
        StickingPoint item = new StickingPoint("financing", "« Le financement reste ouvert »", DAY, List.of(), List.of("d1"));
        StickingPoint equal = StickingPoint.newBuilder(item).build();

        String first = json.apply(item);

        assertThat(first).isEqualTo(AvroJson.toJsonString(item));
        assertThat(json.apply(item)).isSameAs(first);
        assertThat(json.apply(equal)).isEqualTo(first).isNotSameAs(first);
        assertThat(json.apply(null)).isNull();
    }

    @Test
    void shouldKeepOnlyTheMostRecentlyUsedUpToItsCapacity() {
        var json = new RecentByIdentity<SpecificRecord, String>(8, AvroJson::toJsonString);
        StickingPoint oldest = new StickingPoint("issue-0", "s", DAY, List.of(), List.of());
        StickingPoint used = new StickingPoint("issue-1", "s", DAY, List.of(), List.of());
        String oldestJson = json.apply(oldest);
        String usedJson = json.apply(used);
        for (int i = 2; i <= 8; i++) {
            json.apply(new StickingPoint("issue-" + i, "s", DAY, List.of(), List.of()));
            json.apply(used);
        }

        assertThat(json.apply(used)).isSameAs(usedJson);
        assertThat(json.apply(oldest)).isEqualTo(oldestJson).isNotSameAs(oldestJson);
    }
}
