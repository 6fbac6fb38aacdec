package dev.parley.streams;

import dev.parley.schemas.KafkaVariables;
import dev.parley.schemas.Topics;
import java.nio.file.Path;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.errors.LogAndContinueExceptionHandler;
import org.apache.kafka.streams.errors.LogAndContinueProcessingExceptionHandler;

/**
 * How the status topology runs: which cluster, under which application id, where its state lives.
 *
 * @param bootstrapServers Kafka to connect to ({@code PARLEY_BOOTSTRAP_SERVERS})
 * @param applicationId    Kafka Streams application id; instances sharing it share the work ({@code PARLEY_APPLICATION_ID})
 * @param stateDir         where the state stores live ({@code PARLEY_STATE_DIR})
 * @param kafka            extra Kafka properties, from {@code KAFKA_*} variables ({@code KAFKA_LINGER_MS} → {@code linger.ms})
 */
public record StreamsSettings(String bootstrapServers, String applicationId, Path stateDir, Map<String, String> kafka) {

    public static final String DEFAULT_APPLICATION_ID = "parley-status";

    public static StreamsSettings from(Map<String, String> env, String bootstrapServers, Path defaultStateDir) {
        return new StreamsSettings(bootstrapServers,
                env.getOrDefault("PARLEY_APPLICATION_ID", DEFAULT_APPLICATION_ID),
                Path.of(env.getOrDefault("PARLEY_STATE_DIR", defaultStateDir.toString())),
                KafkaVariables.from(env));
    }

    public Properties toKafkaProperties() {
        Properties props = new Properties();
        props.putAll(kafka);
        // The cluster the caller chose (a flag, PARLEY_ or KAFKA_BOOTSTRAP_SERVERS) wins over the pass-through's copy of it.
        props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        // The rest are defaults only: a KAFKA_* variable always wins.
        props.putIfAbsent(StreamsConfig.APPLICATION_ID_CONFIG, applicationId);
        props.putIfAbsent(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
        props.putIfAbsent(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
        props.putIfAbsent(StreamsConfig.ENSURE_EXPLICIT_INTERNAL_RESOURCE_NAMING_CONFIG, "true");
        props.putIfAbsent(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, "100");
        props.putIfAbsent(StreamsConfig.PROCESSING_EXCEPTION_HANDLER_GLOBAL_ENABLED_CONFIG, "true"); // Kafka 5's default
        // A record that cannot be read or folded goes to the dead-letter topic, with headers saying why,
        // and the topology carries on with the next one (KIP-1034).
        props.putIfAbsent(StreamsConfig.ERRORS_DEAD_LETTER_QUEUE_TOPIC_NAME_CONFIG, Topics.DEAD_LETTERS);
        props.putIfAbsent(StreamsConfig.DESERIALIZATION_EXCEPTION_HANDLER_CLASS_CONFIG, LogAndContinueExceptionHandler.class.getName());
        props.putIfAbsent(StreamsConfig.PROCESSING_EXCEPTION_HANDLER_CLASS_CONFIG, LogAndContinueProcessingExceptionHandler.class.getName());
        props.putIfAbsent(StreamsConfig.PRODUCTION_EXCEPTION_HANDLER_CLASS_CONFIG, ProductionFailures.class.getName());
        // After a crash, a restarted instance gets its partitions back in seconds rather than 45.
        props.putIfAbsent(StreamsConfig.consumerPrefix(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG), "10000");
        // A transaction that starts while the broker still writes the last one's markers is told to retry; Kafka's
        // 100 ms backoff then stalls every commit. parley bench: about 1.3x the pipeline's rate at 10 ms.
        props.putIfAbsent(StreamsConfig.producerPrefix(ProducerConfig.RETRY_BACKOFF_MS_CONFIG), "10");
        return props;
    }
}
