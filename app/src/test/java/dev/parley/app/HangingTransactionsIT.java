package dev.parley.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.parley.localkafka.LocalKafka;
import dev.parley.localkafka.LocalKafkaSettings;
import dev.parley.schemas.Topics;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.admin.AbortTransactionSpec;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ListOffsetsOptions;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.TransactionDescription;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.compress.Compression;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.internals.Topic;
import org.apache.kafka.common.message.ProduceRequestData;
import org.apache.kafka.common.message.TxnOffsetCommitRequestData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.record.internal.MemoryRecords;
import org.apache.kafka.common.record.internal.SimpleRecord;
import org.apache.kafka.common.requests.AbstractRequest;
import org.apache.kafka.common.requests.AbstractResponse;
import org.apache.kafka.common.requests.ProduceRequest;
import org.apache.kafka.common.requests.ProduceResponse;
import org.apache.kafka.common.requests.RequestHeader;
import org.apache.kafka.common.requests.TxnOffsetCommitRequest;
import org.apache.kafka.common.requests.TxnOffsetCommitResponse;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link HangingTransactions} on a real broker with real hanging transactions. A broker's SIGTERM leaves one only now
 * and then, so they are made the way Kafka's older hanging-transaction bug made them (the one KIP-890 closed): a
 * transactional produce request that reaches a partition after its transaction ended, or that its coordinator never
 * tracked, accepted by a broker that does not check partitions with the coordinator
 * ({@code transaction.partition.verification.enable=false}; brokers before 3.6 never did). The request is sent by hand,
 * as such a late retry arrives; everything after it is Kafka's own.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class HangingTransactionsIT {

    private static final String APPLICATION_ID = "hanging-it";
    /** Record time in Parley's topics is when a development was reported: long ago, for a transaction opened now. */
    private static final Instant REPORTED_AT = Instant.parse("2025-12-02T18:00:00Z");
    private static final Duration MAX_TIMEOUT = Duration.ofSeconds(60);

    @TempDir
    static Path dir;

    private static LocalKafka kafka;
    private static Admin admin;

    @BeforeAll
    static void startBroker() throws Exception {
        kafka = new LocalKafka(LocalKafkaSettings.in(dir)
                .withBrokerProperty("transaction.partition.verification.enable", "false")
                .withBrokerProperty("transaction.max.timeout.ms", String.valueOf(MAX_TIMEOUT.toMillis())));
        kafka.start();
        admin = Admin.create(Map.of("bootstrap.servers", kafka.bootstrapServers()));
        admin.createTopics(List.of(new NewTopic(Topics.STATUS_CHANGES, 3, (short) 1), new NewTopic("orders", 1, (short) 1))).all().get();
    }

    @AfterAll
    static void stopBroker() {
        if (admin != null) {
            admin.close();
        }
        if (kafka != null) {
            kafka.close();
        }
    }

    @Test
    void shouldAbortATransactionItsCoordinatorHasEndedSoReadersGetPastIt() throws Exception {
        // given Parley's producer, known to its coordinator, whose transaction is open on a partition its coordinator has
        // finished with: read_committed readers stop there
        TopicPartition partition = new TopicPartition(Topics.STATUS_CHANGES, 0);
        TransactionDescription producer = aProducerWithACommittedTransaction(APPLICATION_ID + "-1234-1");
        lateTransactionalWrite(partition, producer.producerId(), (short) producer.producerEpoch(), "lost-in-a-hanging-transaction");
        publishCommitted(partition, "behind-it");
        assertThat(stableOffset(partition)).as("last stable offset, stuck at the hanging transaction").isLessThan(endOffset(partition));
        assertThat(readCommitted(partition)).isEmpty();

        // when Parley looks
        List<HangingTransactions.Hanging> aborted = new HangingTransactions(admin, APPLICATION_ID, Instant::now).check();

        // then it aborts that transaction, and readers get the record behind it, not the hanging one
        assertThat(aborted).singleElement().satisfies(h -> {
            assertThat(h.transaction().opened().partition()).isEqualTo(partition);
            assertThat(h.transaction().opened().producerId()).isEqualTo(producer.producerId());
            assertThat(h.transactionalId()).isEqualTo(APPLICATION_ID + "-1234-1");
        });
        assertThat(stableOffset(partition)).isEqualTo(endOffset(partition));
        assertThat(readCommitted(partition)).containsExactly("behind-it");
    }

    @Test
    void shouldAbortATransactionNoCoordinatorKnowsOnlyAfterSeeingItOpenForTheMaxTimeout() throws Exception {
        // given a transaction open on a partition by a producer id no coordinator knows
        TopicPartition partition = new TopicPartition(Topics.STATUS_CHANGES, 1);
        lateTransactionalWrite(partition, 987_654L, (short) 0, "lost-in-a-hanging-transaction");

        // when Parley looks now, and again once it has seen it open for longer than the broker's max timeout
        Looks looks = lookNowAndAfter(MAX_TIMEOUT.plusSeconds(1));
        List<HangingTransactions.Hanging> first = looks.now();
        List<HangingTransactions.Hanging> second = looks.later();

        // then it waits the first time (its coordinator may be moving), and aborts the second
        assertThat(first).isEmpty();
        assertThat(second).singleElement().satisfies(h -> {
            assertThat(h.transaction().opened().partition()).isEqualTo(partition);
            assertThat(h.transactionalId()).isNull();
        });
        assertThat(stableOffset(partition)).isEqualTo(endOffset(partition));
    }

    @Test
    void shouldNeverAbortALiveTransactionEvenWhenItsRecordsAreOld() throws Exception {
        // given a live transaction whose records carry an old time, as the topology's do
        TopicPartition partition = new TopicPartition(Topics.STATUS_CHANGES, 2);
        try (var producer = new KafkaProducer<String, String>(Map.of("bootstrap.servers", kafka.bootstrapServers(),
                "transactional.id", APPLICATION_ID + "-5678-1", "key.serializer", StringSerializer.class,
                "value.serializer", StringSerializer.class))) {
            producer.initTransactions();
            producer.beginTransaction();
            producer.send(new ProducerRecord<>(partition.topic(), partition.partition(), REPORTED_AT.toEpochMilli(), "k", "in-a-live-transaction")).get();

            // when Parley looks, even long after by its own clock
            Looks looks = lookNowAndAfter(MAX_TIMEOUT.multipliedBy(3));
            List<HangingTransactions.Hanging> first = looks.now();
            List<HangingTransactions.Hanging> later = looks.later();

            // then it aborts nothing, and the transaction commits
            assertThat(first).isEmpty();
            assertThat(later).isEmpty();
            producer.commitTransaction();
        }
        // The commit returns once the coordinator has decided; its marker reaches the partition a moment later.
        Await.until("the commit marker on " + partition, Duration.ofSeconds(10), () -> stableOffset(partition) == endOffset(partition));
        assertThat(readCommitted(partition)).containsExactly("in-a-live-transaction");
    }

    @Test
    void shouldLeaveOtherApplicationsTopicsAlone() throws Exception {
        // given a hanging transaction on a topic that is not Parley's
        TopicPartition partition = new TopicPartition("orders", 0);
        lateTransactionalWrite(partition, 987_655L, (short) 0, "someone-else's");

        // when Parley looks, now and much later
        List<HangingTransactions.Hanging> later = lookNowAndAfter(MAX_TIMEOUT.multipliedBy(3)).later();

        // then it leaves it for its owner
        assertThat(later).isEmpty();
        assertThat(stableOffset(partition)).isLessThan(endOffset(partition));
    }

    @Test
    void shouldAbortTheTopologysOwnTransactionOnItsGroupsOffsetsSoItsOffsetsAreStableAgain() throws Exception {
        // given the topology's group with committed offsets, and a transactional offset commit for it by one of the
        // topology's producers that its coordinator has finished with: offsets fetched as stable wait for it forever, as
        // the topology does
        TopicPartition input = new TopicPartition("orders", 0);
        admin.alterConsumerGroupOffsets(APPLICATION_ID, Map.of(input, new OffsetAndMetadata(3))).all().get();
        TransactionDescription producer = aProducerWithACommittedTransaction(APPLICATION_ID + "-9012-1");
        lateTransactionalOffsetCommit(APPLICATION_ID + "-9012-1", producer.producerId(), (short) producer.producerEpoch(), input, 42);
        TopicPartition groupOffsets = groupOffsetsPartition();
        assertThat(stableOffset(groupOffsets)).as("last stable offset of " + groupOffsets).isLessThan(endOffset(groupOffsets));
        assertThatThrownBy(() -> stableCommittedOffset(input)).isInstanceOf(TimeoutException.class);

        // when Parley looks now, and again once the transaction is older than the broker's max timeout
        Looks looks = lookNowAndAfter(MAX_TIMEOUT.plusSeconds(1));
        List<HangingTransactions.Hanging> first = looks.now();
        List<HangingTransactions.Hanging> second = looks.later();

        // then it aborts it the second time, and the group's offsets are stable again, without the aborted commit
        assertThat(first).isEmpty();
        assertThat(second).singleElement().satisfies(h -> {
            assertThat(h.transaction().opened().partition()).isEqualTo(groupOffsets);
            assertThat(h.transaction().opened().producerId()).isEqualTo(producer.producerId());
            assertThat(h.transactionalId()).isEqualTo(APPLICATION_ID + "-9012-1");
        });
        assertThat(stableOffset(groupOffsets)).isEqualTo(endOffset(groupOffsets));
        assertThat(stableCommittedOffset(input)).isEqualTo(3);
    }

    @Test
    void shouldOnlyReportAnotherApplicationsTransactionOnTheTopologysGroupsOffsets() throws Exception {
        // given, on the partition of __consumer_offsets that holds the topology's group, a hanging transactional offset
        // commit of another application's producer (for a group of its own that Kafka places in the same partition)
        admin.alterConsumerGroupOffsets(APPLICATION_ID, Map.of(new TopicPartition("orders", 0), new OffsetAndMetadata(3))).all().get();
        String otherGroup = aGroupInTheSamePartitionAs(APPLICATION_ID);
        TransactionDescription producer = aProducerWithACommittedTransaction("orders-processor-1");
        lateTransactionalOffsetCommit("orders-processor-1", producer.producerId(), (short) producer.producerEpoch(),
                new TopicPartition("orders", 0), 7, otherGroup);
        TopicPartition groupOffsets = groupOffsetsPartition();
        try {
            // when Parley looks, now and much later
            List<HangingTransactions.Hanging> later = lookNowAndAfter(MAX_TIMEOUT.multipliedBy(3)).later();

            // then it aborts nothing: the transaction stays open, for an operator or its owner to end
            assertThat(later).isEmpty();
            assertThat(stableOffset(groupOffsets)).isLessThan(endOffset(groupOffsets));
        } finally {
            // ended here, as an operator would, so that the other tests find only their own
            var opened = admin.describeProducers(List.of(groupOffsets)).partitionResult(groupOffsets).get().activeProducers().stream()
                    .filter(p -> p.producerId() == producer.producerId() && p.currentTransactionStartOffset().isPresent()).findFirst();
            if (opened.isPresent()) {
                admin.abortTransaction(new AbortTransactionSpec(groupOffsets, opened.get().producerId(), (short) opened.get().producerEpoch(),
                        Math.max(0, opened.get().coordinatorEpoch().orElse(0)))).all().get();
            }
        }
    }

    /** What Parley finds when it looks now, and when it looks again {@code after} that by its own clock. */
    private record Looks(List<HangingTransactions.Hanging> now, List<HangingTransactions.Hanging> later) {
    }

    private Looks lookNowAndAfter(Duration after) throws Exception {
        var clock = new AtomicReference<>(Instant.now());
        var hangingTransactions = new HangingTransactions(admin, APPLICATION_ID, clock::get);
        List<HangingTransactions.Hanging> now = hangingTransactions.check();
        clock.set(clock.get().plus(after));
        return new Looks(now, hangingTransactions.check());
    }

    // ---- making a hanging transaction ----

    /** A transactional producer that committed one transaction: its coordinator knows it, and tracks no partition now. */
    private static TransactionDescription aProducerWithACommittedTransaction(String transactionalId) throws Exception {
        try (var producer = new KafkaProducer<String, String>(Map.of("bootstrap.servers", kafka.bootstrapServers(),
                "transactional.id", transactionalId, "key.serializer", StringSerializer.class, "value.serializer", StringSerializer.class))) {
            producer.initTransactions();
            producer.beginTransaction();
            producer.send(new ProducerRecord<>("orders", 0, "k", "committed")).get();
            producer.commitTransaction();
        }
        return admin.describeTransactions(List.of(transactionalId)).description(transactionalId).get();
    }

    /**
     * A transactional record written to a partition without the producer's coordinator knowing, as a produce request
     * retried and delivered after its transaction ended: sent on a socket of its own, in version 11 of the produce
     * request (the last before transactions version 2, whose brokers add the partition to the transaction themselves).
     */
    private static void lateTransactionalWrite(TopicPartition partition, long producerId, short epoch, String value) throws Exception {
        MemoryRecords records = MemoryRecords.withTransactionalRecords(Compression.NONE, producerId, epoch, 0,
                new SimpleRecord(REPORTED_AT.toEpochMilli(), "k".getBytes(StandardCharsets.UTF_8), value.getBytes(StandardCharsets.UTF_8)));
        var topicData = new ProduceRequestData.TopicProduceDataCollection();
        topicData.add(new ProduceRequestData.TopicProduceData().setName(partition.topic())
                .setPartitionData(List.of(new ProduceRequestData.PartitionProduceData().setIndex(partition.partition()).setRecords(records))));
        short version = 11;
        ProduceRequest request = ProduceRequest.builder(new ProduceRequestData().setAcks((short) -1).setTimeoutMs(10_000)
                .setTransactionalId("late-retry").setTopicData(topicData)).build(version);
        var response = (ProduceResponse) send(request, new RequestHeader(ApiKeys.PRODUCE, version, "hanging-transactions-it", 1));
        response.data().responses().forEach(topic -> topic.partitionResponses().forEach(p ->
                assertThat(Errors.forCode(p.errorCode())).as("the late write to " + partition).isEqualTo(Errors.NONE)));
    }

    private static void lateTransactionalOffsetCommit(String transactionalId, long producerId, short epoch, TopicPartition input,
                                                      long offset) throws Exception {
        lateTransactionalOffsetCommit(transactionalId, producerId, epoch, input, offset, APPLICATION_ID);
    }

    /**
     * A group's offset committed in a transaction without the producer's coordinator knowing, as a transactional offset
     * commit retried and delivered after its transaction ended; the group coordinator writes it to {@code
     * __consumer_offsets} as an open transaction. Sent like {@link #lateTransactionalWrite}, in version 4 of the request
     * (the last before transactions version 2), as a producer outside the group (generation -1) commits.
     */
    private static void lateTransactionalOffsetCommit(String transactionalId, long producerId, short epoch, TopicPartition input,
                                                      long offset, String groupId) throws Exception {
        var data = new TxnOffsetCommitRequestData().setTransactionalId(transactionalId).setGroupId(groupId).setProducerId(producerId)
                .setProducerEpoch(epoch).setGenerationIdOrMemberEpoch(-1).setMemberId("").setGroupInstanceId(null)
                .setTopics(List.of(new TxnOffsetCommitRequestData.TxnOffsetCommitRequestTopic().setName(input.topic()).setPartitions(List.of(
                        new TxnOffsetCommitRequestData.TxnOffsetCommitRequestPartition().setPartitionIndex(input.partition())
                                .setCommittedOffset(offset).setCommittedLeaderEpoch(-1).setCommittedMetadata("")))));
        short version = 4;
        TxnOffsetCommitRequest request = TxnOffsetCommitRequest.Builder.forTopicNames(data, false).build(version);
        var response = (TxnOffsetCommitResponse) send(request, new RequestHeader(ApiKeys.TXN_OFFSET_COMMIT, version, "hanging-transactions-it", 1));
        response.data().topics().forEach(topic -> topic.partitions().forEach(p ->
                assertThat(Errors.forCode(p.errorCode())).as("the late offset commit of " + groupId).isEqualTo(Errors.NONE)));
    }

    /** A request sent on a socket of its own to the only broker (every partition's leader, and every coordinator). */
    private static AbstractResponse send(AbstractRequest request, RequestHeader header) throws Exception {
        String[] hostPort = kafka.bootstrapServers().split(":");
        try (var socket = new Socket(hostPort[0], Integer.parseInt(hostPort[1]))) {
            socket.setSoTimeout(15_000);
            ByteBuffer bytes = request.serializeWithHeader(header);
            var out = new DataOutputStream(socket.getOutputStream());
            out.writeInt(bytes.remaining());
            out.write(bytes.array(), bytes.arrayOffset() + bytes.position(), bytes.remaining());
            out.flush();
            var in = new DataInputStream(socket.getInputStream());
            byte[] answer = new byte[in.readInt()];
            in.readFully(answer);
            return AbstractResponse.parseResponse(ByteBuffer.wrap(answer), header);
        }
    }

    /** The partition of {@code __consumer_offsets} with the topology's group. */
    private static TopicPartition groupOffsetsPartition() throws Exception {
        int partitions = admin.describeTopics(List.of(Topic.GROUP_METADATA_TOPIC_NAME)).allTopicNames().get()
                .get(Topic.GROUP_METADATA_TOPIC_NAME).partitions().size();
        return new TopicPartition(Topic.GROUP_METADATA_TOPIC_NAME, HangingTransactions.offsetsPartition(APPLICATION_ID, partitions));
    }

    /** Another group whose offsets Kafka keeps in the same partition of {@code __consumer_offsets}. */
    private static String aGroupInTheSamePartitionAs(String groupId) throws Exception {
        int partitions = admin.describeTopics(List.of(Topic.GROUP_METADATA_TOPIC_NAME)).allTopicNames().get()
                .get(Topic.GROUP_METADATA_TOPIC_NAME).partitions().size();
        int partition = HangingTransactions.offsetsPartition(groupId, partitions);
        for (int i = 0; ; i++) {
            if (HangingTransactions.offsetsPartition("orders-" + i, partitions) == partition) {
                return "orders-" + i;
            }
        }
    }

    private static void publishCommitted(TopicPartition partition, String value) throws Exception {
        try (var producer = new KafkaProducer<String, String>(Map.of("bootstrap.servers", kafka.bootstrapServers(),
                "key.serializer", StringSerializer.class, "value.serializer", StringSerializer.class))) {
            producer.send(new ProducerRecord<>(partition.topic(), partition.partition(), "k", value)).get();
        }
    }

    // ---- reading ----

    private static long endOffset(TopicPartition partition) throws Exception {
        return admin.listOffsets(Map.of(partition, OffsetSpec.latest())).all().get().get(partition).offset();
    }

    private static long stableOffset(TopicPartition partition) throws Exception {
        return admin.listOffsets(Map.of(partition, OffsetSpec.latest()), new ListOffsetsOptions(IsolationLevel.READ_COMMITTED))
                .all().get().get(partition).offset();
    }

    /** The topology's group's committed offset of a partition, fetched as the topology does: stable, or none within 3 s. */
    private static long stableCommittedOffset(TopicPartition partition) {
        try (var consumer = new KafkaConsumer<String, String>(Map.of("bootstrap.servers", kafka.bootstrapServers(),
                "group.id", APPLICATION_ID, "isolation.level", "read_committed", "key.deserializer", StringDeserializer.class,
                "value.deserializer", StringDeserializer.class))) {
            return consumer.committed(Set.of(partition), Duration.ofSeconds(3)).get(partition).offset();
        }
    }

    /** What a read_committed reader gets from the partition, up to its last stable offset. */
    private static List<String> readCommitted(TopicPartition partition) throws Exception {
        List<String> values = new ArrayList<>();
        try (var consumer = new KafkaConsumer<String, String>(Map.of("bootstrap.servers", kafka.bootstrapServers(),
                "isolation.level", "read_committed", "key.deserializer", StringDeserializer.class,
                "value.deserializer", StringDeserializer.class))) {
            consumer.assign(List.of(partition));
            consumer.seekToBeginning(List.of(partition));
            long stable = stableOffset(partition);
            long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
            while (consumer.position(partition) < stable && System.nanoTime() < deadline) {
                for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(200))) {
                    values.add(record.value());
                }
            }
        }
        return values;
    }
}
