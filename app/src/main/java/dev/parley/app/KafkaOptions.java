package dev.parley.app;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Map;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.errors.AuthenticationException;
import org.apache.kafka.common.errors.AuthorizationException;
import picocli.CommandLine.Option;

/** The options every command shares: the Kafka to use, and the config file. */
final class KafkaOptions {

    @Option(names = {"-b", "--bootstrap-server", "--bootstrap-servers"}, paramLabel = "HOST:PORT[,...]",
            description = "An external Kafka cluster (default: PARLEY_BOOTSTRAP_SERVERS or KAFKA_BOOTSTRAP_SERVERS, else the "
                    + "embedded broker on 127.0.0.1:9092).")
    String bootstrapServers;

    @Option(names = {"--config", "--command-config"}, paramLabel = "FILE",
            description = "A file of settings, NAME=value per line: PARLEY_* names, and Kafka client properties as Kafka's "
                    + "tools take them (bootstrap.servers, security.protocol, sasl.jaas.config...) or as KAFKA_* names; "
                    + "environment variables win over it (default: PARLEY_CONFIG, else ./parley.properties if there is one).")
    Path configFile;

    /** The settings from flags, environment and config file; configures the logs from them too. */
    AppSettings settings() {
        return settings(Map.of());
    }

    /** As {@link #settings()}, with a command's own flags given as the settings they stand for ({@code --brokers} is PARLEY_BROKERS). */
    AppSettings settings(Map<String, String> flags) {
        return settings(flags, false);
    }

    /**
     * The settings of a command that answers and exits: as {@link #settings()}, with Kafka's client logs kept off the
     * terminal, since the command says what went wrong in one line ({@link #unreachable}).
     */
    AppSettings commandSettings() {
        return settings(Map.of(), true);
    }

    private AppSettings settings(Map<String, String> flags, boolean quietKafka) {
        Map<String, String> env = new java.util.HashMap<>(configuration().environment());
        env.putAll(flags);
        Logging.configure(env, quietKafka);
        return AppSettings.from(env).withBootstrapServers(bootstrapServers);
    }

    Configuration configuration() {
        return Configuration.load(System.getenv(), configFile);
    }

    /** Tells the user, in one line, that Kafka could not be reached or refused, and what to do; returns the exit status for it (2). */
    static int unreachable(PrintWriter err, String what, String kafka, KafkaException e) {
        boolean refused = e instanceof AuthenticationException || e.getCause() instanceof AuthenticationException
                || e instanceof AuthorizationException || e.getCause() instanceof AuthorizationException;
        err.println(("Could not " + what + " Kafka at " + kafka + ": " + e.getMessage() + ". "
                + (refused ? "Check this principal's credentials (KAFKA_SASL_JAAS_CONFIG) and its ACLs with the cluster's operators."
                : e instanceof KafkaReachability.NoBroker ? "Is Parley running? Start it with ./parley up, or pass --bootstrap-server." : "")).stripTrailing());
        return 2;
    }
}
