package dev.parley.localkafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.assertj.core.api.Assertions.tuple;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Timeout(value = 3, unit = TimeUnit.MINUTES)
class LocalKafkaIT {

    private static final String TOPIC = "parley.survivors";

    @TempDir
    Path dataDir;

    @Test
    void shouldKeepAnAcknowledgedRecordWhenTheBrokerIsKilledAndStartedAgain() throws Exception {
        try (LocalKafka kafka = LocalKafka.in(dataDir)) {
            // given a broker of our own that acknowledged a record to all replicas
            kafka.start();
            String bootstrapServers = kafka.bootstrapServers();
            createTopic(bootstrapServers);
            produce(bootstrapServers, "claim-1", "Moscow meeting on 2025-12-02");

            // when it is killed as by a crash, then started again on the same data directory
            long killedPid = kafka.pid();
            kafka.kill();
            assertThat(kafka.isRunning()).isFalse();
            assertThat(ProcessHandle.of(killedPid).filter(ProcessHandle::isAlive)).isEmpty();
            kafka.start();

            // then it listens where it did and still has the record
            assertThat(kafka.pid()).isNotEqualTo(killedPid);
            assertThat(kafka.bootstrapServers()).isEqualTo(bootstrapServers);
            assertThat(consumeAll(bootstrapServers))
                    .extracting(ConsumerRecord::key, ConsumerRecord::value)
                    .containsExactly(tuple("claim-1", "Moscow meeting on 2025-12-02"));
        }
    }

    @Test
    void shouldStopTheBrokerWhenTheJvmThatStartedItIsKilled() throws Exception {
        // given a separate JVM that started a broker
        Path parentLog = dataDir.resolve("parent.log");
        Process parent = new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"),
                BrokerParent.class.getName(), dataDir.resolve("broker").toString())
                .redirectError(parentLog.toFile())
                .start();
        ProcessHandle broker = null;
        try {
            broker = ProcessHandle.of(readBrokerPid(parent, parentLog)).orElseThrow();
            assertThat(broker.isAlive()).isTrue();

            // when that JVM is killed without any chance to clean up
            parent.destroyForcibly();
            parent.waitFor();

            // then its broker exits on its own
            assertThat(broker.onExit()).succeedsWithin(Duration.ofSeconds(30));
        } finally {
            parent.destroyForcibly();
            if (broker != null) {
                broker.destroyForcibly();
            }
        }
    }

    @Test
    void shouldFailFastWithTheBrokersOwnErrorWhenItsPortIsTaken() throws Exception {
        // given a port that something else already listens on
        try (ServerSocket squatter = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            LocalKafka kafka = new LocalKafka(LocalKafkaSettings.in(dataDir).withPorts(squatter.getLocalPort(), 0));

            // when a broker is started on it
            long startedAt = System.nanoTime();
            Throwable failure = catchThrowable(kafka::start);

            // then start gives up as soon as the broker exits, and says why in the broker's words
            assertThat(failure)
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("exited with code")
                    .hasMessageContaining("Address already in use");
            assertThat(Duration.ofNanos(System.nanoTime() - startedAt)).isLessThan(Duration.ofSeconds(30));
            assertThat(kafka.isRunning()).isFalse();
        }
    }

    private static long readBrokerPid(Process parent, Path parentLog) throws IOException {
        BufferedReader stdout = new BufferedReader(new InputStreamReader(parent.getInputStream(), StandardCharsets.UTF_8));
        for (String line = stdout.readLine(); line != null; line = stdout.readLine()) {
            if (line.startsWith("broker-pid=")) {
                return Long.parseLong(line.substring("broker-pid=".length()));
            }
        }
        throw new AssertionError("The parent JVM ended without starting a broker:\n" + Files.readString(parentLog));
    }

    private static void createTopic(String bootstrapServers) throws Exception {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers))) {
            admin.createTopics(List.of(new NewTopic(TOPIC, 1, (short) 1))).all().get(30, TimeUnit.SECONDS);
        }
    }

    private static void produce(String bootstrapServers, String key, String value) throws Exception {
        Map<String, Object> config = Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ProducerConfig.ACKS_CONFIG, "all");
        try (KafkaProducer<String, String> producer =
                     new KafkaProducer<>(config, new StringSerializer(), new StringSerializer())) {
            producer.send(new ProducerRecord<>(TOPIC, key, value)).get(30, TimeUnit.SECONDS);
        }
    }

    /** Everything in the topic, read from the beginning until a poll brings nothing new. */
    private static List<ConsumerRecord<String, String>> consumeAll(String bootstrapServers) {
        Map<String, Object> config = Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        List<ConsumerRecord<String, String>> records = new ArrayList<>();
        try (KafkaConsumer<String, String> consumer =
                     new KafkaConsumer<>(config, new StringDeserializer(), new StringDeserializer())) {
            consumer.assign(Set.of(new TopicPartition(TOPIC, 0)));
            Instant deadline = Instant.now().plusSeconds(30);
            while (records.isEmpty() && Instant.now().isBefore(deadline)) {
                consumer.poll(Duration.ofSeconds(1)).forEach(records::add);
            }
            consumer.poll(Duration.ofSeconds(1)).forEach(records::add);
        }
        return records;
    }
}
