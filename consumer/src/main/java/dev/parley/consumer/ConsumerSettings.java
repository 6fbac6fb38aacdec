package dev.parley.consumer;

import dev.parley.schemas.KafkaPassThrough;
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
        return new ConsumerSettings(bootstrapServers, KafkaPassThrough.from(env));
    }

    /** Properties for the named sink's own consumer group. */
    public Properties toKafkaProperties(String sinkName) {
        Properties props = new Properties();
        props.putAll(kafka);
        props.putIfAbsent(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        props.putIfAbsent(ConsumerConfig.GROUP_ID_CONFIG, "parley-sink-" + sinkName);
        // Only changes of committed Streams transactions: never one that an aborted attempt wrote.
        props.putIfAbsent(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        props.putIfAbsent(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        props.putIfAbsent(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        return props;
    }
}
