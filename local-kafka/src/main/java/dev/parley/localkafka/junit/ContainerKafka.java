package dev.parley.localkafka.junit;

import dev.parley.localkafka.KafkaBroker;
import java.util.List;
import org.testcontainers.kafka.KafkaContainer;

/** Kafka in a container, from Testcontainers: the shared broker of the integration tests where Docker runs. */
final class ContainerKafka implements KafkaBroker, AutoCloseable {

    private final KafkaContainer container;

    private ContainerKafka(KafkaContainer container) {
        this.container = container;
    }

    static ContainerKafka start(String image) {
        // Small internal topics, as on the local broker: one broker, and tests that create many groups and transactions.
        KafkaContainer container = new KafkaContainer(image)
                .withEnv("KAFKA_OFFSETS_TOPIC_NUM_PARTITIONS", "5")
                .withEnv("KAFKA_TRANSACTION_STATE_LOG_NUM_PARTITIONS", "5");
        container.start();
        return new ContainerKafka(container);
    }

    @Override
    public String bootstrapServers() {
        return container.getBootstrapServers();
    }

    @Override
    public String logExcerpt() {
        List<String> lines = container.getLogs().lines().toList();
        return "container log, last lines:\n" + String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
    }

    @Override
    public void close() {
        container.stop();
    }
}
