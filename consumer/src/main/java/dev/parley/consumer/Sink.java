package dev.parley.consumer;

import dev.parley.schemas.StatusChange;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A downstream place status changes are pushed to. Each sink reads with its own consumer group, so a slow
 * or failing sink never holds back another; a sink ignores a change it already has (same negotiation, version).
 */
public interface Sink extends AutoCloseable {

    /** Short, stable name; the sink's consumer group is {@code parley-sink-<name>}. */
    String name();

    /**
     * Delivers one change; throwing means it was not delivered and will be offered again.
     *
     * @return true if delivered now, false if the sink already had it (same negotiation and version)
     */
    boolean accept(StatusChange change) throws Exception;

    /**
     * Delivers a poll's worth of changes at once, where the sink can do better than one at a time (a webhook posts
     * different negotiations' changes side by side, an Atom feed is written once per negotiation), each negotiation's
     * in order. Never throws: a change it could not
     * deliver, and every later one of its negotiation, is left out, and is offered again through {@link #accept},
     * whose retries and parking then apply as usual. By default it leaves out everything.
     *
     * @return per change, in the same order, what became of it
     */
    default List<Delivery> acceptAll(List<StatusChange> changes) {
        return java.util.Collections.nCopies(changes.size(), Delivery.LEFT_OUT);
    }

    /** Where each negotiation's changes are in a poll, in order, for {@link #acceptAll}: negotiations in order of first change. */
    static Map<String, List<Integer>> byNegotiation(List<StatusChange> changes) {
        Map<String, List<Integer>> positions = new LinkedHashMap<>();
        for (int i = 0; i < changes.size(); i++) {
            positions.computeIfAbsent(changes.get(i).getNegotiationId(), negotiation -> new ArrayList<>()).add(i);
        }
        return positions;
    }

    @Override
    default void close() throws Exception {
    }
}
