package dev.parley.streams;

import dev.parley.schemas.Development;
import dev.parley.schemas.NegotiationStatus;
import dev.parley.schemas.StatusChange;
import dev.parley.schemas.Topics;
import java.util.List;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.KStream;
import org.apache.kafka.streams.kstream.Named;
import org.apache.kafka.streams.kstream.Produced;
import org.apache.kafka.streams.state.Stores;

/**
 * Folds the log of developments into each negotiation's status view and the stream of its changes.
 *
 * <pre>
 *  parley.developments ──► developments-source ──► fold-status ──┬─► select-status ──► status-sink ──► parley.status
 *                                                   │  ▲          └─► select-changes ─► status-changes-sink ─► parley.status-changes
 *                 status-by-negotiation-store, developments-by-id-store, superseded-by-id-store, developments-by-item-store
 * </pre>
 *
 * No I/O here: the caller runs the topology (KafkaStreams, or TopologyTestDriver in tests).
 */
public final class StatusTopology {

    public static final String STATUS_STORE = "status-by-negotiation-store";
    public static final String DEVELOPMENTS_STORE = "developments-by-id-store";
    public static final String SUPERSEDED_STORE = "superseded-by-id-store";
    public static final String ITEMS_STORE = "developments-by-item-store";

    private StatusTopology() {
    }

    /** The key of a development in {@link #DEVELOPMENTS_STORE}, for interactive queries: ids are unique within a negotiation. */
    public static String developmentKey(String negotiationId, String developmentId) {
        return negotiationId + ItemKey.SEP + developmentId;
    }

    public static Topology build(Serde<Development> developmentSerde, Serde<NegotiationStatus> statusSerde,
                                 Serde<StatusChange> changeSerde) {
        Serde<String> keySerde = Serdes.String();
        Serde<NegotiationStatus> viewSerde = new LastViewSerde(statusSerde); // encodes each new view once, for store and topic
        StreamsBuilder builder = new StreamsBuilder();
        // Cached: a busy negotiation's view reaches RocksDB and its changelog once per commit, not once per development.
        builder.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(STATUS_STORE), keySerde, viewSerde).withCachingEnabled());
        builder.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(DEVELOPMENTS_STORE), keySerde, developmentSerde));
        builder.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(SUPERSEDED_STORE), keySerde, keySerde));
        builder.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(ITEMS_STORE), keySerde, keySerde));

        KStream<String, StatusUpdate> updates = builder
                .stream(Topics.DEVELOPMENTS, Consumed.with(keySerde, developmentSerde).withName("developments-source"))
                .process(StatusFolder::new, Named.as("fold-status"), STATUS_STORE, DEVELOPMENTS_STORE, SUPERSEDED_STORE, ITEMS_STORE);

        updates.mapValues(StatusUpdate::status, Named.as("select-status"))
                .to(Topics.STATUS, Produced.with(keySerde, viewSerde).withName("status-sink"));
        updates.flatMapValues(update -> update.change() == null ? List.<StatusChange>of() : List.of(update.change()),
                        Named.as("select-changes"))
                .to(Topics.STATUS_CHANGES, Produced.with(keySerde, changeSerde).withName("status-changes-sink"));
        return builder.build();
    }
}
