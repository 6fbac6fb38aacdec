package dev.parley.localkafka;

import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.TreeMap;

/**
 * The files of a local broker's data directory: its {@code server.properties}, its Kafka log
 * directory and the ports it was first given.
 */
final class DataDir {

    private final Path root;

    DataDir(Path root) {
        this.root = root;
    }

    Path serverProperties() {
        return root.resolve("server.properties");
    }

    Path kafkaLogs() {
        return root.resolve("kafka-logs");
    }

    /** True once {@code StorageTool format} has written the cluster's identity into the log directory. */
    boolean isFormatted() {
        return Files.exists(kafkaLogs().resolve("meta.properties"));
    }

    /** The ports of an earlier start: a restart must reuse them, as clients and the quorum voters know them. */
    Optional<Ports> rememberedPorts() {
        Path file = portsFile();
        if (!Files.exists(file)) {
            return Optional.empty();
        }
        Properties ports = new Properties();
        try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            ports.load(reader);
        } catch (IOException e) {
            throw new UncheckedIOException("Could not read " + file, e);
        }
        return Optional.of(new Ports(
                Integer.parseInt(ports.getProperty("broker.port")),
                Integer.parseInt(ports.getProperty("controller.port"))));
    }

    void remember(Ports ports) {
        write(portsFile(), "# The ports this broker was first started on; LocalKafka reuses them on restart.\n"
                + "broker.port=" + ports.broker() + "\n"
                + "controller.port=" + ports.controller() + "\n");
    }

    /**
     * Writes {@code server.properties} for a single node that is both broker and controller.
     * Defaults suit one machine (replication factor 1, no rebalance delay) and {@code overrides} win
     * over them; the listeners and quorum are LocalKafka's own, since it connects to them.
     */
    void writeServerProperties(Ports ports, Map<String, String> overrides, SecureListener secure) {
        writeServerProperties(ports, overrides, secure, null);
    }

    /**
     * As above; in a cluster of several ({@code quorum} not null), this node's id and the static quorum of every
     * node's controller, and Kafka's internal topics replicated to every node, written with two in sync.
     */
    void writeServerProperties(Ports ports, Map<String, String> overrides, SecureListener secure, Quorum quorum) {
        Map<String, String> properties = new LinkedHashMap<>();
        properties.put("num.partitions", "1");
        properties.put("offsets.topic.replication.factor", "1");
        properties.put("transaction.state.log.replication.factor", "1");
        properties.put("transaction.state.log.min.isr", "1");
        properties.put("share.coordinator.state.topic.replication.factor", "1");
        properties.put("share.coordinator.state.topic.min.isr", "1");
        properties.put("group.initial.rebalance.delay.ms", "0");
        // 50 partitions each by default: sized for clusters, and slow to create on a small machine.
        properties.put("offsets.topic.num.partitions", "5");
        properties.put("transaction.state.log.num.partitions", "5");
        // After a kill, the restarted controller keeps the dead broker's session open until this
        // timeout and refuses the new incarnation meanwhile: 9 s by default, 3 s here.
        properties.put("broker.session.timeout.ms", "3000");
        properties.put("broker.heartbeat.interval.ms", "1000");
        if (quorum != null) {
            String replicas = String.valueOf(quorum.size());
            String inSync = String.valueOf(Math.min(2, quorum.size()));
            properties.put("offsets.topic.replication.factor", replicas);
            properties.put("transaction.state.log.replication.factor", replicas);
            properties.put("transaction.state.log.min.isr", inSync);
            properties.put("share.coordinator.state.topic.replication.factor", replicas);
            properties.put("share.coordinator.state.topic.min.isr", inSync);
            properties.put("default.replication.factor", replicas);
            properties.put("min.insync.replicas", inSync);
        }
        properties.putAll(new TreeMap<>(overrides));
        properties.put("process.roles", "broker,controller");
        properties.put("node.id", quorum == null ? "1" : String.valueOf(quorum.nodeId()));
        properties.put("controller.quorum.voters", quorum == null ? "1@127.0.0.1:" + ports.controller() : quorum.voters());
        properties.put("listeners",
                "PLAINTEXT://127.0.0.1:" + ports.broker() + ",CONTROLLER://127.0.0.1:" + ports.controller());
        properties.put("advertised.listeners", "PLAINTEXT://127.0.0.1:" + ports.broker());
        properties.put("controller.listener.names", "CONTROLLER");
        properties.put("inter.broker.listener.name", "PLAINTEXT");
        properties.put("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT");
        properties.put("log.dirs", kafkaLogs().toAbsolutePath().toString());
        if (secure != null) {
            properties.putAll(secure.brokerProperties());
            properties.put("listeners", properties.get("listeners") + ",SECURE://127.0.0.1:" + secure.port());
            properties.put("advertised.listeners", properties.get("advertised.listeners") + ",SECURE://127.0.0.1:" + secure.port());
            properties.put("listener.security.protocol.map", properties.get("listener.security.protocol.map") + ",SECURE:SASL_SSL");
        }

        StringBuilder text = new StringBuilder(
                "# Written by LocalKafka on every start: change LocalKafkaSettings.brokerProperties, not this file.\n");
        properties.forEach((key, value) -> text.append(key).append('=').append(value).append('\n'));
        write(serverProperties(), text.toString());
    }

    private Path portsFile() {
        return root.resolve("ports.properties");
    }

    /** Writes {@code text} to {@code file}, creating its folder. */
    static void write(Path file, String text) {
        try {
            Files.createDirectories(file.getParent());
            try (Writer writer = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
                writer.write(text);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Could not write " + file, e);
        }
    }
}
