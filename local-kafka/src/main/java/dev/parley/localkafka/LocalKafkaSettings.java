package dev.parley.localkafka;

import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;

/**
 * How a {@link LocalKafka} broker runs: where it keeps its data, which ports it listens on, and how
 * big its JVM may grow.
 *
 * @param dataDir where the broker keeps its logs, its {@code server.properties} and the ports it was given
 * @param brokerPort the PLAINTEXT port clients connect to; 0 picks a free port on first start
 * @param controllerPort the KRaft controller port; 0 picks a free port on first start
 * @param logFile where the child JVM's stdout and stderr are appended
 * @param brokerProperties broker properties that override LocalKafka's defaults (but not its listeners)
 * @param maxHeap the child JVM's {@code -Xmx} value, e.g. {@code 512m}
 * @param startTimeout how long {@link LocalKafka#start()} waits for the broker to answer
 * @param stopOnJvmExit whether a shutdown hook stops the broker when this JVM exits; an owner that closes
 *     its clients before the broker on shutdown turns it off, since JVM hooks run in no set order (the
 *     child still halts when this JVM is gone)
 * @param secureListener a SASL_SSL listener with SCRAM users and ACLs besides PLAINTEXT; null for none
 * @param quorum this node's place in a cluster of several ({@link LocalKafkaCluster}); null for a cluster of one
 */
public record LocalKafkaSettings(
        Path dataDir,
        int brokerPort,
        int controllerPort,
        Path logFile,
        Map<String, String> brokerProperties,
        String maxHeap,
        Duration startTimeout,
        boolean stopOnJvmExit,
        SecureListener secureListener,
        Quorum quorum) {

    public LocalKafkaSettings {
        Objects.requireNonNull(dataDir, "dataDir");
        Objects.requireNonNull(logFile, "logFile");
        Objects.requireNonNull(maxHeap, "maxHeap");
        Objects.requireNonNull(startTimeout, "startTimeout");
        requirePort("brokerPort", brokerPort);
        requirePort("controllerPort", controllerPort);
        if (brokerPort != 0 && brokerPort == controllerPort) {
            throw new IllegalArgumentException(
                    "brokerPort and controllerPort: both are " + brokerPort + " (expected two different ports)");
        }
        brokerProperties = Map.copyOf(brokerProperties);
    }

    /** Settings with free ports, the log in {@code <dataDir>/broker.log}, a 512 MB heap and a 60 s start timeout. */
    public static LocalKafkaSettings in(Path dataDir) {
        return new LocalKafkaSettings(
                dataDir, 0, 0, dataDir.resolve("broker.log"), Map.of(), "512m", Duration.ofSeconds(60), true, null, null);
    }

    public LocalKafkaSettings withPorts(int brokerPort, int controllerPort) {
        return new LocalKafkaSettings(
                dataDir, brokerPort, controllerPort, logFile, brokerProperties, maxHeap, startTimeout, stopOnJvmExit, secureListener, quorum);
    }

    public LocalKafkaSettings withLogFile(Path logFile) {
        return new LocalKafkaSettings(
                dataDir, brokerPort, controllerPort, logFile, brokerProperties, maxHeap, startTimeout, stopOnJvmExit, secureListener, quorum);
    }

    public LocalKafkaSettings withBrokerProperty(String key, String value) {
        Map<String, String> properties = new HashMap<>(brokerProperties);
        properties.put(key, value);
        return new LocalKafkaSettings(
                dataDir, brokerPort, controllerPort, logFile, properties, maxHeap, startTimeout, stopOnJvmExit, secureListener, quorum);
    }

    public LocalKafkaSettings withMaxHeap(String maxHeap) {
        return new LocalKafkaSettings(
                dataDir, brokerPort, controllerPort, logFile, brokerProperties, maxHeap, startTimeout, stopOnJvmExit, secureListener, quorum);
    }

    public LocalKafkaSettings withStartTimeout(Duration startTimeout) {
        return new LocalKafkaSettings(
                dataDir, brokerPort, controllerPort, logFile, brokerProperties, maxHeap, startTimeout, stopOnJvmExit, secureListener, quorum);
    }

    public LocalKafkaSettings withStopOnJvmExit(boolean stopOnJvmExit) {
        return new LocalKafkaSettings(
                dataDir, brokerPort, controllerPort, logFile, brokerProperties, maxHeap, startTimeout, stopOnJvmExit, secureListener, quorum);
    }

    public LocalKafkaSettings withSecureListener(SecureListener secureListener) {
        return new LocalKafkaSettings(
                dataDir, brokerPort, controllerPort, logFile, brokerProperties, maxHeap, startTimeout, stopOnJvmExit, secureListener, quorum);
    }

    public LocalKafkaSettings withQuorum(Quorum quorum) {
        return new LocalKafkaSettings(
                dataDir, brokerPort, controllerPort, logFile, brokerProperties, maxHeap, startTimeout, stopOnJvmExit, secureListener, quorum);
    }

    private static void requirePort(String name, int port) {
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException(name + ": " + port + " is not a port (expected 0 to 65535, 0 for any free port)");
        }
    }
}
