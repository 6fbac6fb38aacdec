package dev.parley.streams;

import dev.parley.schemas.Development;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * Every development of every negotiation, and for each item of a view the developments about it in event-time
 * order, in sorted key-value storage: the latest few developments about an item are a short range read, so a
 * development costs O(log n) whether it arrives in order, late, or as a correction.
 */
final class DevelopmentIndex {

    private final SortedKeyValues<Development> developments;
    private final SortedKeyValues<String> supersededBy;
    private final SortedKeyValues<String> entries;

    DevelopmentIndex(SortedKeyValues<Development> developments, SortedKeyValues<String> supersededBy,
                     SortedKeyValues<String> entries) {
        this.developments = developments;
        this.supersededBy = supersededBy;
        this.entries = entries;
    }

    static DevelopmentIndex inMemory() {
        return new DevelopmentIndex(SortedKeyValues.inMemory(), SortedKeyValues.inMemory(), SortedKeyValues.inMemory());
    }

    /** The latest revision received of a development, in force or not; null if none. */
    Development development(String negotiation, String developmentId) {
        return developments.get(StatusTopology.developmentKey(negotiation, developmentId));
    }

    void store(Development d) {
        developments.put(StatusTopology.developmentKey(d.getNegotiationId(), d.getDevelopmentId()), d);
    }

    /** The id of the correction or retraction that replaced a development; null if none did. */
    String supersededBy(String negotiation, String developmentId) {
        return supersededBy.get(negotiation + ItemKey.SEP + developmentId);
    }

    void supersede(String negotiation, String developmentId, String by) {
        supersededBy.put(negotiation + ItemKey.SEP + developmentId, by);
    }

    void add(Development d, ItemKey item) {
        entries.put(prefix(d.getNegotiationId(), item) + Chronology.sortKey(d), d.getDevelopmentId());
    }

    void remove(Development d, ItemKey item) {
        entries.delete(prefix(d.getNegotiationId(), item) + Chronology.sortKey(d));
    }

    /** Up to {@code limit} of the latest developments about an item, in event-time order (latest last). */
    List<Development> latest(String negotiation, ItemKey item, int limit) {
        List<Development> latestFirst = new ArrayList<>(limit);
        for (String id : entries.withPrefix(prefix(negotiation, item), limit, true)) {
            latestFirst.add(development(negotiation, id));
        }
        Collections.reverse(latestFirst);
        return latestFirst;
    }

    /** The earliest development about an item, or null. */
    Development earliest(String negotiation, ItemKey item) {
        List<String> first = entries.withPrefix(prefix(negotiation, item), 1, false);
        return first.isEmpty() ? null : development(negotiation, first.get(0));
    }

    private static String prefix(String negotiation, ItemKey item) {
        return negotiation + ItemKey.SEP + item.encoded();
    }
}
