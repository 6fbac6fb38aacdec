package dev.parley.schemas;

import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/** Kafka client properties given as {@code KAFKA_*} environment variables: {@code KAFKA_LINGER_MS=5} is {@code linger.ms=5}. */
public final class KafkaPassThrough {

    private KafkaPassThrough() {
    }

    public static Map<String, String> from(Map<String, String> env) {
        Map<String, String> props = new TreeMap<>();
        env.forEach((name, value) -> {
            // *_OPTS are JVM options for Kafka's own scripts, not client properties.
            if (name.startsWith("KAFKA_") && !name.endsWith("_OPTS")) {
                props.put(name.substring("KAFKA_".length()).toLowerCase(Locale.ROOT).replace('_', '.'), value);
            }
        });
        return props;
    }
}
