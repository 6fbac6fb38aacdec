package dev.parley.streams;

import dev.parley.schemas.AvroSerde;
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
import org.apache.kafka.streams.kstream.Materialized;
import org.apache.kafka.streams.kstream.Named;
import org.apache.kafka.streams.kstream.Produced;
import org.apache.kafka.streams.state.Stores;

/**
 * Folds the log of developments into each negotiation's status view and the stream of its changes.
 *
 * <pre>
 *  parley.developments ──► developments-source ──► fold-status ──┬─► select-changes ──► status-changes-sink ──► parley.status-changes
 *                                                   ▲             └─► select-pending-view ──► pending-views (cached table)
 *   developments-by-id-store, superseded-by-id-store,                   flushed before each commit ──► publish-status ──► status-sink ──► parley.status
 *   developments-by-item-store, status-by-negotiation-store (read) ◄────────────────────────────────── (written) ┘
 * </pre>
 *
 * A change goes out with each development; a negotiation's view once per commit (see {@link PendingViews}).
 * No I/O here: the caller runs the topology (KafkaStreams, or TopologyTestDriver in tests).
 */
public final class StatusTopology {

    public static final String STATUS_STORE = "status-by-negotiation-store";
    public static final String DEVELOPMENTS_STORE = "developments-by-id-store";
    public static final String SUPERSEDED_STORE = "superseded-by-id-store";
    public static final String ITEMS_STORE = "developments-by-item-store";
    /** Negotiations whose view changed since the last commit; in memory, since it only ever holds the current transaction's. */
    static final String PENDING_STORE = "pending-views-store";

    private StatusTopology() {
    }

    /** The key of a development in {@link #DEVELOPMENTS_STORE}, for interactive queries: ids are unique within a negotiation. */
    public static String developmentKey(String negotiationId, String developmentId) {
        return negotiationId + ItemKey.SEP + developmentId;
    }

    /**
     * The serde the topology writes views with: each view encoded once for its store and its topic, reusing the bytes
     * of the items it shares with its negotiation's previous view (see {@link ViewWriter}); the same bytes as
     * {@code statusSerde}'s.
     */
    public static Serde<NegotiationStatus> viewSerde(AvroSerde<NegotiationStatus> statusSerde) {
        return new LastViewSerde(statusSerde.withWriter(new ViewWriter()));
    }

    public static Topology build(Serde<Development> developmentSerde, AvroSerde<NegotiationStatus> statusSerde,
                                 Serde<StatusChange> changeSerde) {
        Serde<String> keySerde = Serdes.String();
        Serde<NegotiationStatus> viewSerde = viewSerde(statusSerde);
        PendingViews pending = new PendingViews();
        StreamsBuilder builder = new StreamsBuilder();
        // Not cached: StatusPublisher writes it during the commit's cache flush, where a cache would only reach the
        // changelog in the next transaction.
        builder.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(STATUS_STORE), keySerde, viewSerde));
        builder.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(DEVELOPMENTS_STORE), keySerde, developmentSerde));
        builder.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(SUPERSEDED_STORE), keySerde, keySerde));
        builder.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(ITEMS_STORE), keySerde, keySerde));

        KStream<String, StatusUpdate> folded = builder
                .stream(Topics.DEVELOPMENTS, Consumed.with(keySerde, developmentSerde).withName("developments-source"))
                .processValues(() -> new StatusFolder(pending), Named.as("fold-status"),
                        STATUS_STORE, DEVELOPMENTS_STORE, SUPERSEDED_STORE, ITEMS_STORE);

        folded.flatMapValues(update -> update.change() == null ? List.<StatusChange>of() : List.of(update.change()),
                        Named.as("select-changes"))
                .to(Topics.STATUS_CHANGES, Produced.with(keySerde, changeSerde).withName("status-changes-sink"));
        // Kafka Streams' record cache forwards a table's latest value per key when it flushes, before each commit.
        folded.mapValues(StatusUpdate::offset, Named.as("select-pending-view"))
                .toTable(Named.as("pending-views"), Materialized.<String, Long>as(Stores.inMemoryKeyValueStore(PENDING_STORE))
                        .withKeySerde(keySerde).withValueSerde(Serdes.Long()).withCachingEnabled().withLoggingDisabled())
                .toStream(Named.as("views-to-publish"))
                .processValues(() -> new StatusPublisher(pending), Named.as("publish-status"), STATUS_STORE)
                .to(Topics.STATUS, Produced.with(keySerde, viewSerde).withName("status-sink"));
        return builder.build();
    }
}
