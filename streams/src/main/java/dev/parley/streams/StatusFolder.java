package dev.parley.streams;

import dev.parley.schemas.Development;
import dev.parley.schemas.NegotiationStatus;
import dev.parley.schemas.StatusChange;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Metrics;
import io.micrometer.core.instrument.Timer;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;

/** The stateful edge around {@link StatusFold}: state stores in, the new view and its change out. */
final class StatusFolder implements Processor<String, Development, String, StatusUpdate> {

    /** Views kept as objects, so the next development of a busy negotiation does not read its view back from bytes. */
    static final int RECENT_VIEWS = 256;

    // Counted as processed: a transaction aborted by a crash is processed, and counted, again.
    private static final Timer FOLD_TIME = Timer.builder("parley.fold")
            .description("Time to fold one development into its negotiation's view, state stores included")
            .publishPercentileHistogram().register(Metrics.globalRegistry);
    private static final Counter CHANGES_EMITTED = Counter.builder("parley.status.changes.emitted")
            .description("Status changes the topology emitted").register(Metrics.globalRegistry);

    private ProcessorContext<String, StatusUpdate> context;
    private KeyValueStore<String, NegotiationStatus> statuses;
    private StatusFold fold;
    // Written together with the store, and dropped with this processor's task, so it never disagrees with the store.
    private final Map<String, NegotiationStatus> recentViews = new LinkedHashMap<>(RECENT_VIEWS, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, NegotiationStatus> eldest) {
            return size() > RECENT_VIEWS;
        }
    };

    @Override
    public void init(ProcessorContext<String, StatusUpdate> context) {
        this.context = context;
        this.recentViews.clear(); // a revived task starts again from its store
        this.statuses = context.getStateStore(StatusTopology.STATUS_STORE);
        this.fold = new StatusFold(new DevelopmentIndex(
                SortedKeyValues.of(context.getStateStore(StatusTopology.DEVELOPMENTS_STORE)),
                SortedKeyValues.of(context.getStateStore(StatusTopology.SUPERSEDED_STORE)),
                SortedKeyValues.of(context.getStateStore(StatusTopology.ITEMS_STORE))));
    }

    @Override
    public void process(Record<String, Development> record) {
        long start = System.nanoTime();
        try {
            fold(record);
        } finally {
            FOLD_TIME.record(System.nanoTime() - start, TimeUnit.NANOSECONDS);
        }
    }

    private void fold(Record<String, Development> record) {
        Development development = record.value();
        if (development == null) {
            return; // a tombstone on the log of record means nothing
        }
        String negotiation = development.getNegotiationId();
        if (!negotiation.equals(record.key())) {
            throw new IllegalArgumentException("record key \"" + record.key() + "\" is not the development's negotiation_id \""
                    + negotiation + "\" (expected the negotiation id as key)");
        }
        NegotiationStatus before = recentViews.get(negotiation);
        if (before == null) {
            before = statuses.get(negotiation);
        }
        if (before == null) {
            before = StatusFold.empty(negotiation);
        }
        StatusFold.Outcome outcome = fold.apply(before, development);
        if (outcome.status().equals(before)) {
            return; // a duplicate, or nothing a reader would see
        }
        StatusChange change = outcome.changes().isEmpty() ? null
                : new StatusChange(negotiation, before.getVersion(), outcome.status().getVersion(), outcome.changes(),
                        List.of(development.getDevelopmentId()), development.getReportedAt(), false);
        statuses.put(negotiation, outcome.status());
        recentViews.put(negotiation, outcome.status());
        context.forward(record.withValue(new StatusUpdate(outcome.status(), change)));
        if (change != null) {
            CHANGES_EMITTED.increment();
        }
    }

    @Override
    public void close() {
        recentViews.clear();
    }
}
