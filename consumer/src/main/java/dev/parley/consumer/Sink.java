package dev.parley.consumer;

import dev.parley.schemas.StatusChange;

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

    @Override
    default void close() throws Exception {
    }
}
