package dev.parley.localkafka;

/** A running Kafka a client can connect to: a {@link LocalKafka}, or in tests one from Testcontainers. */
public interface KafkaBroker {

    /** {@code host:port} for the clients' {@code bootstrap.servers}. */
    String bootstrapServers();

    /** The broker's warnings, errors and last log lines, for a report when something failed. */
    String logExcerpt();
}
