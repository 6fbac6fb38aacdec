package dev.parley.streams;

import dev.parley.schemas.Development;
import dev.parley.schemas.NegotiationStatus;
import dev.parley.schemas.StatusChange;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Metrics;
import io.micrometer.core.instrument.Timer;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.streams.processor.api.FixedKeyProcessor;
import org.apache.kafka.streams.processor.api.FixedKeyProcessorContext;
import org.apache.kafka.streams.processor.api.FixedKeyRecord;
import org.apache.kafka.streams.processor.api.RecordMetadata;

/**
 * The stateful edge around {@link StatusFold}: the topology's stores in, each development's change and a mark that
 * its negotiation has a new view out. The view itself stays an object in {@link PendingViews} until
 * {@link StatusPublisher} publishes it at the commit.
 */
final class StatusFoldProcessor implements FixedKeyProcessor<String, Development, StatusUpdate> {

    // Counted as processed: a transaction aborted by a crash is processed, and counted, again.
    private static final Timer FOLD_TIME = Timer.builder("parley.fold")
            .description("Time to fold one development into its negotiation's view, state stores included")
            .publishPercentileHistogram().register(Metrics.globalRegistry);
    private static final Counter CHANGES_EMITTED = Counter.builder("parley.status.changes.emitted")
            .description("Status changes the topology emitted").register(Metrics.globalRegistry);

    /** Developments kept decoded per task: a busy negotiation's items are recomputed from their latest few each. */
    static final int RECENT_DEVELOPMENTS = 4_096;

    private final PendingViews pending;
    private final ViewBounds bounds;
    private FixedKeyProcessorContext<String, StatusUpdate> context;
    private PendingViews.TaskViews views;
    private StatusFold fold;

    StatusFoldProcessor(PendingViews pending, ViewBounds bounds) {
        this.pending = pending;
        this.bounds = bounds;
    }

    @Override
    public void init(FixedKeyProcessorContext<String, StatusUpdate> context) {
        this.context = context;
        ItemStore items = new ItemStore(
                SortedKeyValues.of(context.getStateStore(StatusTopology.ITEMS_STORE)),
                SortedKeyValues.of(context.getStateStore(StatusTopology.RANKS_STORE)),
                SortedKeyValues.of(context.getStateStore(StatusTopology.VIEWS_STORE)),
                bounds);
        this.views = pending.restart(context.taskId()); // a revived task starts again from its stores
        this.fold = new StatusFold(
                new DevelopmentIndex(
                        SortedKeyValues.cached(SortedKeyValues.of(context.getStateStore(StatusTopology.DEVELOPMENTS_STORE)), RECENT_DEVELOPMENTS),
                        SortedKeyValues.of(context.getStateStore(StatusTopology.SUPERSEDED_STORE)),
                        SortedKeyValues.of(context.getStateStore(StatusTopology.INDEX_STORE))),
                items, bounds);
    }

    @Override
    public void process(FixedKeyRecord<String, Development> record) {
        long start = System.nanoTime();
        try {
            fold(record);
        } finally {
            FOLD_TIME.record(System.nanoTime() - start, TimeUnit.NANOSECONDS);
        }
    }

    private void fold(FixedKeyRecord<String, Development> record) {
        Development development = record.value();
        if (development == null) {
            return; // a tombstone on the log of record means nothing
        }
        String negotiation = development.getNegotiationId();
        if (!negotiation.equals(record.key())) {
            throw new IllegalArgumentException("record key \"" + record.key() + "\" is not the development's negotiation_id \""
                    + negotiation + "\" (expected the negotiation id as key)");
        }
        StatusFold.Outcome outcome = fold.apply(development);
        if (!outcome.viewChanged()) {
            return; // a duplicate, or nothing a reader would see
        }
        NegotiationStatus view = outcome.status();
        StatusChange change = outcome.changes().isEmpty() ? null
                : new StatusChange(negotiation, view.getVersion() - 1, view.getVersion(), outcome.changes(),
                        List.of(development.getDevelopmentId()), development.getReportedAt(), false);
        views.folded(negotiation, view);
        long offset = context.recordMetadata().map(RecordMetadata::offset).orElse(-1L);
        // Stamped with the view's known-at time, which never goes back, so the table of pending views sees its keys in order.
        context.forward(record.withValue(new StatusUpdate(change, offset))
                .withTimestamp(Math.max(record.timestamp(), view.getKnownAt().toEpochMilli())));
        if (change != null) {
            CHANGES_EMITTED.increment();
        }
    }

    @Override
    public void close() {
        pending.drop(context.taskId(), views);
    }
}
