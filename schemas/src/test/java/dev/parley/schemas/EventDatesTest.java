package dev.parley.schemas;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.LocalDate;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class EventDatesTest {

    @ParameterizedTest
    @CsvSource({
            "2025-12-02, DAY, 2 December 2025",
            "2025-12-01, EARLY_MONTH, early December 2025",
            "2025-12-11, MID_MONTH, mid December 2025",
            "2025-12-01, MONTH, December 2025",
            "2025-12-01, WEEK, week of 1 December 2025",
            "2025-01-01, YEAR, 2025",
            "2025-12-04, APPROXIMATE, around 4 December 2025"})
    void shouldShowADateNoMorePreciselyThanItIsKnown(String start, DatePrecision precision, String shown) {
        assertThat(EventDates.display(new EventDate(LocalDate.parse(start), precision))).isEqualTo(shown);
    }
}
