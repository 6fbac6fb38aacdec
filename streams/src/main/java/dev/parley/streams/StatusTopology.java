package dev.parley.streams;

import dev.parley.schemas.AvroSerde;
import dev.parley.schemas.Development;
import dev.parley.schemas.NegotiationStatus;
import dev.parley.schemas.StatusChange;
import dev.parley.schemas.StoredItem;
import dev.parley.schemas.StoredView;
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
 *                                                   ▲  │          └─► select-pending-view ──► pending-views (cached table)
 *   developments-by-id-store, superseded-by-id-store,  │               flushed before each commit ──► publish-status ──► status-sink ──► parley.status
 *   developments-by-item-store (the index)  ◄──────────┤
 *   items-by-key-store, items-by-rank-store,           │
 *   views-by-negotiation-store (the view's parts) ◄────┘
 * </pre>
 *
 * A change goes out with each development; a negotiation's view once per commit (see {@link PendingViews}). The
 * state is kept per item (see {@link ItemStore}), so a development reads and writes what it is about, not its
 * negotiation's whole view. No I/O here: the caller runs the topology (KafkaStreams, or TopologyTestDriver in tests).
 */
public final class StatusTopology {

    public static final String DEVELOPMENTS_STORE = "developments-by-id-store";
    public static final String SUPERSEDED_STORE = "superseded-by-id-store";
    /** The index: for each item, the developments about it in event-time order. */
    public static final String INDEX_STORE = "developments-by-item-store";
    /** Every item of every view, shown or not. */
    public static final String ITEMS_STORE = "items-by-key-store";
    /** Every item by how recent it is, so a list's latest are a short range read. */
    public static final String RANKS_STORE = "items-by-rank-store";
    /** Each negotiation's view without its lists' items (version, counts, dates covered, phase, decision), and which it shows. */
    public static final String VIEWS_STORE = "views-by-negotiation-store";
    /** Negotiations whose view changed since the last commit; in memory, since it only ever holds the current transaction's. */
    static final String PENDING_STORE = "pending-views-store";

    private StatusTopology() {
    }

    /**
     * The serde the topology writes views with: each view encoded reusing the bytes of the items it shares with its
     * negotiation's previous view (see {@link ViewWriter}), and kept until the next so that measuring it and sending
     * it encode it once; the same bytes as {@code statusSerde}'s.
     */
    public static Serde<NegotiationStatus> viewSerde(AvroSerde<NegotiationStatus> statusSerde) {
        return new LastViewSerde(statusSerde.withWriter(new ViewWriter()));
    }

    public static Topology build(Serde<Development> developmentSerde, AvroSerde<NegotiationStatus> statusSerde,
                                 Serde<StatusChange> changeSerde) {
        return build(developmentSerde, statusSerde, changeSerde, ViewBounds.DEFAULT);
    }

    public static Topology build(Serde<Development> developmentSerde, AvroSerde<NegotiationStatus> statusSerde,
                                 Serde<StatusChange> changeSerde, ViewBounds bounds) {
        Serde<String> keySerde = Serdes.String();
        Serde<NegotiationStatus> viewSerde = viewSerde(statusSerde);
        PendingViews pending = new PendingViews();
        StreamsBuilder builder = new StreamsBuilder();
        builder.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(DEVELOPMENTS_STORE), keySerde, developmentSerde));
        builder.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(SUPERSEDED_STORE), keySerde, keySerde));
        builder.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(INDEX_STORE), keySerde, keySerde));
        // Cached: a busy item, and its negotiation's view, change many times a commit; the changelog needs the last.
        builder.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(ITEMS_STORE), keySerde,
                AvroSerde.of(StoredItem.class)).withCachingEnabled());
        builder.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(VIEWS_STORE), keySerde,
                AvroSerde.of(StoredView.class)).withCachingEnabled());
        // Not cached: a cached store's range reads can give back keys deleted since the last commit (the merge of
        // cache and store skips a deleted key only when both hold it next), and this store is read by range.
        builder.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(RANKS_STORE), keySerde, keySerde));

        KStream<String, StatusUpdate> folded = builder
                .stream(Topics.DEVELOPMENTS, Consumed.with(keySerde, developmentSerde).withName("developments-source"))
                .processValues(() -> new StatusFoldProcessor(pending, bounds), Named.as("fold-status"),
                        DEVELOPMENTS_STORE, SUPERSEDED_STORE, INDEX_STORE, ITEMS_STORE, RANKS_STORE, VIEWS_STORE);

        folded.flatMapValues(update -> update.change() == null ? List.<StatusChange>of() : List.of(update.change()),
                        Named.as("select-changes"))
                .to(Topics.STATUS_CHANGES, Produced.with(keySerde, changeSerde).withName("status-changes-sink"));
        // Kafka Streams' record cache forwards a table's latest value per key when it flushes, before each commit.
        folded.mapValues(StatusUpdate::offset, Named.as("select-pending-view"))
                .toTable(Named.as("pending-views"), Materialized.<String, Long>as(Stores.inMemoryKeyValueStore(PENDING_STORE))
                        .withKeySerde(keySerde).withValueSerde(Serdes.Long()).withCachingEnabled().withLoggingDisabled())
                .toStream(Named.as("views-to-publish"))
                .processValues(() -> new StatusPublisher(pending, viewSerde.serializer(), bounds), Named.as("publish-status"))
                .to(Topics.STATUS, Produced.with(keySerde, viewSerde).withName("status-sink"));
        return builder.build();
    }
}
