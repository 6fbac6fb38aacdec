package dev.parley.schemas;

import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/** Kafka client properties given as {@code KAFKA_*} environment variables: {@code KAFKA_LINGER_MS=5} is {@code linger.ms=5}. */
public final class KafkaVariables {

    private KafkaVariables() {
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

    /** The other way: client properties as the {@code KAFKA_*} variables that give them ({@code linger.ms} is {@code KAFKA_LINGER_MS}). */
    public static Map<String, String> toEnv(Map<String, String> properties) {
        Map<String, String> env = new TreeMap<>();
        properties.forEach((name, value) -> env.put("KAFKA_" + name.toUpperCase(Locale.ROOT).replace('.', '_'), value));
        return env;
    }
}
