package dev.parley.streams;

import dev.parley.schemas.Development;
import dev.parley.schemas.NegotiationStatus;
import dev.parley.schemas.StoredItem;
import dev.parley.schemas.StoredView;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Map;

/**
 * A {@link StatusFold} over in-memory storage that can take the last development back out again, so a benchmark folds
 * the same development into the same history as often as it likes. Every write since the last {@link #apply} is
 * journaled and undone; the fold is then made afresh over the storage, so nothing it kept in memory outlives the undo,
 * and reads its negotiation's view back.
 */
public final class RewindableFold {

    private final Deque<Runnable> undo = new ArrayDeque<>();
    private final SortedKeyValues<Development> developments = journaled(SortedKeyValues.inMemory());
    private final SortedKeyValues<String> supersededBy = journaled(SortedKeyValues.inMemory());
    private final SortedKeyValues<String> index = journaled(SortedKeyValues.inMemory());
    private final SortedKeyValues<StoredItem> items = journaled(SortedKeyValues.inMemory());
    private final SortedKeyValues<String> ranks = journaled(SortedKeyValues.inMemory());
    private final SortedKeyValues<StoredView> views = journaled(SortedKeyValues.inMemory());
    private StatusFold fold = newFold();
    private String lastNegotiation;

    public StatusFold.Outcome apply(Development d) {
        undo.clear();
        lastNegotiation = d.getNegotiationId();
        return fold.apply(d);
    }

    /** The negotiation's view as the fold has it. */
    public NegotiationStatus view(String negotiationId) {
        return fold.view(negotiationId);
    }

    /**
     * Leaves the storage as it was before the last {@link #apply}, and the negotiation's view read back, as the topology
     * keeps the views of the negotiations it folds lately.
     */
    public void takeBack() {
        while (!undo.isEmpty()) {
            undo.pop().run();
        }
        fold = newFold();
        if (lastNegotiation != null) {
            fold.view(lastNegotiation);
        }
    }

    private StatusFold newFold() {
        return new StatusFold(new DevelopmentIndex(developments, supersededBy, index),
                new ItemStore(items, ranks, views, ViewBounds.DEFAULT), ViewBounds.DEFAULT);
    }

    private <V> SortedKeyValues<V> journaled(SortedKeyValues<V> storage) {
        return new SortedKeyValues<>() {
            public V get(String key) {
                return storage.get(key);
            }

            public void put(String key, V value) {
                remember(key);
                storage.put(key, value);
            }

            public void delete(String key) {
                remember(key);
                storage.delete(key);
            }

            public List<Map.Entry<String, V>> withPrefix(String prefix, int limit, boolean fromEnd) {
                return storage.withPrefix(prefix, limit, fromEnd);
            }

            private void remember(String key) {
                V before = storage.get(key);
                undo.push(before == null ? () -> storage.delete(key) : () -> storage.put(key, before));
            }
        };
    }
}
