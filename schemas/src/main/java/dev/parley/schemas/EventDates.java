package dev.parley.schemas;

import java.time.format.TextStyle;
import java.util.Locale;

/** Shows an {@link EventDate} as honestly as it is known: "early December 2025" is not a day. */
public final class EventDates {

    private EventDates() {
    }

    public static String display(EventDate date) {
        var start = date.getStart();
        String month = start.getMonth().getDisplayName(TextStyle.FULL, Locale.ENGLISH) + " " + start.getYear();
        return switch (date.getPrecision()) {
            case DAY -> start.getDayOfMonth() + " " + month;
            case WEEK -> "week of " + start.getDayOfMonth() + " " + month;
            case EARLY_MONTH -> "early " + month;
            case MID_MONTH -> "mid " + month;
            case LATE_MONTH -> "late " + month;
            case MONTH -> month;
            case YEAR -> String.valueOf(start.getYear());
            case APPROXIMATE -> "around " + start.getDayOfMonth() + " " + month;
        };
    }
}
