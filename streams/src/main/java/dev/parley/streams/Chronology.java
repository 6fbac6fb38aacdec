package dev.parley.streams;

import dev.parley.schemas.Development;
import java.util.Comparator;

/**
 * The order in which developments happened: "latest" means latest by event date, then by when it was
 * reported, then by development id, so every reader agrees on it whatever order records arrived in.
 *
 * <p>A date with less than day precision ("early December 2025") is placed at the first day of its period:
 * it sorts before anything dated later in that period and after anything dated earlier. Its precision
 * only changes how it is displayed.
 */
public final class Chronology {

    public static final Comparator<Development> ORDER = Comparator
            .comparing((Development d) -> d.getOccurredOn().getStart())
            .thenComparing(Development::getReportedAt)
            .thenComparing(Development::getDevelopmentId)
            .thenComparingInt(Development::getRevision);

    private Chronology() {
    }

    /** A string that sorts as {@link #ORDER} does, for keys of a sorted store. */
    static String sortKey(Development d) {
        StringBuilder key = new StringBuilder(64).append(d.getOccurredOn().getStart()).append(ItemKey.SEP);
        zeroPadded(key, d.getReportedAt().toEpochMilli(), 15).append(ItemKey.SEP).append(d.getDevelopmentId()).append(ItemKey.SEP);
        return zeroPadded(key, d.getRevision(), 10).toString();
    }

    /** As {@code String.format("%0<width>d")} for a non-negative number, without parsing a format per call. */
    static StringBuilder zeroPadded(StringBuilder to, long number, int width) {
        if (number < 0) {
            return to.append(String.format("%0" + width + "d", number));
        }
        String digits = Long.toString(number);
        to.append("0".repeat(Math.max(0, width - digits.length())));
        return to.append(digits);
    }
}
