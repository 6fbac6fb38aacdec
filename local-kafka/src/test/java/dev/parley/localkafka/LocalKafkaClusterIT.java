package dev.parley.localkafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.NotEnoughReplicasException;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Three KRaft nodes as child JVMs: a partition's leader killed, a write refused below min ISR, nothing acknowledged lost. */
@Timeout(value = 4, unit = TimeUnit.MINUTES)
class LocalKafkaClusterIT {

    private static final String TOPIC = "parley.replicated";

    @TempDir
    Path dir;

    @Test
    void shouldKeepEveryAcknowledgedRecordWhenTheLeaderIsKilledAndRefuseWritesBelowMinInsyncReplicas() throws Exception {
        try (LocalKafkaCluster cluster = LocalKafkaCluster.in(dir, 3, settings -> settings.withMaxHeap("384m"))) {
            // given a cluster of three, and a topic replicated to all three, written with two in sync
            cluster.start();
            String bootstrap = cluster.bootstrapServers();
            try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
                assertThat(admin.describeCluster().nodes().get(30, TimeUnit.SECONDS)).hasSize(3);
                admin.createTopics(List.of(new NewTopic(TOPIC, 1, (short) 3).configs(Map.of("min.insync.replicas", "2"))))
                        .all().get(30, TimeUnit.SECONDS);
                produce(bootstrap, 0, 100);

                // when the partition's leader is killed, as by a crash, and records are written meanwhile
                int leader = describe(admin).partitions().get(0).leader().id();
                cluster.node(leader).kill();
                produce(bootstrap, 100, 200);

                // and a second node is stopped: one in sync is below min.insync.replicas
                int second = describe(admin).partitions().get(0).leader().id();
                cluster.node(second).stop();
                assertThatThrownBy(() -> produceWithoutRetries(bootstrap, "record-refused")).hasRootCauseInstanceOf(NotEnoughReplicasException.class);

                // then, both started again, every acknowledged record is there once, in order, and all three are in sync
                cluster.node(leader).start();
                cluster.node(second).start();
                long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
                while (describe(admin).partitions().get(0).isr().size() < 3 && System.nanoTime() < deadline) {
                    Thread.sleep(200);
                }
                assertThat(describe(admin).partitions().get(0).isr()).hasSize(3);
                assertThat(consume(bootstrap)).isEqualTo(expected(200));
            }
        }
    }

    @Test
    void shouldStartAgainOnItsDataWithTheSamePorts() throws Exception {
        // given a cluster that was started, written to and stopped
        String bootstrap;
        try (LocalKafkaCluster cluster = LocalKafkaCluster.in(dir, 3, settings -> settings.withMaxHeap("384m"))) {
            cluster.start();
            bootstrap = cluster.bootstrapServers();
            try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
                admin.createTopics(List.of(new NewTopic(TOPIC, 1, (short) 3))).all().get(30, TimeUnit.SECONDS);
            }
            produce(bootstrap, 0, 10);
        }

        // when it is made again from its folder
        try (LocalKafkaCluster again = LocalKafkaCluster.in(dir, 3, settings -> settings.withMaxHeap("384m"))) {
            again.start();

            // then it answers on the same addresses with the same records
            assertThat(again.bootstrapServers()).isEqualTo(bootstrap);
            assertThat(consume(bootstrap)).isEqualTo(expected(10));
        }
    }

    private static TopicDescription describe(Admin admin) throws ExecutionException, InterruptedException {
        return admin.describeTopics(List.of(TOPIC)).allTopicNames().get().get(TOPIC);
    }

    /** Writes records {@code from} to {@code to} (exclusive), each acknowledged by every in-sync replica. */
    private static void produce(String bootstrap, int from, int to) throws Exception {
        try (var producer = new KafkaProducer<>(Map.<String, Object>of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ProducerConfig.ACKS_CONFIG, "all", ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 20_000,
                ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, 10_000), new StringSerializer(), new StringSerializer())) {
            for (int i = from; i < to; i++) {
                producer.send(new ProducerRecord<>(TOPIC, "k", "record-" + i)).get();
            }
        }
    }

    /** One record, the broker's first answer taken as final: what a refusal says, rather than a timeout after retries. */
    private static void produceWithoutRetries(String bootstrap, String value) throws Exception {
        try (var producer = new KafkaProducer<>(Map.<String, Object>of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ProducerConfig.ACKS_CONFIG, "all", ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, false, ProducerConfig.RETRIES_CONFIG, 0),
                new StringSerializer(), new StringSerializer())) {
            producer.send(new ProducerRecord<>(TOPIC, "k", value)).get(30, TimeUnit.SECONDS);
        }
    }

    private static List<String> consume(String bootstrap) {
        List<String> values = new ArrayList<>();
        try (var consumer = new KafkaConsumer<>(Map.<String, Object>of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap),
                new StringDeserializer(), new StringDeserializer())) {
            TopicPartition partition = new TopicPartition(TOPIC, 0);
            consumer.assign(List.of(partition));
            consumer.seekToBeginning(List.of(partition));
            long end = consumer.endOffsets(List.of(partition)).get(partition);
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (consumer.position(partition) < end && System.nanoTime() < deadline) {
                consumer.poll(Duration.ofMillis(200)).forEach(record -> values.add(record.value()));
            }
        }
        return values;
    }

    private static List<String> expected(int count) {
        List<String> values = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            values.add("record-" + i);
        }
        return values;
    }
}
