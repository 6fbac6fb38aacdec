package dev.parley.app;

import dev.parley.schemas.KafkaVariables;
import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.streams.StreamsConfig;

/**
 * Where Parley's settings come from. A flag wins over an environment variable, which wins over the config file, which
 * wins over the default. The config file holds the environment variables' own names, {@code PARLEY_*} and
 * {@code KAFKA_*}, or Kafka client properties as Kafka's tools take them ({@code bootstrap.servers},
 * {@code sasl.jaas.config}), one {@code NAME=value} per line ({@code #} starts a comment). It is the file
 * {@code --config} (or {@code --command-config}) or {@code PARLEY_CONFIG} names, else {@code ./parley.properties}
 * when there is one.
 */
final class Configuration {

    enum Source { FLAG, ENVIRONMENT, FILE, DEFAULT }

    static final String FILE_VARIABLE = "PARLEY_CONFIG";
    static final Path DEFAULT_FILE = Path.of("parley.properties");

    private final Map<String, String> environment;
    private final Map<String, String> file;
    private final Path filePath;

    private Configuration(Map<String, String> environment, Map<String, String> file, Path filePath) {
        this.environment = environment;
        this.file = file;
        this.filePath = filePath;
    }

    /** Reads the config file, if any; an unreadable file or a name Parley does not read is an error saying which. */
    static Configuration load(Map<String, String> environment, Path fileFlag) {
        Path path = fileFlag;
        String named = environment.get(FILE_VARIABLE);
        if (path == null && named != null && !named.isBlank()) {
            path = Path.of(named.trim());
        }
        if (path == null) {
            path = Files.exists(DEFAULT_FILE) ? DEFAULT_FILE : null;
        } else if (!Files.isRegularFile(path)) {
            throw new IllegalArgumentException((fileFlag != null ? "--config" : FILE_VARIABLE) + ": \"" + path
                    + "\" is not a file (expected a file of NAME=value lines, e.g. PARLEY_PORT=8081)");
        }
        return new Configuration(Map.copyOf(environment), path == null ? Map.of() : read(path), path == null ? null : path.toAbsolutePath());
    }

    private static Map<String, String> read(Path path) {
        Properties properties = new Properties();
        List<String> lines;
        try (Reader in = Files.newBufferedReader(path, StandardCharsets.UTF_8)) {
            properties.load(in);
            lines = Files.readAllLines(path, StandardCharsets.UTF_8);
        } catch (IOException | IllegalArgumentException e) {
            throw new IllegalArgumentException(path + ": cannot be read (" + e.getMessage() + ")", e);
        }
        Map<String, String> values = new TreeMap<>();
        Map<Integer, String> bad = new TreeMap<>(); // by line number
        for (String name : new TreeSet<>(properties.stringPropertyNames())) {
            String value = properties.getProperty(name).trim();
            if (name.startsWith("PARLEY_")) {
                values.put(name, value);
            } else if (KAFKA_CLIENT_PROPERTIES.contains(clientProperty(name))) {
                values.put(name.startsWith("KAFKA_") ? name : KafkaVariables.toEnv(Map.of(name, value)).keySet().iterator().next(), value);
            } else {
                int line = lineOf(lines, name);
                bad.put(line, "line " + line + ": \"" + name + "\" is not a setting");
            }
        }
        if (!bad.isEmpty()) {
            throw new IllegalArgumentException(path + ": " + String.join("; ", bad.values()) + " (expected PARLEY_* names, or Kafka "
                    + "client properties as Kafka's tools take them, e.g. bootstrap.servers=host:9092, or as KAFKA_* "
                    + "variables, e.g. KAFKA_BOOTSTRAP_SERVERS=host:9092)");
        }
        return values;
    }

    /**
     * Every property a Kafka client of Parley's reads, so a misspelt one in a file is named rather than ignored.
     * The environment is not checked: it holds more than Parley's settings.
     */
    private static final Set<String> KAFKA_CLIENT_PROPERTIES = Stream.of(ProducerConfig.configNames(), ConsumerConfig.configNames(),
            AdminClientConfig.configNames(), StreamsConfig.configDef().names()).flatMap(Set::stream).collect(Collectors.toUnmodifiableSet());

    /** The client property a file's name stands for: {@code KAFKA_LINGER_MS} and {@code linger.ms} both mean {@code linger.ms}. */
    private static String clientProperty(String name) {
        String property = name.startsWith("KAFKA_") ? KafkaVariables.from(Map.of(name, "")).keySet().stream().findFirst().orElse(name) : name;
        for (String prefix : List.of("main.consumer.", "restore.consumer.", "global.consumer.", "consumer.", "producer.", "admin.")) {
            if (property.startsWith(prefix)) {
                return property.substring(prefix.length());
            }
        }
        return property;
    }

    /** The number of the first line that sets {@code name}, for error messages. */
    private static int lineOf(List<String> lines, String name) {
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i).stripLeading();
            if (line.startsWith(name) && (line.length() == name.length() || "=: \t".indexOf(line.charAt(name.length())) >= 0)) {
                return i + 1;
            }
        }
        return 0;
    }

    /** What Parley reads its settings from: the config file's values, overridden by the environment's. */
    Map<String, String> environment() {
        Map<String, String> merged = new HashMap<>(file);
        merged.putAll(environment);
        return merged;
    }

    /** Where a setting's value comes from, flags aside (the command knows its own flags). */
    Source source(String name) {
        if (environment.containsKey(name) && !environment.get(name).isBlank()) {
            return Source.ENVIRONMENT;
        }
        return file.containsKey(name) ? Source.FILE : Source.DEFAULT;
    }

    /** The config file read, absolute; null when there was none. */
    Path file() {
        return filePath;
    }
}
