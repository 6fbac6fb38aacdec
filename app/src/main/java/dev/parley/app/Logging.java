package dev.parley.app;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.JsonEncoder;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.ConsoleAppender;
import ch.qos.logback.core.encoder.Encoder;
import java.util.LinkedHashMap;
import java.util.Map;
import org.slf4j.LoggerFactory;

/**
 * Parley's logs (Logback): one line per event on stderr, as text or, with {@code PARLEY_LOG_FORMAT=json}, as one JSON
 * object per line. Parley's own lifecycle at INFO, Kafka's clients and Streams only when something is wrong;
 * {@code PARLEY_LOG_LEVEL} changes that per package: {@code debug} (Parley's own), or
 * {@code info,org.apache.kafka.streams=info,dev.parley.consumer=debug}.
 */
final class Logging {

    /** Chosen before SLF4J starts: the classpath also holds slf4j-simple, which the embedded broker's JVM uses. */
    static final String PROVIDER = "ch.qos.logback.classic.spi.LogbackServiceProvider";
    private static final String LEVELS = "trace, debug, info, warn, error or off";

    private Logging() {
    }

    /** Configures the logs from the settings; a bad value is an error naming it, and changes nothing. */
    static void configure(Map<String, String> env) {
        configure(env, false);
    }

    /**
     * As {@link #configure(Map)}; with {@code quietKafka}, for a command that answers and exits, Kafka's clients log
     * nothing unless {@code PARLEY_LOG_LEVEL} asks: the command reports what went wrong itself, in one line.
     */
    static void configure(Map<String, String> env, boolean quietKafka) {
        String format = env.getOrDefault("PARLEY_LOG_FORMAT", "text").trim();
        if (!format.equals("text") && !format.equals("json")) {
            throw new IllegalArgumentException("PARLEY_LOG_FORMAT: \"" + format + "\" is not a log format (expected text or json)");
        }
        Map<String, Level> levels = new LinkedHashMap<>();
        if (quietKafka) {
            levels.put("org.apache.kafka", Level.OFF);
        }
        levels.putAll(levels(env.getOrDefault("PARLEY_LOG_LEVEL", "")));
        if (!(LoggerFactory.getILoggerFactory() instanceof LoggerContext context)) {
            return; // in tests, which log through slf4j-simple
        }
        context.reset();
        Encoder<ILoggingEvent> encoder;
        if (format.equals("json")) {
            JsonEncoder json = new JsonEncoder();
            json.setWithSequenceNumber(false);
            json.setWithNanoseconds(false);
            json.setWithContext(false);
            encoder = json;
        } else {
            PatternLayoutEncoder text = new PatternLayoutEncoder();
            text.setPattern("%d{HH:mm:ss.SSS} [%level] %logger{0} - %msg%n");
            encoder = text;
        }
        encoder.setContext(context);
        encoder.start();
        ConsoleAppender<ILoggingEvent> stderr = new ConsoleAppender<>();
        stderr.setContext(context);
        stderr.setTarget("System.err");
        stderr.setEncoder(encoder);
        stderr.start();
        var root = context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        root.addAppender(stderr);
        levels.forEach((logger, level) -> context.getLogger(logger).setLevel(level));
    }

    /** The default levels, then those of {@code PARLEY_LOG_LEVEL}; a bare level is Parley's own. */
    static Map<String, Level> levels(String setting) {
        Map<String, Level> levels = new LinkedHashMap<>();
        levels.put(org.slf4j.Logger.ROOT_LOGGER_NAME, Level.WARN);
        levels.put("dev.parley", Level.INFO);
        // Transient, retried produce errors while a transaction coordinator settles; real failures surface as errors.
        levels.put("org.apache.kafka.clients.producer.internals.Sender", Level.ERROR);
        // Meters are registered as classes load, before /metrics adds its registry: expected, not worth a warning.
        levels.put("io.micrometer.core.instrument.composite.CompositeMeterRegistry", Level.ERROR);
        for (String part : setting.split(",")) {
            if (part.isBlank()) {
                continue;
            }
            String[] nameAndLevel = part.trim().split("=", 2);
            String logger = nameAndLevel.length == 2 ? nameAndLevel[0].trim() : "dev.parley";
            String level = nameAndLevel[nameAndLevel.length - 1].trim();
            if (logger.isEmpty() || !level.matches("(?i)trace|debug|info|warn|error|off")) {
                throw new IllegalArgumentException("PARLEY_LOG_LEVEL: \"" + part.trim() + "\" is not a level (expected " + LEVELS
                        + ", for Parley's own logs or per package: info,org.apache.kafka.streams=info)");
            }
            levels.put(logger, Level.toLevel(level));
        }
        return levels;
    }
}
