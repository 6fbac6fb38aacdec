package dev.parley.streams;

import dev.parley.schemas.NegotiationStatus;
import dev.parley.schemas.Topics;
import org.apache.kafka.common.serialization.Serializer;
import org.apache.kafka.streams.processor.api.FixedKeyProcessor;
import org.apache.kafka.streams.processor.api.FixedKeyProcessorContext;
import org.apache.kafka.streams.processor.api.FixedKeyRecord;

/**
 * Forwards a negotiation's latest view to {@code parley.status}, fitted to its size bound ({@link ViewFit}). Fed by a
 * cached table of negotiations with a new view, which Kafka Streams flushes before each commit: so once per commit,
 * inside its transaction, however many developments of the negotiation the commit holds.
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
        NegotiationStatus view = taskViews.publish(pendingView.key());
        if (view == null) {
            return; // nothing folded since this negotiation was last published
        }
        context.forward(pendingView.withValue(ViewFit.fit(view, bounds, v -> views.serialize(Topics.STATUS, v).length)));
    }
}
