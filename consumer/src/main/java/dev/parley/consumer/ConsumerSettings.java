package dev.parley.consumer;

import dev.parley.schemas.KafkaVariables;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerConfig;

/**
 * How sinks read status changes.
 *
 * @param bootstrapServers Kafka to read from ({@code PARLEY_BOOTSTRAP_SERVERS})
 * @param kafka            extra consumer properties from {@code KAFKA_*} variables
 */
public record ConsumerSettings(String bootstrapServers, Map<String, String> kafka) {

    public static ConsumerSettings from(Map<String, String> env, String bootstrapServers) {
        return new ConsumerSettings(bootstrapServers, KafkaVariables.from(env));
    }

    /**
     * How long the broker may hold a read_committed fetch with nothing to return. A committed transaction does not
     * always wake a waiting fetch, so Kafka's 500 ms becomes the delay of a change on a quiet topic: measured with
     * {@code parley bench}, p99 send-to-delivery fell from about 770 to 400 ms at 50 ms.
     */
    public static final String READ_COMMITTED_FETCH_WAIT_MS = "50";

    /** Properties for a subscription's own consumer group. */
    public Properties toKafkaProperties(String consumerGroup) {
        Properties props = new Properties();
        props.putAll(kafka);
        // The cluster the caller chose (a flag, PARLEY_ or KAFKA_BOOTSTRAP_SERVERS) wins over the pass-through's copy of it.
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        props.putIfAbsent(ConsumerConfig.GROUP_ID_CONFIG, consumerGroup);
        // Only changes of committed Streams transactions: never one that an aborted attempt wrote.
        props.putIfAbsent(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        props.putIfAbsent(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        props.putIfAbsent(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        // A subscriber that crashed holds its partitions until its session expires: 10 s, not Kafka's 45 s.
        props.putIfAbsent(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG, "10000");
        props.putIfAbsent(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, READ_COMMITTED_FETCH_WAIT_MS);
        return props;
    }
}
