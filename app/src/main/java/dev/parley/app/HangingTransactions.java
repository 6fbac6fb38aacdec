package dev.parley.app;

import dev.parley.schemas.Topics;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.AbortTransactionSpec;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.DescribeProducersResult.PartitionProducerState;
import org.apache.kafka.clients.admin.ListTransactionsOptions;
import org.apache.kafka.clients.admin.TransactionDescription;
import org.apache.kafka.clients.admin.TransactionListing;
import org.apache.kafka.common.KafkaFuture;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.errors.AuthorizationException;
import org.apache.kafka.common.errors.TransactionalIdNotFoundException;
import org.apache.kafka.common.internals.Topic;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Transactions left open on Parley's partitions after their coordinator has finished with them, found and aborted as
 * Kafka's {@code kafka-transactions.sh find-hanging} and {@code abort} do. Such a transaction never gets its marker:
 * read_committed readers stop at it, so the topology waits for stable offsets and subscribers for the changes behind
 * it. A single Kafka 4.4 broker's controlled shutdown during a commit can leave one: the coordinator takes the
 * leaderless partitions for deleted topics and completes the transaction without their markers.
 *
 * <p>A transaction is hanging when it has been open longer than the broker's {@code transaction.max.timeout.ms}, by
 * which time its coordinator would have aborted it, and its coordinator will not write a marker to that partition. The
 * decision is {@link #hanging}; {@link #check()} asks Kafka and aborts. The partition of {@code __consumer_offsets} that
 * holds the topology's group is looked at too: the same shutdown can leave the topology's offset commit hanging there,
 * and the topology then waits for stable offsets forever. That topic is Kafka's and other applications' groups share
 * the partition, so a transaction hanging there is aborted only when its producer is provably one of the topology's
 * (its coordinator lists it under a transactional id of the topology's), and otherwise only reported with the command
 * that aborts it ({@link #action}).
 */
final class HangingTransactions implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(HangingTransactions.class);

    /** The broker setting that bounds every transaction's life. */
    static final String MAX_TIMEOUT_CONFIG = "transaction.max.timeout.ms";
    /** Kafka's default for it, and the default of {@code kafka-transactions.sh find-hanging --max-transaction-timeout}. */
    static final Duration DEFAULT_MAX_TIMEOUT = Duration.ofMinutes(15);
    static final Duration LONGEST_INTERVAL = Duration.ofSeconds(30);

    /** The transaction a producer opened on a partition at an offset: what an abort targets, and how it is recognised later. */
    record Opened(TopicPartition partition, long producerId, short producerEpoch, long startOffset) {
    }

    /**
     * A transaction open on a partition, as the partition's leader describes its producers.
     *
     * @param coordinatorEpoch the epoch of the coordinator that last wrote a marker for the producer there, -1 for none
     * @param lastTimestamp    the time of the producer's last batch there: the records' own time, which in Parley's
     *                         topics is when a development was reported, so it can make a young transaction look old
     */
    record OpenTransaction(Opened opened, int coordinatorEpoch, long lastTimestamp) {
    }

    /** What the transaction coordinators say about a producer's current transaction. */
    sealed interface Coordinator {
    }

    /** Its coordinator tracks the producer's current transaction, and will write markers to these partitions. */
    record Tracks(String transactionalId, Set<TopicPartition> partitions) implements Coordinator {
    }

    /** No coordinator knows the producer id: any more, or for a moment (a coordinator being moved lists nothing). */
    record Forgot() implements Coordinator {
    }

    /** The coordinator did not answer (loading, not authorised): nothing can be concluded. */
    record CannotTell(String reason) implements Coordinator {
    }

    /** A transaction found hanging, and why. */
    record Hanging(OpenTransaction transaction, String transactionalId, Duration seenOpenFor, String why) {
    }

    /** What Parley does with a transaction found hanging. */
    enum Action {
        /** Aborts it. */
        ABORT,
        /** Says so once, with the command that aborts it, and leaves it to an operator. */
        REPORT,
        /** Leaves it alone: not on a partition Parley looks after. */
        LEAVE
    }

    private final Admin admin;
    private final String applicationId;
    private final Supplier<Instant> clock;
    private final Map<Opened, Instant> firstSeen = new HashMap<>();
    private final Set<Opened> reported = new HashSet<>();
    private Duration maxTimeout;
    private boolean warnedNotAuthorized;
    private ScheduledExecutorService schedule;

    /**
     * @param applicationId the topology's: its group, and the prefix of its changelog and repartition topics and of its
     *                      producers' transactional ids
     */
    HangingTransactions(Admin admin, String applicationId, Supplier<Instant> clock) {
        this.admin = admin;
        this.applicationId = applicationId;
        this.clock = clock;
    }

    // ---- the decision ----

    /**
     * The open transactions that are hanging. Each must have been open longer than {@code maxTimeout} by the time of
     * its last write (the rule of {@code kafka-transactions.sh find-hanging}), and then either its coordinator tracks
     * its producer but not that partition (as the tool decides), or no coordinator knows its producer and Parley itself
     * has seen it open for longer than {@code maxTimeout} (record times can be old, and a coordinator being moved lists
     * nothing for a moment). A transaction whose coordinator did not answer is never hanging.
     *
     * @param coordinators what the coordinators say, by producer id; a producer id missing counts as {@link Forgot}
     * @param firstSeen    when Parley first saw each transaction open; one missing counts as seen now
     */
    static List<Hanging> hanging(Collection<OpenTransaction> open, Map<Long, Coordinator> coordinators, Map<Opened, Instant> firstSeen,
                                 Duration maxTimeout, Instant now) {
        List<Hanging> hanging = new ArrayList<>();
        for (OpenTransaction transaction : open) {
            Opened opened = transaction.opened();
            if (sinceLastWrite(transaction, now).compareTo(maxTimeout) <= 0) {
                continue;
            }
            Duration seenOpenFor = Duration.between(firstSeen.getOrDefault(opened, now), now);
            Coordinator coordinator = coordinators.getOrDefault(opened.producerId(), new Forgot());
            if (coordinator instanceof Tracks tracks && !tracks.partitions().contains(opened.partition())) {
                hanging.add(new Hanging(transaction, tracks.transactionalId(), seenOpenFor, "its coordinator will write no marker there"));
            } else if (coordinator instanceof Forgot && seenOpenFor.compareTo(maxTimeout) > 0) {
                hanging.add(new Hanging(transaction, null, seenOpenFor, "no coordinator knows its producer"));
            }
        }
        return hanging;
    }

    /**
     * What to do with a hanging transaction. On Parley's own topics, abort it. On {@code groupOffsets}, the partition of
     * {@code __consumer_offsets} that holds the topology's group, abort it only when its producer is provably the
     * topology's: its coordinator tracks the producer under one of the topology's transactional ids. A producer no
     * coordinator knows, or another application's, is reported, not aborted: the partition holds other groups' offsets,
     * and such a transaction may be an operator's or another application's to end.
     *
     * @param groupOffsets the partition of {@code __consumer_offsets} with the topology's group, null when unknown
     */
    static Action action(Hanging hanging, String applicationId, TopicPartition groupOffsets) {
        TopicPartition partition = hanging.transaction().opened().partition();
        if (partition.equals(groupOffsets)) {
            return isTopologys(hanging.transactionalId(), applicationId) ? Action.ABORT : Action.REPORT;
        }
        return isParleys(partition.topic(), applicationId) ? Action.ABORT : Action.LEAVE;
    }

    /** Since when each transaction open now has been seen open: as before for those still open, now for the others. */
    static Map<Opened, Instant> seenSince(Map<Opened, Instant> before, Collection<OpenTransaction> open, Instant now) {
        Map<Opened, Instant> seen = new HashMap<>();
        open.forEach(transaction -> seen.put(transaction.opened(), before.getOrDefault(transaction.opened(), now)));
        return seen;
    }

    /** The hanging transactions still open from the same offset, by the same producer and epoch, when looked at again. */
    static List<Hanging> stillOpen(List<Hanging> hanging, Collection<OpenTransaction> openNow) {
        Set<Opened> open = openNow.stream().map(OpenTransaction::opened).collect(Collectors.toSet());
        return hanging.stream().filter(h -> open.contains(h.transaction().opened())).toList();
    }

    /** How often to look: every 30 s, or every half of a shorter max timeout (at least every second). */
    static Duration interval(Duration maxTimeout) {
        Duration half = maxTimeout.dividedBy(2);
        if (half.compareTo(LONGEST_INTERVAL) >= 0) {
            return LONGEST_INTERVAL;
        }
        return half.compareTo(Duration.ofSeconds(1)) < 0 ? Duration.ofSeconds(1) : half;
    }

    /** Whether a topic is Parley's: one of {@link Topics#ALL}, or the topology's changelogs and repartition topics. */
    static boolean isParleys(String topic, String applicationId) {
        return Topics.ALL.contains(topic) || topic.startsWith(applicationId + "-");
    }

    /** Whether a transactional id is one of the topology's producers ({@code <application id>-<process id>-<thread>}). */
    static boolean isTopologys(String transactionalId, String applicationId) {
        return transactionalId != null && transactionalId.startsWith(applicationId + "-");
    }

    /** The partition of {@code __consumer_offsets} that holds a group's offsets, as Kafka's group coordinator places it. */
    static int offsetsPartition(String groupId, int partitions) {
        int hash = groupId.hashCode();
        return (hash == Integer.MIN_VALUE ? 0 : Math.abs(hash)) % partitions;
    }

    private static Duration sinceLastWrite(OpenTransaction transaction, Instant now) {
        return Duration.ofMillis(now.toEpochMilli() - transaction.lastTimestamp());
    }

    // ---- asking Kafka ----

    /** Looks now, then every {@link #interval} on a daemon thread of its own, until closed. */
    HangingTransactions start() throws InterruptedException {
        checkQuietly();
        long every = interval(maxTimeout()).toMillis();
        schedule = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "hanging-transactions");
            thread.setDaemon(true);
            return thread;
        });
        schedule.scheduleWithFixedDelay(this::checkQuietly, every, every, TimeUnit.MILLISECONDS);
        return this;
    }

    /** A look that never fails Parley: Kafka unavailable is tried again next time; refused, said once. */
    private void checkQuietly() {
        try {
            check();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Exception e) {
            Throwable cause = e instanceof ExecutionException && e.getCause() != null ? e.getCause() : e;
            if (cause instanceof AuthorizationException) {
                warnNotAuthorized(cause);
            } else {
                log.warn("Could not look for hanging transactions on Parley's topics, will look again: {}", cause.toString());
            }
        }
    }

    /** Finds the hanging transactions on Parley's partitions and aborts them; the ones it aborted. */
    synchronized List<Hanging> check() throws InterruptedException, ExecutionException {
        List<TopicPartition> partitions = new ArrayList<>(parleysPartitions());
        TopicPartition groupOffsets = groupOffsetsPartition();
        if (groupOffsets != null) {
            partitions.add(groupOffsets);
        }
        List<OpenTransaction> open = openTransactions(partitions);
        Instant now = clock.get();
        Map<Opened, Instant> seen = seenSince(firstSeen, open, now);
        firstSeen.clear();
        firstSeen.putAll(seen);
        reported.retainAll(seen.keySet()); // one reported and since ended is forgotten
        Duration maxTimeout = maxTimeout();
        // Only the producers of transactions open past the max timeout are worth asking their coordinator about.
        Set<Long> producerIds = open.stream().filter(t -> sinceLastWrite(t, now).compareTo(maxTimeout) > 0)
                .map(t -> t.opened().producerId()).collect(Collectors.toSet());
        if (producerIds.isEmpty()) {
            return List.of();
        }
        List<Hanging> hanging = hanging(open, coordinators(producerIds), firstSeen, maxTimeout, now);
        if (hanging.isEmpty()) {
            return List.of();
        }
        // Looked at once more now that the coordinator has answered: had it ended one meanwhile, its marker would be there.
        List<Hanging> confirmed = stillOpen(hanging, openTransactions(hanging.stream().map(h -> h.transaction().opened().partition())
                .distinct().toList()));
        List<Hanging> aborted = new ArrayList<>();
        for (Hanging h : confirmed) {
            switch (action(h, applicationId, groupOffsets)) {
                case ABORT -> {
                    if (abort(h, maxTimeout, now)) {
                        aborted.add(h);
                    }
                }
                case REPORT -> reportInGroupOffsets(h, maxTimeout, now);
                case LEAVE -> log.debug("Left a hanging transaction on {}, not Parley's to abort", h.transaction().opened().partition());
            }
        }
        return aborted;
    }

    private boolean abort(Hanging hanging, Duration maxTimeout, Instant now) throws InterruptedException {
        OpenTransaction transaction = hanging.transaction();
        Opened opened = transaction.opened();
        // A producer that never had a marker written there has coordinator epoch -1: 0 is not above any, as the tool reasons.
        var spec = new AbortTransactionSpec(opened.partition(), opened.producerId(), opened.producerEpoch(),
                Math.max(0, transaction.coordinatorEpoch()));
        try {
            admin.abortTransaction(spec).all().get();
        } catch (ExecutionException e) {
            if (e.getCause() instanceof AuthorizationException) {
                warnNotAuthorized(e.getCause());
            } else {
                log.warn("Could not abort the hanging transaction on {} of producer {} (epoch {}), will try again: {}", opened.partition(),
                        opened.producerId(), opened.producerEpoch(), e.getCause().toString());
            }
            return false;
        }
        log.warn("Aborted a hanging transaction on {}: {}", opened.partition(), describe(hanging, maxTimeout, now));
        return true;
    }

    /** A transaction on the group's offsets partition not provably the topology's: said once, with the command that aborts it. */
    private void reportInGroupOffsets(Hanging hanging, Duration maxTimeout, Instant now) {
        Opened opened = hanging.transaction().opened();
        if (!reported.add(opened)) {
            return; // said already
        }
        String whose = hanging.transactionalId() == null
                ? "No coordinator knows its producer, so Parley cannot tell whether it is the topology's (then the topology "
                + "waits for stable offsets until it is aborted) and"
                : "Its producer is another application's, and Parley";
        log.warn("A transaction hangs on {}, which holds the topology's group's offsets among others: {}. {} aborts only the "
                        + "topology's own transactions there. To abort it: kafka-transactions.sh --bootstrap-server ... abort "
                        + "--topic {} --partition {} --start-offset {}",
                opened.partition(), describe(hanging, maxTimeout, now), whose, opened.partition().topic(), opened.partition().partition(),
                opened.startOffset());
    }

    private static String describe(Hanging hanging, Duration maxTimeout, Instant now) {
        OpenTransaction transaction = hanging.transaction();
        Opened opened = transaction.opened();
        return "producer " + opened.producerId() + ", epoch " + opened.producerEpoch()
                + (hanging.transactionalId() == null ? "" : ", transactional id " + hanging.transactionalId())
                + ", open from offset " + opened.startOffset() + ", last written " + shown(sinceLastWrite(transaction, now))
                + " ago by its records' time, seen open by Parley for " + shown(hanging.seenOpenFor()) + "; " + hanging.why()
                + " (" + MAX_TIMEOUT_CONFIG + " " + maxTimeout.toMillis() + ")";
    }

    private static String shown(Duration duration) {
        if (duration.compareTo(Duration.ofMinutes(2)) < 0) {
            return duration.toSeconds() + " s";
        }
        return duration.compareTo(Duration.ofHours(2)) < 0 ? duration.toMinutes() + " min" : duration.toHours() + " h";
    }

    private void warnNotAuthorized(Throwable cause) {
        if (!warnedNotAuthorized) {
            warnedNotAuthorized = true;
            log.warn("Parley may not look for or abort hanging transactions on its topics ({}). Should one occur, an operator "
                    + "must run kafka-transactions.sh find-hanging and abort.", cause.getMessage());
        }
    }

    private List<TopicPartition> parleysPartitions() throws InterruptedException, ExecutionException {
        List<String> topics = admin.listTopics().names().get().stream().filter(topic -> isParleys(topic, applicationId)).sorted().toList();
        List<TopicPartition> partitions = new ArrayList<>();
        admin.describeTopics(topics).allTopicNames().get().forEach((topic, description) ->
                description.partitions().forEach(p -> partitions.add(new TopicPartition(topic, p.partition()))));
        return partitions;
    }

    /** The partition of {@code __consumer_offsets} with the topology's offsets; null when Kafka will not say. */
    private TopicPartition groupOffsetsPartition() throws InterruptedException {
        try {
            int partitions = admin.describeTopics(List.of(Topic.GROUP_METADATA_TOPIC_NAME)).allTopicNames().get()
                    .get(Topic.GROUP_METADATA_TOPIC_NAME).partitions().size();
            return new TopicPartition(Topic.GROUP_METADATA_TOPIC_NAME, offsetsPartition(applicationId, partitions));
        } catch (ExecutionException e) {
            log.debug("{} not described: {}", Topic.GROUP_METADATA_TOPIC_NAME, e.getCause().toString());
            return null;
        }
    }

    /** The transactions open on these partitions; a partition whose leader cannot answer now is left for the next look. */
    private List<OpenTransaction> openTransactions(List<TopicPartition> partitions) throws InterruptedException {
        List<OpenTransaction> open = new ArrayList<>();
        if (partitions.isEmpty()) {
            return open;
        }
        var described = admin.describeProducers(partitions);
        for (TopicPartition partition : partitions) {
            PartitionProducerState state;
            try {
                state = described.partitionResult(partition).get();
            } catch (ExecutionException e) {
                log.debug("Producers of {} not described: {}", partition, e.getCause().toString());
                continue;
            }
            state.activeProducers().forEach(producer -> producer.currentTransactionStartOffset().ifPresent(start -> open.add(
                    new OpenTransaction(new Opened(partition, producer.producerId(), (short) producer.producerEpoch(), start),
                            producer.coordinatorEpoch().orElse(-1), producer.lastTimestamp()))));
        }
        return open;
    }

    /** What the coordinators say about each producer's current transaction. */
    private Map<Long, Coordinator> coordinators(Set<Long> producerIds) throws InterruptedException, ExecutionException {
        Map<Long, String> transactionalIds = new HashMap<>();
        for (TransactionListing listing : admin.listTransactions(new ListTransactionsOptions().filterProducerIds(producerIds)).all().get()) {
            if (producerIds.contains(listing.producerId())) {
                transactionalIds.put(listing.producerId(), listing.transactionalId());
            }
        }
        Map<Long, Coordinator> coordinators = new HashMap<>();
        if (transactionalIds.isEmpty()) {
            return coordinators;
        }
        var described = admin.describeTransactions(new HashSet<>(transactionalIds.values()));
        transactionalIds.forEach((producerId, transactionalId) ->
                coordinators.put(producerId, coordinator(producerId, transactionalId, described.description(transactionalId))));
        return coordinators;
    }

    private static Coordinator coordinator(long producerId, String transactionalId, KafkaFuture<TransactionDescription> description) {
        try {
            TransactionDescription current = description.get();
            // A transactional id that has moved on to another producer id no longer tracks this one's transactions.
            return current.producerId() == producerId ? new Tracks(transactionalId, current.topicPartitions()) : new Forgot();
        } catch (ExecutionException e) {
            return e.getCause() instanceof TransactionalIdNotFoundException ? new Forgot() : new CannotTell(e.getCause().toString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new CannotTell("interrupted");
        }
    }

    /** The broker's {@value #MAX_TIMEOUT_CONFIG}, read once; Kafka's default while the broker does not say. */
    private synchronized Duration maxTimeout() throws InterruptedException {
        if (maxTimeout != null) {
            return maxTimeout;
        }
        try {
            Node broker = admin.describeCluster().nodes().get().iterator().next();
            var resource = new ConfigResource(ConfigResource.Type.BROKER, broker.idString());
            var entry = admin.describeConfigs(List.of(resource)).all().get().get(resource).get(MAX_TIMEOUT_CONFIG);
            maxTimeout = entry == null || entry.value() == null ? DEFAULT_MAX_TIMEOUT : Duration.ofMillis(Long.parseLong(entry.value()));
            log.info("Looking for hanging transactions on Parley's topics every {} s ({} {})", interval(maxTimeout).toSeconds(),
                    MAX_TIMEOUT_CONFIG, maxTimeout.toMillis());
            return maxTimeout;
        } catch (ExecutionException e) {
            if (e.getCause() instanceof AuthorizationException) {
                maxTimeout = DEFAULT_MAX_TIMEOUT; // it will not be allowed later either
            }
            log.info("The broker's {} is unknown ({}): taking Kafka's default, {} min", MAX_TIMEOUT_CONFIG, e.getCause().toString(),
                    DEFAULT_MAX_TIMEOUT.toMinutes());
            return DEFAULT_MAX_TIMEOUT;
        }
    }

    @Override
    public void close() {
        if (schedule != null) {
            schedule.shutdownNow();
        }
    }
}
