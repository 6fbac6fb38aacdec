package dev.parley.localkafka.junit;

import dev.parley.localkafka.KafkaBroker;
import dev.parley.localkafka.LocalKafka;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;
import org.junit.jupiter.api.extension.TestWatcher;
import org.testcontainers.DockerClientFactory;

/**
 * Gives integration tests a running Kafka, one for the whole test run, so each test class does not pay a broker
 * start: Testcontainers' Kafka where a Docker engine runs, else a {@link LocalKafka} from the Kafka jars on the class
 * path. {@code PARLEY_TEST_KAFKA=local} or {@code =testcontainers} chooses instead of the engine's presence.
 *
 * <pre>{@code
 * @ExtendWith(KafkaExtension.class)
 * class DevelopmentPublisherIT {
 *     @Test
 *     void shouldPublishADevelopment(KafkaBroker kafka) { ... kafka.bootstrapServers() ... }
 * }
 * }</pre>
 *
 * <p>Any constructor, test or lifecycle method parameter of type {@link KafkaBroker} receives the shared broker. It
 * is started on first use, says on standard output which kind it is, and is stopped (its data deleted) when the test
 * run ends. Tests share it, so they use topic and group names of their own. A test that needs a broker of its own —
 * because it stops, kills or reconfigures it — creates a {@link LocalKafka} directly instead.
 *
 * <p>When a test fails, the broker's warnings, errors and last log lines go to standard error with the report.
 */
public final class KafkaExtension implements ParameterResolver, TestWatcher {

    /** The image Testcontainers runs, the one docker-compose.yml runs. */
    public static final String KAFKA_IMAGE = "apache/kafka:4.1.0";

    private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(KafkaExtension.class);

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
        return parameter.getParameter().getType() == KafkaBroker.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
        // The root store lives as long as the test run and closes its AutoCloseable values at the end.
        return context.getRoot().getStore(NAMESPACE)
                .getOrComputeIfAbsent(SharedBroker.class, key -> SharedBroker.start(), SharedBroker.class)
                .kafka;
    }

    @Override
    public void testFailed(ExtensionContext context, Throwable cause) {
        SharedBroker shared = context.getRoot().getStore(NAMESPACE).get(SharedBroker.class, SharedBroker.class);
        if (shared != null) {
            System.err.println(context.getDisplayName() + " failed; the shared Kafka broker's " + shared.kafka.logExcerpt());
        }
    }

    /**
     * Whether the integration tests' Kafka and PostgreSQL come from Testcontainers: {@code PARLEY_TEST_KAFKA} if set,
     * else whether a Docker engine answers. Empty when they do; else why not, for the report.
     */
    public static java.util.Optional<String> whyNotTestcontainers() {
        String choice = System.getenv().getOrDefault("PARLEY_TEST_KAFKA", "");
        if (choice.equals("local")) {
            return java.util.Optional.of("PARLEY_TEST_KAFKA=local");
        }
        if (choice.equals("testcontainers") || DockerClientFactory.instance().isDockerAvailable()) {
            return java.util.Optional.empty();
        }
        return java.util.Optional.of("no Docker engine is available");
    }

    /** The broker of the test run, and how to clean up after it. */
    private static final class SharedBroker implements AutoCloseable {

        private final KafkaBroker kafka;
        private final AutoCloseable cleanup;

        private SharedBroker(KafkaBroker kafka, AutoCloseable cleanup) {
            this.kafka = kafka;
            this.cleanup = cleanup;
        }

        static SharedBroker start() {
            var whyNot = whyNotTestcontainers();
            if (whyNot.isEmpty()) {
                var container = ContainerKafka.start(KAFKA_IMAGE);
                System.out.println("Integration tests' Kafka: Testcontainers " + KAFKA_IMAGE + " on " + container.bootstrapServers());
                return new SharedBroker(container, container);
            }
            try {
                Path dataDir = Files.createTempDirectory("parley-local-kafka-");
                LocalKafka kafka = LocalKafka.in(dataDir);
                kafka.start();
                System.out.println("Integration tests' Kafka: a local broker from the Kafka jars on " + kafka.bootstrapServers()
                        + " (not Testcontainers: " + whyNot.get() + ")");
                return new SharedBroker(kafka, () -> {
                    kafka.stop();
                    deleteTree(dataDir);
                });
            } catch (IOException e) {
                throw new UncheckedIOException("Could not create a data directory for the shared Kafka broker", e);
            }
        }

        @Override
        public void close() throws Exception {
            cleanup.close();
        }

        private static void deleteTree(Path dir) throws IOException {
            try (Stream<Path> paths = Files.walk(dir)) {
                for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                    Files.delete(path);
                }
            }
        }
    }
}
