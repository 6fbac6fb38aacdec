package dev.parley.app;

import picocli.CommandLine.Option;

/** The connection options every command shares. */
final class KafkaOptions {

    @Option(names = "--bootstrap-servers", paramLabel = "HOST:PORT[,...]",
            description = "An external Kafka cluster (default: PARLEY_BOOTSTRAP_SERVERS, else the embedded broker on 127.0.0.1:9092).")
    String bootstrapServers;

    AppSettings settings() {
        return AppSettings.from(System.getenv()).withBootstrapServers(bootstrapServers);
    }
}
