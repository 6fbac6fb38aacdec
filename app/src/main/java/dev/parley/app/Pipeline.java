package dev.parley.app;

import dev.parley.consumer.ConsumerSettings;
import dev.parley.consumer.Sink;
import dev.parley.consumer.StatusChangeSubscriber;
import dev.parley.consumer.Subscription;
import dev.parley.consumer.SubscriptionStatus;
import dev.parley.localkafka.LocalKafka;
import dev.parley.localkafka.LocalKafkaCluster;
import dev.parley.localkafka.LocalKafkaSettings;
import dev.parley.schemas.AvroSerde;
import dev.parley.schemas.KafkaVariables;
import dev.parley.schemas.Development;
import dev.parley.schemas.NegotiationStatus;
import dev.parley.schemas.StatusChange;
import dev.parley.schemas.Topics;
import dev.parley.streams.StatusQueries;
import dev.parley.streams.StatusTopology;
import dev.parley.streams.StreamsSettings;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.function.BiConsumer;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ListOffsetsResult;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.CloseOptions;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.KeyQueryMetadata;
import org.apache.kafka.streams.StoreQueryParameters;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.StreamsMetadata;
import org.apache.kafka.streams.errors.InvalidStateStoreException;
import org.apache.kafka.streams.state.QueryableStoreTypes;
import org.apache.kafka.streams.state.HostInfo;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One running Parley: the embedded broker (unless an external Kafka is given), the topics, the status
 * topology and the sinks. Started in dependency order, closed in reverse.
 */
final class Pipeline implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(Pipeline.class);

    private final AppSettings settings;
    private final List<AutoCloseable> started = new ArrayList<>();
    private final List<StatusChangeSubscriber> subscribers = new java.util.concurrent.CopyOnWriteArrayList<>();
    /** Set once {@link #awaitCaughtUp} has seen the topology catch up: start-up is over. */
    private volatile boolean caughtUpOnce;
    private Admin admin;
    private KafkaStreams streams;

    private Pipeline(AppSettings settings) {
        this.settings = settings;
    }

    /** Starts everything but the sinks; the topology runs (or is restoring) when it returns. */
    static Pipeline start(AppSettings settings) throws Exception {
        Pipeline pipeline = startKafka(settings);
        try {
            pipeline.abortHangingTransactions();
            pipeline.startTopology();
            return pipeline;
        } catch (Exception e) {
            pipeline.close();
            throw e;
        }
    }

    /** Takes the home folder, starts the embedded broker unless Kafka is external, and makes sure the topics exist. */
    static Pipeline startKafka(AppSettings settings) throws Exception {
        var pipeline = new Pipeline(settings);
        try {
            pipeline.lockHome();
            pipeline.startKafka();
            return pipeline;
        } catch (Exception e) {
            pipeline.close();
            throw e;
        }
    }

    /** One Parley per home folder: a second one would share the broker's port and the Streams state. */
    private void lockHome() throws IOException {
        Files.createDirectories(settings.home());
        FileChannel channel = FileChannel.open(settings.home().resolve("parley.lock"), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        FileLock lock;
        try {
            lock = channel.tryLock();
        } catch (OverlappingFileLockException sameJvm) {
            lock = null;
        }
        if (lock == null) {
            channel.close();
            throw new IllegalStateException("Another Parley is already running with its data in " + settings.home()
                    + ". Stop it first, or give this one its own folder with --home.");
        }
        started.add(channel); // closing the channel releases the lock
    }

    private void startKafka() throws InterruptedException, ExecutionException {
        if (settings.embedded() && settings.brokers() > 1) {
            // close() stops it after the clients; a JVM hook would race them
            var cluster = LocalKafkaCluster.onPorts(settings.home().resolve("kafka"), settings.brokers(), settings.kafkaPort(),
                    settings.controllerPort(), node -> node.withStopOnJvmExit(false));
            cluster.start();
            started.add(cluster);
        } else if (settings.embedded()) {
            LocalKafka broker = new LocalKafka(LocalKafkaSettings.in(settings.home().resolve("kafka"))
                    .withPorts(settings.kafkaPort(), settings.controllerPort())
                    .withStopOnJvmExit(false)); // close() stops it after the clients; a JVM hook would race them
            broker.start();
            started.add(broker);
        }
        admin = Admin.create(settings.kafkaClient());
        started.add(admin);
        refuseUnsafeReplication();
        TopicSetup.ensure(admin, settings.partitions(), settings.replicationFactor(), settings.minInsyncReplicas());
    }

    /** On a multi-broker cluster, exactly-once is only as good as replication: see {@link ReplicationSafety}. */
    private void refuseUnsafeReplication() throws InterruptedException, ExecutionException {
        Collection<Node> brokers = admin.describeCluster().nodes().get();
        Map<String, String> brokerConfig = new java.util.HashMap<>();
        if (brokers.size() > 1) {
            var resource = new ConfigResource(ConfigResource.Type.BROKER, brokers.iterator().next().idString());
            admin.describeConfigs(List.of(resource)).all().get().get(resource).entries()
                    .forEach(entry -> brokerConfig.put(entry.name(), entry.value()));
        }
        List<String> problems = ReplicationSafety.problems(brokers.size(), settings.replicationFactor(), settings.minInsyncReplicas(),
                brokerConfig);
        if (problems.isEmpty()) {
            return;
        }
        if (!settings.allowUnsafeReplication()) {
            throw new IllegalStateException(ReplicationSafety.refusal(problems));
        }
        problems.forEach(problem -> log.warn("Unsafe replication, started anyway ({}=true): {}", ReplicationSafety.ALLOW, problem));
    }

    /** Aborts the transactions left hanging on Parley's topics, now and then every 30 s: see {@link HangingTransactions}. */
    void abortHangingTransactions() throws InterruptedException {
        started.add(new HangingTransactions(admin, applicationId(), Instant::now).start());
    }

    void startTopology() {
        var topology = StatusTopology.build(AvroSerde.of(Development.class), AvroSerde.of(NegotiationStatus.class),
                AvroSerde.of(StatusChange.class));
        var streamsSettings = StreamsSettings.from(settings.env(), settings.kafka(), settings.home().resolve("streams"));
        Properties props = withApplicationServer(streamsSettings.toKafkaProperties());
        // The topology's changelogs replicate like Parley's own topics (a KAFKA_* variable still wins).
        props.putIfAbsent(StreamsConfig.REPLICATION_FACTOR_CONFIG, String.valueOf(settings.replicationFactor()));
        props.putIfAbsent(StreamsConfig.topicPrefix(TopicConfig.MIN_IN_SYNC_REPLICAS_CONFIG), String.valueOf(settings.minInsyncReplicas()));
        streams = new KafkaStreams(topology, props);
        streams.setUncaughtExceptionHandler(new TopologyFailures(System::currentTimeMillis));
        streams.setStateListener((now, before) -> log.info("Status topology {} -> {}", before, now));
        // Leave the group on close: otherwise the next start waits out the old member's session (45 s).
        started.add(() -> streams.close(CloseOptions.groupMembershipOperation(CloseOptions.GroupMembershipOperation.LEAVE_GROUP)
                .withTimeout(Duration.ofSeconds(30))));
        streams.start();
        log.info("Status topology started as application {}", streamsSettings.applicationId());
    }

    /** Starts delivering every status change to a sink, under the sink's name, on its own thread. */
    void subscribe(Sink sink, Map<String, String> consumerOverrides) {
        subscribe(Subscription.to(sink), consumerOverrides);
    }

    /** Starts delivering a subscription's status changes to its sink on its own thread. */
    void subscribe(Subscription subscription, Map<String, String> consumerOverrides) {
        Map<String, String> env = new java.util.HashMap<>(settings.env());
        env.putAll(KafkaVariables.toEnv(consumerOverrides));
        var subscriber = StatusChangeSubscriber.create(ConsumerSettings.from(env, settings.kafka()), subscription);
        subscribers.add(subscriber);
        Thread thread = new Thread(subscriber, "subscription-" + subscription.name());
        started.add(() -> {
            subscriber.close();
            thread.join(Duration.ofSeconds(10).toMillis());
            subscription.sink().close();
        });
        thread.start();
    }

    /** How each subscription of this process is doing, in the order they were started. */
    List<SubscriptionStatus> subscriptions() {
        return subscribers.stream().map(StatusChangeSubscriber::status).toList();
    }

    Path feedsFolder() {
        return settings.feedsFolder();
    }

    Path changesFile() {
        return settings.changesFile();
    }

    /** The topology's client, for its metrics. */
    KafkaStreams streams() {
        return streams;
    }

    boolean isRunning() {
        return streams.state() == KafkaStreams.State.RUNNING;
    }

    /** The current view of a negotiation from the topology's state; empty when unknown. */
    Optional<NegotiationStatus> status(String negotiationId) {
        return queries(null).view(negotiationId);
    }

    /**
     * The latest revision of a development that the topology has folded, from its state; empty when it has none,
     * which includes one published a moment ago and not yet processed.
     *
     * @throws InvalidStateStoreException while the topology restores or rebalances
     */
    Optional<Development> development(String negotiationId, String developmentId) {
        return queries(null).development(negotiationId, developmentId);
    }

    /** True when the log of record holds no development yet. */
    boolean logIsEmpty() throws InterruptedException, ExecutionException {
        return endOffsets().values().stream().allMatch(offset -> offset == 0);
    }

    /**
     * Waits until the topology has committed past every development in the log at the time of the call,
     * so a view read afterwards includes them all. Polls a condition with a deadline.
     */
    void awaitCaughtUp(Duration timeout) throws InterruptedException, ExecutionException {
        awaitCaughtUp(timeout, (done, total) -> { });
    }

    /** As {@link #awaitCaughtUp(Duration)}, telling {@code progress} how many developments are folded, of how many. */
    void awaitCaughtUp(Duration timeout, BiConsumer<Long, Long> progress) throws InterruptedException, ExecutionException {
        Map<TopicPartition, Long> end = endOffsets();
        long total = end.values().stream().mapToLong(Long::longValue).sum();
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            Map<TopicPartition, OffsetAndMetadata> committed = admin.listConsumerGroupOffsets(applicationId())
                    .partitionsToOffsetAndMetadata().get();
            long done = end.keySet().stream().mapToLong(tp -> committed.get(tp) == null ? 0 : Math.min(committed.get(tp).offset(), end.get(tp))).sum();
            progress.accept(done, total);
            if (done >= total && isRunning()) {
                caughtUpOnce = true;
                return;
            }
            if (System.nanoTime() > deadline || streams.state().hasCompletedShutdown()) {
                throw new IllegalStateException("The status topology has not caught up with " + Topics.DEVELOPMENTS
                        + " after " + timeout.toSeconds() + " s (state " + streams.state() + ", committed " + committed
                        + ", end " + end + ")");
            }
            Thread.sleep(100);
        }
    }

    String applicationId() {
        return StreamsSettings.from(settings.env(), settings.kafka(), settings.home()).applicationId();
    }

    /** Where the topology keeps its state stores for this application. */
    Path stateDir() {
        return StreamsSettings.from(settings.env(), settings.kafka(), settings.home().resolve("streams")).stateDir().resolve(applicationId());
    }

    Admin admin() {
        return admin;
    }

    private Map<TopicPartition, Long> endOffsets() throws InterruptedException, ExecutionException {
        var partitions = admin.describeTopics(List.of(Topics.DEVELOPMENTS)).allTopicNames().get().get(Topics.DEVELOPMENTS)
                .partitions().stream().map(p -> new TopicPartition(Topics.DEVELOPMENTS, p.partition()))
                .collect(Collectors.toMap(tp -> tp, tp -> OffsetSpec.latest()));
        return admin.listOffsets(partitions).all().get().entrySet().stream()
                .collect(Collectors.toMap(Map.Entry::getKey, e -> ((ListOffsetsResult.ListOffsetsResultInfo) e.getValue()).offset()));
    }

    /** Whether the view store can be queried now (false while the topology restores or rebalances). */
    boolean canQuery() {
        try {
            status("");
            return true;
        } catch (InvalidStateStoreException e) {
            return false;
        }
    }

    // ---- Interactive queries across the instances sharing the work (NegotiationQueries) ----

    /** Tells Kafka Streams where this instance's HTTP API is, so every instance knows whom to ask about a key. */
    private Properties withApplicationServer(Properties properties) {
        settings.advertisedAddress().ifPresent(address -> properties.putIfAbsent(StreamsConfig.APPLICATION_SERVER_CONFIG, address));
        log.info("Interactive queries: {}", properties.containsKey(StreamsConfig.APPLICATION_SERVER_CONFIG)
                ? "this instance is " + properties.getProperty(StreamsConfig.APPLICATION_SERVER_CONFIG)
                : "no advertised address (port chosen at start), so this instance answers alone");
        return properties;
    }

    /** This instance's {@code host:port} for the others (a {@code KAFKA_APPLICATION_SERVER} wins); empty when it answers alone. */
    Optional<String> advertisedAddress() {
        String passedThrough = KafkaVariables.from(settings.env()).get(StreamsConfig.APPLICATION_SERVER_CONFIG);
        return passedThrough != null ? Optional.of(passedThrough) : settings.advertisedAddress();
    }

    /** Whether this instance can answer queries now: its stores are open, or it holds none and forwards every query. */
    boolean canAnswerQueries() {
        try {
            return isRunning() && (canQuery() || holdsNoState());
        } catch (InvalidStateStoreException stoppedMeanwhile) {
            return false;
        }
    }

    /**
     * {@code /ready}: start-up has caught up with the log it found (for {@code parley up}, the sample it published
     * included), and the topology can answer queries now. A script that waits for it then reads complete views.
     */
    boolean isReady() {
        return caughtUpOnce && canAnswerQueries();
    }

    private boolean holdsNoState() {
        return whileRunning(() -> streams.metadataForLocalThreads()).stream().allMatch(thread -> thread.activeTasks().isEmpty());
    }

    /** The topology's state, for {@link NegotiationQueries}. */
    NegotiationQueries.State queryState() {
        Optional<HostInfo> self = advertisedAddress().map(HostInfo::buildFromEndpoint);
        return new NegotiationQueries.State() {
            @Override
            public NegotiationQueries.Location locate(String negotiationId) {
                if (self.isEmpty()) {
                    return new NegotiationQueries.Here(null);
                }
                KeyQueryMetadata owner = whileRunning(() -> streams.queryMetadataForKey(StatusTopology.VIEWS_STORE, negotiationId,
                        Serdes.String().serializer()));
                if (owner == null || owner.activeHost() == null || owner.activeHost().equals(HostInfo.unavailable())) {
                    return new NegotiationQueries.Unknown();
                }
                return owner.activeHost().equals(self.get()) ? new NegotiationQueries.Here(owner.partition())
                        : new NegotiationQueries.There(owner.activeHost().host() + ":" + owner.activeHost().port());
            }

            @Override
            public Optional<NegotiationStatus> status(String negotiationId, NegotiationQueries.Here here) {
                return queries(here.partition()).view(negotiationId);
            }

            @Override
            public List<Development> developments(String negotiationId, NegotiationQueries.Here here) {
                return queries(here.partition()).developments(negotiationId);
            }

            @Override
            public List<Development> loggedDevelopments(String negotiationId) {
                return TopicSnapshot.developments(settings.kafkaClient(), negotiationId, Duration.ofSeconds(10)).readable();
            }

            @Override
            public List<NegotiationStatus> localStatuses() {
                requireRunning(); // while rebalancing, the stores here may be a part of what this instance will hold
                if (holdsNoState()) {
                    return List.of();
                }
                return queries(null).summaries();
            }

            @Override
            public List<String> otherInstances() {
                if (self.isEmpty()) {
                    return List.of();
                }
                return whileRunning(() -> streams.metadataForAllStreamsClients()).stream().map(StreamsMetadata::hostInfo)
                        .filter(host -> !host.equals(self.get())).map(host -> host.host() + ":" + host.port()).distinct().toList();
            }
        };
    }

    /** The topology's state of one partition, or of every active one here when {@code partition} is null. */
    private StatusQueries queries(Integer partition) {
        return new StatusQueries(name -> store(name, partition));
    }

    /** The active store of one partition, or every active one here when {@code partition} is null. */
    private <V> ReadOnlyKeyValueStore<String, V> store(String name, Integer partition) {
        var parameters = StoreQueryParameters.fromNameAndType(name, QueryableStoreTypes.<String, V>keyValueStore());
        return streams.store(partition == null ? parameters : parameters.withPartition(partition));
    }

    private void requireRunning() {
        if (!isRunning()) {
            throw new InvalidStateStoreException("the status topology is " + streams.state());
        }
    }

    /** Kafka Streams' metadata, or the exception that says the state cannot answer now, as for a store. */
    private static <T> T whileRunning(java.util.function.Supplier<T> metadata) {
        try {
            return metadata.get();
        } catch (IllegalStateException notRunning) { // "KafkaStreams is not running. State is ..."
            throw new InvalidStateStoreException(notRunning.getMessage());
        }
    }

    @Override
    public void close() {
        // Closing waits for each part to stop (the broker last); an interrupt, which is how Ctrl-C ends a start-up, must not cut
        // those waits short: the broker would be killed under its clients. It is kept for the caller.
        boolean interrupted = Thread.interrupted();
        try {
            for (int i = started.size() - 1; i >= 0; i--) {
                try {
                    started.get(i).close();
                } catch (Exception e) {
                    log.warn("Error while shutting down: {}", e.toString());
                }
            }
            started.clear();
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
