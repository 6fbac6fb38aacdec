package dev.parley.streams;

import dev.parley.schemas.NegotiationStatus;
import org.apache.kafka.streams.processor.api.FixedKeyProcessor;
import org.apache.kafka.streams.processor.api.FixedKeyProcessorContext;
import org.apache.kafka.streams.processor.api.FixedKeyRecord;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * Writes a negotiation's latest view to the store and forwards it to {@code parley.status}. Fed by a cached table of
 * negotiations with a new view, which Kafka Streams flushes before each commit: so once per commit, inside its
 * transaction, however many developments of the negotiation the commit holds.
 */
final class StatusPublisher implements FixedKeyProcessor<String, Long, NegotiationStatus> {

    private final PendingViews pending;
    private FixedKeyProcessorContext<String, NegotiationStatus> context;
    private KeyValueStore<String, NegotiationStatus> statuses;

    StatusPublisher(PendingViews pending) {
        this.pending = pending;
    }

    @Override
    public void init(FixedKeyProcessorContext<String, NegotiationStatus> context) {
        this.context = context;
        this.statuses = context.getStateStore(StatusTopology.STATUS_STORE);
    }

    @Override
    public void process(FixedKeyRecord<String, Long> pendingView) {
        PendingViews.TaskViews views = pending.of(context.taskId());
        NegotiationStatus view = views == null ? null : views.publish(pendingView.key());
        if (view == null) {
            return; // nothing folded since this negotiation was last published
        }
        statuses.put(pendingView.key(), view);
        context.forward(pendingView.withValue(view));
    }
}
