package dev.parley.streams;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.schemas.DatePrecision;
import dev.parley.schemas.EventDate;
import dev.parley.schemas.StickingPoint;
import dev.parley.schemas.json.AvroJson;
import java.time.LocalDate;
import java.util.List;
import org.junit.jupiter.api.Test;

class ItemJsonTest {

    private static final EventDate DAY = new EventDate(LocalDate.parse("2025-12-02"), DatePrecision.DAY);

    @Test
    void shouldWriteEachItemsJsonOnceAndAnEqualItemOfItsOwnAgain() {
        ItemJson json = new ItemJson();
        StickingPoint item = new StickingPoint("financing", "« Le financement reste ouvert »", DAY, List.of(), List.of("d1"));
        StickingPoint equal = StickingPoint.newBuilder(item).build();

        String first = json.of(item);

        assertThat(first).isEqualTo(AvroJson.toJsonString(item));
        assertThat(json.of(item)).isSameAs(first);
        assertThat(json.of(equal)).isEqualTo(first).isNotSameAs(first);
        assertThat(json.of(null)).isNull();
    }

    @Test
    void shouldKeepOnlyTheLatestItemsUpToItsCapacity() {
        ItemJson json = new ItemJson();
        StickingPoint oldest = new StickingPoint("issue-0", "s", DAY, List.of(), List.of());
        String oldestJson = json.of(oldest);
        for (int i = 1; i <= ItemJson.CAPACITY; i++) {
            json.of(new StickingPoint("issue-" + i, "s", DAY, List.of(), List.of()));
        }

        assertThat(json.of(oldest)).isEqualTo(oldestJson).isNotSameAs(oldestJson);
    }
}
