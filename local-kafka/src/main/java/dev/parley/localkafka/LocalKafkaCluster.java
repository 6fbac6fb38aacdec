package dev.parley.localkafka;

import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.function.UnaryOperator;
import java.util.stream.Collectors;
import org.apache.kafka.common.Uuid;

/**
 * A real Kafka cluster of several KRaft nodes on this machine, each both broker and controller in a child JVM of its
 * own ({@link LocalKafka}), with the promises of one: no node outlives this JVM, and any node can be stopped, killed
 * and started again with its data. Kafka's internal topics are replicated to every node and written with two in sync.
 *
 * <p>The cluster's id and every node's ports are chosen on its first start and kept in {@code cluster.properties} in
 * its folder, since the nodes' quorum and the clients know them by port.
 */
public final class LocalKafkaCluster implements KafkaBroker, AutoCloseable {

    private final Path dir;
    private final List<LocalKafka> nodes;

    private LocalKafkaCluster(Path dir, List<LocalKafka> nodes) {
        this.dir = dir;
        this.nodes = List.copyOf(nodes);
    }

    /** A cluster of {@code size} nodes keeping their data in {@code dir/node-<id>}. */
    public static LocalKafkaCluster in(Path dir, int size) {
        return in(dir, size, UnaryOperator.identity());
    }

    /** As {@link #in(Path, int)}, each node's settings passed through {@code settings} (heap, broker properties...). */
    public static LocalKafkaCluster in(Path dir, int size, UnaryOperator<LocalKafkaSettings> settings) {
        return of(dir, size, 0, 0, settings);
    }

    /**
     * A cluster on known ports, as a user's clients expect it: node {@code i} (from 1) listens for clients on
     * {@code brokerPort + 10 (i - 1)} and for its quorum on {@code controllerPort + 10 (i - 1)}.
     */
    public static LocalKafkaCluster onPorts(Path dir, int size, int brokerPort, int controllerPort, UnaryOperator<LocalKafkaSettings> settings) {
        if (brokerPort < 1 || controllerPort < 1) {
            throw new IllegalArgumentException("ports: " + brokerPort + " and " + controllerPort + " (expected ports from 1)");
        }
        return of(dir, size, brokerPort, controllerPort, settings);
    }

    private static LocalKafkaCluster of(Path dir, int size, int brokerPort, int controllerPort, UnaryOperator<LocalKafkaSettings> settings) {
        if (size < 1) {
            throw new IllegalArgumentException("a cluster has at least one node, not " + size);
        }
        Layout layout = brokerPort == 0 ? Layout.of(dir, size) : Layout.fixed(dir, size, brokerPort, controllerPort);
        Map<Integer, Integer> controllers = new LinkedHashMap<>();
        layout.ports().forEach((id, ports) -> controllers.put(id, ports.controller()));
        List<LocalKafka> nodes = new ArrayList<>();
        layout.ports().forEach((id, ports) -> nodes.add(new LocalKafka(settings.apply(LocalKafkaSettings.in(dir.resolve("node-" + id))
                .withPorts(ports.broker(), ports.controller()).withQuorum(new Quorum(id, layout.clusterId(), controllers))))));
        return new LocalKafkaCluster(dir, nodes);
    }

    /** Starts every node that is not running, and returns once each answers clients. */
    public void start() {
        LocalKafka.startTogether(nodes.stream().filter(node -> !node.isRunning()).toList());
    }

    /** The nodes, by node id from 1. */
    public List<LocalKafka> nodes() {
        return nodes;
    }

    /** The node whose {@code node.id} is {@code id} (from 1). */
    public LocalKafka node(int id) {
        return nodes.get(id - 1);
    }

    /** Every node's client address, so a client finds the cluster whichever node is down. */
    @Override
    public String bootstrapServers() {
        return nodes.stream().map(LocalKafka::bootstrapServers).collect(Collectors.joining(","));
    }

    @Override
    public String logExcerpt() {
        return nodes.stream().map(node -> "node " + (nodes.indexOf(node) + 1) + " " + node.logExcerpt()).collect(Collectors.joining("\n"));
    }

    /** Stops every node gracefully, all at once. */
    public void stop() {
        LocalKafka.stopTogether(nodes);
    }

    @Override
    public void close() {
        stop();
    }

    @Override
    public String toString() {
        return "LocalKafkaCluster[" + nodes.size() + " nodes in " + dir + ", " + (nodes.stream().allMatch(LocalKafka::isRunning)
                ? bootstrapServers() : "not all running") + "]";
    }

    /** The cluster's id and each node's ports, from its folder's {@code cluster.properties}, or chosen and written there. */
    private record Layout(String clusterId, Map<Integer, Ports> ports) {

        static Layout of(Path dir, int size) {
            Path file = dir.resolve("cluster.properties");
            if (Files.exists(file)) {
                Layout kept = read(file);
                if (kept.ports().size() != size) {
                    throw new IllegalStateException(file + " describes a cluster of " + kept.ports().size() + " nodes, not " + size
                            + ": start it with that size, or use another folder");
                }
                return kept;
            }
            Layout chosen = new Layout(Uuid.randomUuid().toString(), freePorts(size));
            chosen.write(file);
            return chosen;
        }

        /** Ports given by the owner, the cluster's id kept from an earlier start. */
        static Layout fixed(Path dir, int size, int brokerPort, int controllerPort) {
            Path file = dir.resolve("cluster.properties");
            String clusterId = Files.exists(file) ? read(file).clusterId() : Uuid.randomUuid().toString();
            Map<Integer, Ports> ports = new LinkedHashMap<>();
            for (int id = 1; id <= size; id++) {
                ports.put(id, new Ports(brokerPort + 10 * (id - 1), controllerPort + 10 * (id - 1)));
            }
            Layout layout = new Layout(clusterId, ports);
            layout.write(file);
            return layout;
        }

        /** Two free ports per node, all open at once so that no two are the same. */
        private static Map<Integer, Ports> freePorts(int size) {
            List<ServerSocket> sockets = new ArrayList<>();
            try {
                for (int i = 0; i < 2 * size; i++) {
                    sockets.add(new ServerSocket(0, 1, InetAddress.getLoopbackAddress()));
                }
                Map<Integer, Ports> ports = new LinkedHashMap<>();
                for (int id = 1; id <= size; id++) {
                    ports.put(id, new Ports(sockets.get(2 * id - 2).getLocalPort(), sockets.get(2 * id - 1).getLocalPort()));
                }
                return ports;
            } catch (IOException e) {
                throw new UncheckedIOException("Could not find free ports on 127.0.0.1", e);
            } finally {
                for (ServerSocket socket : sockets) {
                    try {
                        socket.close();
                    } catch (IOException ignored) {
                        // only held to keep the port from being chosen twice
                    }
                }
            }
        }

        private static Layout read(Path file) {
            Properties properties = new Properties();
            try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
                properties.load(reader);
            } catch (IOException e) {
                throw new UncheckedIOException("Could not read " + file, e);
            }
            Map<Integer, Ports> ports = new LinkedHashMap<>();
            for (int id = 1; properties.containsKey("node." + id + ".broker.port"); id++) {
                ports.put(id, new Ports(Integer.parseInt(properties.getProperty("node." + id + ".broker.port")),
                        Integer.parseInt(properties.getProperty("node." + id + ".controller.port"))));
            }
            return new Layout(properties.getProperty("cluster.id"), ports);
        }

        private void write(Path file) {
            StringBuilder text = new StringBuilder("# Chosen on the cluster's first start; its nodes and clients know it by these.\n")
                    .append("cluster.id=").append(clusterId).append('\n');
            ports.forEach((id, node) -> text.append("node.").append(id).append(".broker.port=").append(node.broker()).append('\n')
                    .append("node.").append(id).append(".controller.port=").append(node.controller()).append('\n'));
            DataDir.write(file, text.toString());
        }
    }
}
