package dev.parley.streams;

import dev.parley.schemas.NegotiationStatus;
import dev.parley.schemas.StoredItem;
import dev.parley.schemas.StoredView;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.avro.specific.SpecificRecord;

/**
 * The items of every negotiation's view, shown or not, and each negotiation's view itself, in sorted key-value
 * storage: a development reads and writes only the items it is about, and the view shows the latest of each list
 * (see {@link ViewBounds}).
 *
 * <ul>
 *   <li>items: {@code negotiation, list, key} to the item's current value;</li>
 *   <li>ranks: {@code negotiation, list, rank} for each item ({@link ViewList#rank}), so a list's latest items are a
 *   short range read from its end, when an item shown leaves or sinks;</li>
 *   <li>views: each negotiation's view without its lists' items (version, counts, dates covered, phase, decision),
 *   with the keys of the items each list shows, so a view is put together again from point reads.</li>
 * </ul>
 *
 * The views and items used last are kept as objects; only for an owner that is rebuilt whenever its storage is
 * (a processor, in {@code init}), so the two never disagree.
 */
final class ItemStore {

    /** Views kept as objects: those of the negotiations a task folded last. */
    static final int KEPT_VIEWS = 256;
    /** Items kept as objects, shown or not. */
    static final int KEPT_ITEMS = 4_096;
    private static final SpecificRecord ABSENT = new StoredItem();

    private final SortedKeyValues<StoredItem> items;
    private final SortedKeyValues<String> ranks;
    private final SortedKeyValues<StoredView> views;
    private final ViewBounds bounds;
    private final Map<String, NegotiationStatus> recentViews = recentlyUsed(KEPT_VIEWS);
    private final Map<String, SpecificRecord> recentItems = recentlyUsed(KEPT_ITEMS);
    /** Each item's rank, kept by identity: a full list's lowest is looked for among its 25 at each new item. */
    private final RecentByIdentity<SpecificRecord, String> ranksOf;

    ItemStore(SortedKeyValues<StoredItem> items, SortedKeyValues<String> ranks, SortedKeyValues<StoredView> views,
              ViewBounds bounds) {
        this.items = items;
        this.ranks = ranks;
        this.views = views;
        this.bounds = bounds;
        this.ranksOf = new RecentByIdentity<>(KEPT_ITEMS, item -> ViewList.of(item).rank(item));
    }

    static ItemStore inMemory(ViewBounds bounds) {
        return new ItemStore(SortedKeyValues.inMemory(), SortedKeyValues.inMemory(), SortedKeyValues.inMemory(), bounds);
    }

    /** An item's current value, shown or not; null if there is none. */
    SpecificRecord item(String negotiation, ViewList list, String key) {
        String storeKey = itemKey(negotiation, list, key);
        SpecificRecord kept = recentItems.get(storeKey);
        if (kept == null) {
            StoredItem stored = items.get(storeKey);
            kept = stored == null ? ABSENT : (SpecificRecord) stored.getValue();
            recentItems.put(storeKey, kept);
        }
        return kept == ABSENT ? null : kept;
    }

    /** An item's rank in its list ({@link ViewList#rank}). */
    String rank(SpecificRecord item) {
        return ranksOf.apply(item);
    }

    /** Replaces an item's value {@code was} (null if new) by {@code now} (null to remove it). */
    void replace(String negotiation, ViewList list, SpecificRecord was, SpecificRecord now) {
        String key = list.key(now != null ? now : was);
        String storeKey = itemKey(negotiation, list, key);
        String rankWas = was == null ? null : rank(was);
        String rankNow = now == null ? null : rank(now);
        if (rankWas != null && !rankWas.equals(rankNow)) {
            ranks.delete(rankKey(negotiation, list, rankWas));
        }
        if (rankNow != null && !rankNow.equals(rankWas)) { // a late development about an item leaves its rank as it was
            ranks.put(rankKey(negotiation, list, rankNow), key);
        }
        SpecificRecord value = now == null ? ABSENT : now;
        recentItems.put(storeKey, value);
        write(storeKey, value);
    }

    /** The latest items of a list, as the view shows them: at most {@link ViewBounds#listSize()}, in the list's order. */
    List<SpecificRecord> latest(String negotiation, ViewList list) {
        String prefix = listPrefix(negotiation, list);
        List<SpecificRecord> latest = new ArrayList<>();
        for (Map.Entry<String, String> entry : ranks.withPrefix(prefix, bounds.listSize(), true)) {
            latest.add(item(negotiation, list, entry.getValue()));
        }
        latest.sort(list.order());
        return latest;
    }

    /** The negotiation's view; null if nothing is known about it. */
    NegotiationStatus view(String negotiation) {
        NegotiationStatus view = recentViews.get(negotiation);
        if (view != null) {
            return view;
        }
        StoredView stored = views.get(negotiation);
        if (stored == null) {
            return null;
        }
        view = stored.getView();
        for (ViewList list : ViewList.values()) {
            List<String> keys = stored.getShown().get(list.field());
            if (keys != null) {
                List<SpecificRecord> shown = new ArrayList<>(keys.size());
                keys.forEach(key -> shown.add(item(negotiation, list, key)));
                list.show(view, shown);
            }
        }
        recentViews.put(negotiation, view);
        return view;
    }

    /** Keeps a negotiation's new view; the view is not changed afterwards (a fold step makes a new one). */
    void putView(NegotiationStatus view) {
        recentViews.put(view.getNegotiationId(), view);
        write(view);
    }

    private void write(String storeKey, SpecificRecord value) {
        if (value == ABSENT) {
            items.delete(storeKey);
        } else {
            items.put(storeKey, new StoredItem(value));
        }
    }

    private void write(NegotiationStatus view) {
        Map<String, List<String>> shown = new HashMap<>();
        for (ViewList list : ViewList.values()) {
            List<SpecificRecord> items = list.shown(view);
            if (!items.isEmpty()) {
                List<String> keys = new ArrayList<>(items.size());
                items.forEach(item -> keys.add(list.key(item)));
                shown.put(list.field(), keys);
            }
        }
        views.put(view.getNegotiationId(), new StoredView(withoutLists(view), shown));
    }

    /** The view with its lists empty. */
    static NegotiationStatus withoutLists(NegotiationStatus view) {
        return new NegotiationStatus(view.getNegotiationId(), view.getVersion(), view.getKnownAt(), view.getDevelopmentCount(),
                view.getCoveredFrom(), view.getCoveredTo(), view.getPhase(), view.getDecision(), List.of(), List.of(),
                List.of(), List.of(), List.of(), List.of(), List.of(), view.getItemCounts());
    }

    private static String itemKey(String negotiation, ViewList list, String key) {
        return listPrefix(negotiation, list) + key;
    }

    private static String rankKey(String negotiation, ViewList list, String rank) {
        return listPrefix(negotiation, list) + rank;
    }

    private static String listPrefix(String negotiation, ViewList list) {
        return negotiation + ItemKey.SEP + list.name() + ItemKey.SEP;
    }

    private static <V> Map<String, V> recentlyUsed(int capacity) {
        return new LinkedHashMap<>(Math.min(capacity, 1_024), 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, V> eldest) {
                return size() > capacity;
            }
        };
    }
}
