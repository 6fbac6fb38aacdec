package dev.parley.streams;

import dev.parley.schemas.Development;
import dev.parley.schemas.NegotiationStatus;
import dev.parley.schemas.StoredView;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;

/**
 * What the topology's state answers, read through interactive queries: a negotiation's view as the topology
 * publishes it, its developments, and the developments behind one item. Reads only; the caller finds the stores
 * (one partition's, or every one held here) and says what to do while they cannot answer.
 */
public final class StatusQueries {

    private final Function<String, ReadOnlyKeyValueStore<String, ?>> stores;
    private final ViewBounds bounds;

    /** @param stores the store of each name ({@link StatusTopology}'s constants) to read */
    public StatusQueries(Function<String, ReadOnlyKeyValueStore<String, ?>> stores) {
        this(stores, ViewBounds.DEFAULT);
    }

    StatusQueries(Function<String, ReadOnlyKeyValueStore<String, ?>> stores, ViewBounds bounds) {
        this.stores = stores;
        this.bounds = bounds;
    }

    /** A negotiation's current view, as published on {@code parley.status}; empty when the negotiation is unknown. */
    public Optional<NegotiationStatus> view(String negotiationId) {
        ItemStore items = new ItemStore(store(StatusTopology.ITEMS_STORE), store(StatusTopology.RANKS_STORE),
                store(StatusTopology.VIEWS_STORE), bounds);
        return Optional.ofNullable(items.view(negotiationId))
                .map(view -> ViewFit.fit(view, bounds));
    }

    /**
     * Each negotiation's view without its lists (version, known-at, counts, dates covered, phase, decision), from the
     * stores given: the cheap summary of every negotiation.
     */
    public List<NegotiationStatus> summaries() {
        List<NegotiationStatus> summaries = new ArrayList<>();
        try (var all = this.<StoredView>typed(StatusTopology.VIEWS_STORE).all()) {
            all.forEachRemaining(entry -> summaries.add(entry.value.getView()));
        }
        return summaries;
    }

    /** The latest revision of a development the topology has folded; empty when it has none. */
    public Optional<Development> development(String negotiationId, String developmentId) {
        return Optional.ofNullable(this.<Development>typed(StatusTopology.DEVELOPMENTS_STORE)
                .get(DevelopmentIndex.developmentKey(negotiationId, developmentId)));
    }

    /** Every development of a negotiation the topology has received (latest revisions, corrected ones included). */
    public List<Development> developments(String negotiationId) {
        List<Development> developments = new ArrayList<>();
        String prefix = DevelopmentIndex.developmentKey(negotiationId, "");
        try (var all = this.<Development>typed(StatusTopology.DEVELOPMENTS_STORE).range(prefix, prefix + Character.MAX_VALUE)) {
            all.forEachRemaining(entry -> developments.add(entry.value));
        }
        return developments;
    }

    /**
     * The developments in force behind one item of the view, named as changes name it ("meeting:florida-follow-up",
     * "statements:said:UA/financing", "claim:pokrovsk-capture"), in event-time order: its whole history, which the
     * view shows only the latest of.
     */
    public List<Development> itemHistory(String negotiationId, String item) {
        return itemHistory(developments(negotiationId), item);
    }

    /** Of a negotiation's developments, those in force behind {@code item}, in event-time order. */
    public static List<Development> itemHistory(List<Development> developments, String item) {
        return StatusFold.inForce(developments).stream()
                .filter(d -> ItemKey.of(d).stream().anyMatch(key -> key.viewItem().equals(item)))
                .toList();
    }

    private <V> SortedKeyValues<V> store(String name) {
        return SortedKeyValues.readOnly(typed(name));
    }

    @SuppressWarnings("unchecked")
    private <V> ReadOnlyKeyValueStore<String, V> typed(String name) {
        return (ReadOnlyKeyValueStore<String, V>) stores.apply(name);
    }
}
