package dev.parley.app;

import dev.parley.schemas.Development;
import dev.parley.schemas.NegotiationStatus;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.streams.errors.InvalidStateStoreException;

/** The topology's state in memory: what one instance holds, where the rest is, and the log of record. */
final class InMemoryNegotiationState implements NegotiationQueries.State {

    NegotiationQueries.Location location = new NegotiationQueries.Here(null);
    final Map<String, NegotiationQueries.Location> locations = new HashMap<>();
    List<String> others = List.of();
    boolean storesOpen = true;
    final Map<String, NegotiationStatus> statuses = new HashMap<>();
    final Map<String, List<Development>> developments = new HashMap<>();
    final Map<String, List<Development>> log = new HashMap<>();
    int logReads;

    void holds(String negotiationId, NegotiationStatus status, List<Development> latestRevisions) {
        statuses.put(negotiationId, status);
        // The store's order is by key, not by event time: the queries must not depend on it.
        List<Development> shuffled = new ArrayList<>(latestRevisions);
        Collections.reverse(shuffled);
        developments.put(negotiationId, shuffled);
    }

    @Override
    public NegotiationQueries.Location locate(String negotiationId) {
        return locations.getOrDefault(negotiationId, location);
    }

    @Override
    public Optional<NegotiationStatus> status(String negotiationId, NegotiationQueries.Here here) {
        open();
        return Optional.ofNullable(statuses.get(negotiationId));
    }

    @Override
    public List<Development> developments(String negotiationId, NegotiationQueries.Here here) {
        open();
        return developments.getOrDefault(negotiationId, List.of());
    }

    @Override
    public List<Development> loggedDevelopments(String negotiationId) {
        logReads++;
        return log.getOrDefault(negotiationId, List.of());
    }

    @Override
    public List<NegotiationStatus> localStatuses() {
        open();
        return List.copyOf(statuses.values());
    }

    @Override
    public List<String> otherInstances() {
        return others;
    }

    private void open() {
        if (!storesOpen) {
            throw new InvalidStateStoreException("the store is restoring");
        }
    }
}
