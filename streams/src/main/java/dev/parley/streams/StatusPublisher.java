package dev.parley.streams;

import dev.parley.schemas.NegotiationStatus;
import dev.parley.schemas.Topics;
import org.apache.kafka.common.serialization.Serializer;
import org.apache.kafka.streams.processor.api.FixedKeyProcessor;
import org.apache.kafka.streams.processor.api.FixedKeyProcessorContext;
import org.apache.kafka.streams.processor.api.FixedKeyRecord;

/**
 * Writes what the fold changed of a negotiation to the stores, and forwards its latest view to {@code parley.status},
 * fitted to its size bound ({@link ViewFit}). Fed by a cached table of negotiations with something to write, which
 * Kafka Streams flushes before each commit: so once per commit, inside its transaction, however many developments of
 * the negotiation the commit holds. The stores written here are not cached: a cache written during the commit's
 * flush would reach its changelog only in the next transaction.
 */
final class StatusPublisher implements FixedKeyProcessor<String, Long, NegotiationStatus> {

    private final PendingViews pending;
    private final Serializer<NegotiationStatus> views;
    private final ViewBounds bounds;
    private FixedKeyProcessorContext<String, NegotiationStatus> context;

    /** @param views the serializer of {@code parley.status}, to measure a view by (it keeps the bytes for the sink) */
    StatusPublisher(PendingViews pending, Serializer<NegotiationStatus> views, ViewBounds bounds) {
        this.pending = pending;
        this.views = views;
        this.bounds = bounds;
    }

    @Override
    public void init(FixedKeyProcessorContext<String, NegotiationStatus> context) {
        this.context = context;
    }

    @Override
    public void process(FixedKeyRecord<String, Long> pendingView) {
        PendingViews.TaskViews taskViews = pending.of(context.taskId());
        if (taskViews == null) {
            return;
        }
        taskViews.write(pendingView.key());
        NegotiationStatus view = taskViews.publish(pendingView.key());
        if (view == null) {
            return; // the view is as last published (only items not shown changed), or was published already
        }
        context.forward(pendingView.withValue(ViewFit.fit(view, bounds, v -> views.serialize(Topics.STATUS, v).length)));
    }
}
