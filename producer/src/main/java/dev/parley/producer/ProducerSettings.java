package dev.parley.producer;

import dev.parley.schemas.KafkaVariables;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.producer.ProducerConfig;

/**
 * How developments are published.
 *
 * @param bootstrapServers Kafka to publish to ({@code PARLEY_BOOTSTRAP_SERVERS})
 * @param kafka            extra producer properties from {@code KAFKA_*} variables
 */
public record ProducerSettings(String bootstrapServers, Map<String, String> kafka) {

    public static ProducerSettings from(Map<String, String> env, String bootstrapServers) {
        return new ProducerSettings(bootstrapServers, KafkaVariables.from(env));
    }

    public Properties toKafkaProperties() {
        Properties props = new Properties();
        props.putAll(kafka);
        // The cluster the caller chose (a flag, PARLEY_ or KAFKA_BOOTSTRAP_SERVERS) wins over the pass-through's copy of it.
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        // Nothing is acknowledged to a user before every in-sync replica has it, and retries never duplicate.
        props.putIfAbsent(ProducerConfig.ACKS_CONFIG, "all");
        props.putIfAbsent(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
        props.putIfAbsent(ProducerConfig.LINGER_MS_CONFIG, "5");
        props.putIfAbsent(ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4");
        props.putIfAbsent(ProducerConfig.CLIENT_ID_CONFIG, "parley-publisher");
        // Fail within seconds, not minutes, when Kafka cannot be reached: a person is usually waiting.
        props.putIfAbsent(ProducerConfig.MAX_BLOCK_MS_CONFIG, "15000");
        props.putIfAbsent(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, "60000");
        return props;
    }
}
