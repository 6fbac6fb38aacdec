package dev.parley.app;

import dev.parley.schemas.Development;
import dev.parley.schemas.NegotiationStatus;
import dev.parley.streams.StatusFold;
import dev.parley.streams.StatusQueries;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import org.apache.kafka.common.KafkaException;

/**
 * Questions about negotiations, answered from the status topology's state on this instance: found, not found, held
 * by another instance (which the caller asks instead), or not answerable right now. Never waits for state.
 */
final class NegotiationQueries {

    /** What a query found out. */
    sealed interface Answer<T> permits Found, NotFound, Elsewhere, Unavailable {
    }

    record Found<T>(T value) implements Answer<T> {
    }

    record NotFound<T>() implements Answer<T> {
    }

    /** Another instance holds the negotiation's state; {@code address} is its {@code host:port}. */
    record Elsewhere<T>(String address) implements Answer<T> {
    }

    /** The state cannot answer now (starting, or moving between instances); asking again soon will do. */
    record Unavailable<T>(String reason) implements Answer<T> {
    }

    /** Where a negotiation's state lives. */
    sealed interface Location permits Here, There, Unknown {
    }

    /** In this instance's stores; {@code partition} is null when this instance runs alone and holds every one. */
    record Here(Integer partition) implements Location {
    }

    record There(String address) implements Location {
    }

    /** No instance holds it right now: the group is rebalancing. */
    record Unknown() implements Location {
    }

    /**
     * The topology's state as the queries need it. Every method throws a {@link KafkaException} when it cannot
     * answer now ({@code InvalidStateStoreException} while the stores start or move, a timeout reading the log).
     */
    interface State {

        Location locate(String negotiationId);

        Optional<NegotiationStatus> status(String negotiationId, Here here);

        /** The latest revision of each development of the negotiation that the topology has folded, in no order. */
        List<Development> developments(String negotiationId, Here here);

        /** Every development of the negotiation on the log of record, every revision. */
        List<Development> loggedDevelopments(String negotiationId);

        /** The views this instance holds. */
        List<NegotiationStatus> localStatuses();

        /** The {@code host:port} of every other instance sharing the work. */
        List<String> otherInstances();
    }

    private final State state;

    NegotiationQueries(State state) {
        this.state = state;
    }

    /**
     * The view of a negotiation: the current one, or, with {@code asOf} and/or {@code knownAt}, the view folded from
     * the developments within those bounds (see {@link StatusFold#asOf}).
     */
    Answer<NegotiationStatus> status(String negotiationId, LocalDate asOf, Instant knownAt) {
        return fromItsState(negotiationId, here -> {
            if (asOf == null && knownAt == null) {
                return state.status(negotiationId, here).<Answer<NegotiationStatus>>map(Found::new).orElseGet(NotFound::new);
            }
            List<Development> developments = state.developments(negotiationId, here);
            if (developments.isEmpty()) {
                return new NotFound<>();
            }
            if (revisedAfter(developments, knownAt)) {
                // The state keeps only the latest revision of a development; the one known at knownAt is on the log.
                developments = state.loggedDevelopments(negotiationId);
            }
            return new Found<>(StatusFold.asOf(negotiationId, developments, asOf, knownAt));
        });
    }

    /** The developments in force, in event-time order, dated within {@code from} and {@code to} (inclusive, either may be null). */
    Answer<List<Development>> timeline(String negotiationId, LocalDate from, LocalDate to) {
        return fromItsState(negotiationId, here -> {
            List<Development> developments = state.developments(negotiationId, here);
            if (developments.isEmpty()) {
                return new NotFound<>();
            }
            return new Found<>(StatusFold.inForce(developments).stream()
                    .filter(d -> from == null || !d.getOccurredOn().getStart().isBefore(from))
                    .filter(d -> to == null || !d.getOccurredOn().getStart().isAfter(to))
                    .toList());
        });
    }

    /** The developments in force behind one item of the view, in event-time order (none for an unknown item). */
    Answer<List<Development>> itemHistory(String negotiationId, String item) {
        return fromItsState(negotiationId, here -> {
            List<Development> developments = state.developments(negotiationId, here);
            if (developments.isEmpty()) {
                return new NotFound<>();
            }
            return new Found<>(StatusQueries.itemHistory(developments, item));
        });
    }

    /** The views held here; the other instances hold the rest. */
    Answer<List<NegotiationStatus>> localStatuses() {
        try {
            return new Found<>(state.localStatuses());
        } catch (KafkaException e) { // InvalidStateStoreException among them
            return new Unavailable<>("the status topology is starting or rebalancing (" + e.getMessage() + ")");
        }
    }

    Answer<List<String>> otherInstances() {
        try {
            return new Found<>(state.otherInstances());
        } catch (KafkaException e) {
            return new Unavailable<>("the status topology is starting or rebalancing (" + e.getMessage() + ")");
        }
    }

    private <T> Answer<T> fromItsState(String negotiationId, Function<Here, Answer<T>> query) {
        try {
            Location location = state.locate(negotiationId);
            if (location instanceof There there) {
                return new Elsewhere<>(there.address());
            }
            if (location instanceof Here here) {
                return query.apply(here);
            }
            return new Unavailable<>("no instance holds negotiation \"" + negotiationId + "\" right now: the instances are sharing out the work");
        } catch (KafkaException e) { // InvalidStateStoreException, or Kafka unreachable for the log
            return new Unavailable<>("the state of negotiation \"" + negotiationId + "\" cannot be read right now (" + e.getMessage() + ")");
        }
    }

    /** Whether a development in the state replaced a revision of it that had been reported by {@code knownAt}. */
    private static boolean revisedAfter(List<Development> developments, Instant knownAt) {
        return knownAt != null && developments.stream().anyMatch(d -> d.getRevision() > 1 && d.getReportedAt().isAfter(knownAt));
    }
}
