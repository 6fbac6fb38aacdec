package dev.parley.localkafka.junit;

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

/**
 * Gives integration tests a running Kafka broker, one for the whole test run, so each test class
 * does not pay a broker start.
 *
 * <pre>{@code
 * @ExtendWith(LocalKafkaExtension.class)
 * class DevelopmentPublisherIT {
 *     @Test
 *     void shouldPublishADevelopment(LocalKafka kafka) { ... kafka.bootstrapServers() ... }
 * }
 * }</pre>
 *
 * <p>Any constructor, test or lifecycle method parameter of type {@link LocalKafka} receives the
 * shared broker. It is started on first use with its data in a temporary directory, and stopped,
 * and the directory deleted, when the test run ends. Tests share it, so they use topic and group
 * names of their own. A test that needs a broker of its own — because it stops, kills or
 * reconfigures it — creates a {@link LocalKafka} directly instead.
 *
 * <p>When a test fails, the broker's warnings, errors and last log lines go to standard error with
 * the report, since the broker's directory is gone by the time anyone reads it.
 */
public final class LocalKafkaExtension implements ParameterResolver, TestWatcher {

    private static final ExtensionContext.Namespace NAMESPACE =
            ExtensionContext.Namespace.create(LocalKafkaExtension.class);

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
        return parameter.getParameter().getType() == LocalKafka.class;
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

    /** The broker of the test run, with the temporary directory it lives in. */
    private static final class SharedBroker implements AutoCloseable {

        private final Path dataDir;
        private final LocalKafka kafka;

        private SharedBroker(Path dataDir, LocalKafka kafka) {
            this.dataDir = dataDir;
            this.kafka = kafka;
        }

        static SharedBroker start() {
            try {
                Path dataDir = Files.createTempDirectory("parley-local-kafka-");
                LocalKafka kafka = LocalKafka.in(dataDir);
                kafka.start();
                return new SharedBroker(dataDir, kafka);
            } catch (IOException e) {
                throw new UncheckedIOException("Could not create a data directory for the shared Kafka broker", e);
            }
        }

        @Override
        public void close() throws IOException {
            kafka.stop();
            try (Stream<Path> paths = Files.walk(dataDir)) {
                for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                    Files.delete(path);
                }
            }
        }
    }
}
