package dev.parley.streams;

import dev.parley.schemas.Development;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Every development of every negotiation, and for each item of a view the developments about it in event-time
 * order, in sorted key-value storage: the latest few developments about an item are a short range read, so a
 * development costs O(log n) whether it arrives in order, late, or as a correction.
 *
 * <p>Which developments are the latest and earliest of recently used items is also kept, up to date through
 * {@link #add} and {@link #remove}: a busy item is recomputed from its latest 20 developments at each new one, and
 * the range read that found them was a large part of reading them back. Their ids only: the developments come
 * from {@code developments} (the topology's keeps the recently used decoded), so what is kept here holds no
 * development in memory. Only for an owner that is rebuilt whenever its storage is (a processor, in {@code init}),
 * so the two never disagree.
 */
final class DevelopmentIndex {

    /** Items whose latest and earliest developments' ids are kept: a busy negotiation's view has a hundred or so. */
    static final int KEPT_ITEMS = 1_024;

    private final SortedKeyValues<Development> developments;
    private final SortedKeyValues<String> supersededBy;
    private final SortedKeyValues<String> entries;
    private final Map<String, Window> latest = recentlyUsed();
    private final Map<String, Window> earliest = recentlyUsed();

    DevelopmentIndex(SortedKeyValues<Development> developments, SortedKeyValues<String> supersededBy,
                     SortedKeyValues<String> entries) {
        this.developments = developments;
        this.supersededBy = supersededBy;
        this.entries = entries;
    }

    static DevelopmentIndex inMemory() {
        return new DevelopmentIndex(SortedKeyValues.inMemory(), SortedKeyValues.inMemory(), SortedKeyValues.inMemory());
    }

    /** The key of a development in {@code developments}: ids are unique within a negotiation. */
    static String developmentKey(String negotiationId, String developmentId) {
        return negotiationId + ItemKey.SEP + developmentId;
    }

    /** The latest revision received of a development, in force or not; null if none. */
    Development development(String negotiation, String developmentId) {
        return developments.get(developmentKey(negotiation, developmentId));
    }

    void store(Development d) {
        developments.put(developmentKey(d.getNegotiationId(), d.getDevelopmentId()), d);
    }

    /** The id of the correction or retraction that replaced a development; null if none did. */
    String supersededBy(String negotiation, String developmentId) {
        return supersededBy.get(negotiation + ItemKey.SEP + developmentId);
    }

    void supersede(String negotiation, String developmentId, String by) {
        supersededBy.put(negotiation + ItemKey.SEP + developmentId, by);
    }

    void add(Development d, ItemKey item) {
        String prefix = prefix(d.getNegotiationId(), item);
        String sortKey = Chronology.sortKey(d);
        entries.put(prefix + sortKey, d.getDevelopmentId());
        Window latestKept = latest.get(prefix);
        if (latestKept != null) {
            latestKept.add(sortKey, d.getDevelopmentId());
        }
        Window earliestKept = earliest.get(prefix);
        if (earliestKept != null) {
            earliestKept.add(sortKey, d.getDevelopmentId());
        }
    }

    void remove(Development d, ItemKey item) {
        String prefix = prefix(d.getNegotiationId(), item);
        String sortKey = Chronology.sortKey(d);
        entries.delete(prefix + sortKey);
        Window latestKept = latest.get(prefix);
        if (latestKept != null && !latestKept.remove(sortKey)) {
            latest.remove(prefix); // another development moves into the window: read it again when needed
        }
        Window earliestKept = earliest.get(prefix);
        if (earliestKept != null && !earliestKept.remove(sortKey)) {
            earliest.remove(prefix);
        }
    }

    /** Up to {@code limit} of the latest developments about an item, in event-time order (latest last). */
    List<Development> latest(String negotiation, ItemKey item, int limit) {
        String prefix = prefix(negotiation, item);
        Window kept = latest.get(prefix);
        if (kept == null || kept.limit != limit) {
            kept = read(prefix, limit, true);
            latest.put(prefix, kept);
        }
        List<Development> about = new ArrayList<>(kept.ids.size());
        for (String id : kept.ids.values()) {
            about.add(development(negotiation, id));
        }
        return about;
    }

    /** The earliest development about an item, or null. */
    Development earliest(String negotiation, ItemKey item) {
        String prefix = prefix(negotiation, item);
        Window kept = earliest.get(prefix);
        if (kept == null) {
            kept = read(prefix, 1, false);
            earliest.put(prefix, kept);
        }
        return kept.ids.isEmpty() ? null : development(negotiation, kept.ids.firstEntry().getValue());
    }

    private Window read(String prefix, int limit, boolean fromEnd) {
        Window window = new Window(limit, fromEnd);
        for (Map.Entry<String, String> entry : entries.withPrefix(prefix, limit, fromEnd)) {
            window.ids.put(entry.getKey().substring(prefix.length()), entry.getValue());
        }
        return window;
    }

    /**
     * The ids of the {@code limit} latest (or earliest) developments about an item by sort key, or of all of them if
     * it has fewer.
     * Kept exact by {@link #add} and {@link #remove} without reading: only removing one of a full window's needs the
     * storage, to find the one that takes its place.
     */
    private static final class Window {
        final int limit;
        final boolean latest;
        final TreeMap<String, String> ids = new TreeMap<>();

        Window(int limit, boolean latest) {
            this.limit = limit;
            this.latest = latest;
        }

        void add(String sortKey, String id) {
            if (ids.size() < limit) { // the window holds every development about the item
                ids.put(sortKey, id);
                return;
            }
            String outermost = latest ? ids.firstKey() : ids.lastKey();
            if (latest ? sortKey.compareTo(outermost) > 0 : sortKey.compareTo(outermost) < 0) {
                ids.put(sortKey, id);
                ids.remove(outermost);
            }
        }

        /** False if the window can no longer say which developments are in it (read it again). */
        boolean remove(String sortKey) {
            if (!ids.containsKey(sortKey)) {
                return true; // outside the window: it is unchanged
            }
            if (ids.size() < limit) {
                ids.remove(sortKey);
                return true;
            }
            return false;
        }
    }

    private static Map<String, Window> recentlyUsed() {
        return new LinkedHashMap<>(KEPT_ITEMS, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, Window> eldest) {
                return size() > KEPT_ITEMS;
            }
        };
    }

    private static String prefix(String negotiation, ItemKey item) {
        return negotiation + ItemKey.SEP + item.encoded();
    }
}
