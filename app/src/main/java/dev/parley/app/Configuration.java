package dev.parley.app;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;

/**
 * Where Parley's settings come from. A flag wins over an environment variable, which wins over the config file, which
 * wins over the default. The config file holds the environment variables' own names, {@code PARLEY_*} and
 * {@code KAFKA_*}, one {@code NAME=value} per line ({@code #} starts a comment). It is the file {@code --config} or
 * {@code PARLEY_CONFIG} names, else {@code ./parley.properties} when there is one.
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
        try (Reader in = Files.newBufferedReader(path, StandardCharsets.UTF_8)) {
            properties.load(in);
        } catch (IOException | IllegalArgumentException e) {
            throw new IllegalArgumentException(path + ": cannot be read (" + e.getMessage() + ")", e);
        }
        Map<String, String> values = new TreeMap<>();
        for (String name : properties.stringPropertyNames()) {
            if (!name.startsWith("PARLEY_") && !name.startsWith("KAFKA_")) {
                throw new IllegalArgumentException(path + ": \"" + name + "\" is not a setting (expected PARLEY_* or KAFKA_* "
                        + "names, as in the environment, e.g. PARLEY_PORT=8081)");
            }
            values.put(name, properties.getProperty(name).trim());
        }
        return values;
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
