package dev.parley.streams;

import dev.parley.schemas.Change;
import dev.parley.schemas.ChangeKind;
import dev.parley.schemas.Development;
import dev.parley.schemas.NegotiationStatus;
import dev.parley.schemas.Operation;
import dev.parley.schemas.StatusChange;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * The stateful edge around {@link StatusFold}: keeps each negotiation's developments and view in state stores,
 * skips duplicates, and forwards the new view with the change it made.
 */
final class StatusFolder implements Processor<String, Development, String, StatusUpdate> {

    private ProcessorContext<String, StatusUpdate> context;
    private KeyValueStore<String, NegotiationStatus> statuses;
    private KeyValueStore<String, Development> developments;
    private KeyValueStore<String, String> supersededBy;

    @Override
    public void init(ProcessorContext<String, StatusUpdate> context) {
        this.context = context;
        this.statuses = context.getStateStore(StatusTopology.STATUS_STORE);
        this.developments = context.getStateStore(StatusTopology.DEVELOPMENTS_STORE);
        this.supersededBy = context.getStateStore(StatusTopology.SUPERSEDED_STORE);
    }

    @Override
    public void process(Record<String, Development> record) {
        Development development = record.value();
        if (development == null) {
            return; // a tombstone on the log of record means nothing
        }
        String negotiation = development.getNegotiationId();
        if (!negotiation.equals(record.key())) {
            throw new IllegalArgumentException("record key \"" + record.key() + "\" is not the development's negotiation_id \""
                    + negotiation + "\" (expected the negotiation id as key)");
        }
        String key = developmentKey(negotiation, development.getDevelopmentId());
        Development stored = developments.get(key);
        if (stored != null && stored.getRevision() >= development.getRevision()) {
            return; // duplicate or an older revision: changes nothing, emits nothing
        }
        developments.put(key, development);
        boolean corrects = development.getOperation() != Operation.ASSERT && development.getSupersedes() != null;
        if (corrects) {
            supersededBy.put(developmentKey(negotiation, development.getSupersedes()), development.getDevelopmentId());
        }

        NegotiationStatus before = statuses.get(negotiation);
        if (before == null) {
            before = StatusFold.empty(negotiation);
        }
        NegotiationStatus after;
        if (stored == null && !corrects && supersededBy.get(key) == null) {
            after = StatusFold.apply(before, development, id -> developments.get(developmentKey(negotiation, id)));
        } else {
            // A correction, a retraction, a new revision, or a development already superseded: refold what is in force.
            after = StatusFold.fold(negotiation, developmentsOf(negotiation));
        }
        after.setVersion(before.getVersion());

        List<Change> changes = new ArrayList<>(ChangeDetector.between(before, after));
        if (corrects) {
            changes.add(new Change(ChangeKind.CORRECTION_APPLIED, "development:" + development.getSupersedes(), null,
                    development.getOperation() + " by " + development.getDevelopmentId()));
        }
        StatusChange change = null;
        if (!changes.isEmpty()) {
            after.setVersion(before.getVersion() + 1);
            change = new StatusChange(negotiation, before.getVersion(), after.getVersion(), changes,
                    List.of(development.getDevelopmentId()), development.getReportedAt(), false);
        }
        if (!after.equals(before)) {
            statuses.put(negotiation, after);
            context.forward(record.withValue(new StatusUpdate(after, change)));
        }
    }

    private List<Development> developmentsOf(String negotiation) {
        List<Development> all = new ArrayList<>();
        try (var iterator = developments.prefixScan(negotiation + "/", new StringSerializer())) {
            iterator.forEachRemaining(entry -> all.add(entry.value));
        }
        return all;
    }

    static String developmentKey(String negotiation, String developmentId) {
        return negotiation + "/" + developmentId;
    }
}
