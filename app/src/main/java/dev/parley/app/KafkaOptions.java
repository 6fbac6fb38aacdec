package dev.parley.app;

import java.io.PrintWriter;
import org.apache.kafka.common.KafkaException;
import picocli.CommandLine.Option;

/** The connection options every command shares. */
final class KafkaOptions {

    @Option(names = "--bootstrap-servers", paramLabel = "HOST:PORT[,...]",
            description = "An external Kafka cluster (default: PARLEY_BOOTSTRAP_SERVERS, else the embedded broker on 127.0.0.1:9092).")
    String bootstrapServers;

    AppSettings settings() {
        return AppSettings.from(System.getenv()).withBootstrapServers(bootstrapServers);
    }

    /** Tells the user Kafka could not be reached, and what to do; returns the exit status for it (2). */
    static int unreachable(PrintWriter err, String what, String kafka, KafkaException e) {
        err.println("Could not " + what + " Kafka at " + kafka + ": " + e.getMessage());
        err.println("Is Parley running? Start it with ./parley up, or pass --bootstrap-servers.");
        return 2;
    }
}
