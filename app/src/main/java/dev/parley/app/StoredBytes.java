package dev.parley.app;

import dev.parley.schemas.Topics;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.common.Node;

/**
 * How many bytes each of Parley's topics holds on the broker, so {@code parley bench} can say what one development costs
 * Kafka to store: its changes, its negotiation's views and the topology's changelogs are most of what a pipeline writes.
 */
record StoredBytes(Map<String, Long> byTopic) {

    /** Every topic's size on every broker, from the brokers' own log directories. */
    static StoredBytes of(Admin admin) throws Exception {
        List<Integer> brokers = admin.describeCluster().nodes().get(30, TimeUnit.SECONDS).stream().map(Node::id).toList();
        Map<String, Long> byTopic = new TreeMap<>();
        admin.describeLogDirs(brokers).allDescriptions().get(30, TimeUnit.SECONDS).values().forEach(dirs -> dirs.values()
                .forEach(dir -> dir.replicaInfos().forEach((partition, replica) -> byTopic.merge(partition.topic(), replica.size(), Long::sum))));
        return new StoredBytes(byTopic);
    }

    /** What was stored since {@code before}, per development, in kB: "9.1 kB of changes, 2.3 kB of views, ...". */
    String perDevelopmentSince(StoredBytes before, String applicationId, long developments) {
        List<String> parts = new ArrayList<>();
        add(parts, "development", growth(before, Topics.DEVELOPMENTS), developments);
        add(parts, "changes", growth(before, Topics.STATUS_CHANGES), developments);
        add(parts, "views", growth(before, Topics.STATUS), developments);
        byTopic.keySet().stream().sorted().filter(topic -> topic.startsWith(applicationId + "-") && topic.endsWith("-changelog")).forEach(topic ->
                add(parts, "changelog of " + topic.substring(applicationId.length() + 1, topic.length() - "-changelog".length()),
                        growth(before, topic), developments));
        return String.join(", ", parts);
    }

    long total() {
        return byTopic.values().stream().mapToLong(Long::longValue).sum();
    }

    private long growth(StoredBytes before, String topic) {
        return byTopic.getOrDefault(topic, 0L) - before.byTopic().getOrDefault(topic, 0L);
    }

    private static void add(List<String> parts, String name, long bytes, long developments) {
        parts.add(String.format(Locale.ROOT, "%.2f kB %s", bytes / 1024.0 / developments, name));
    }
}
