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
        return d.getOccurredOn().getStart() + ItemKey.SEP
                + String.format("%015d", d.getReportedAt().toEpochMilli()) + ItemKey.SEP
                + d.getDevelopmentId() + ItemKey.SEP
                + String.format("%010d", d.getRevision());
    }
}
