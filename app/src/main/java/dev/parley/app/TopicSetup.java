package dev.parley.app;

import dev.parley.schemas.Topics;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Creates Parley's topics with their retention if they are missing; leaves existing ones alone. */
final class TopicSetup {

    private static final Logger log = LoggerFactory.getLogger(TopicSetup.class);
    private static final String FOREVER = "-1";
    private static final String THIRTY_DAYS_MS = String.valueOf(30L * 24 * 60 * 60 * 1000);

    private TopicSetup() {
    }

    static List<NewTopic> topics(int partitions, short replicationFactor, int minInsyncReplicas) {
        return withMinInsyncReplicas(minInsyncReplicas, List.of(
                // The log of record and the change history are never deleted: history can always be replayed.
                new NewTopic(Topics.DEVELOPMENTS, partitions, replicationFactor).configs(Map.of(
                        TopicConfig.RETENTION_MS_CONFIG, FOREVER, TopicConfig.RETENTION_BYTES_CONFIG, FOREVER)),
                new NewTopic(Topics.STATUS, partitions, replicationFactor).configs(Map.of(
                        TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT)),
                new NewTopic(Topics.STATUS_CHANGES, partitions, replicationFactor).configs(Map.of(
                        TopicConfig.RETENTION_MS_CONFIG, FOREVER, TopicConfig.RETENTION_BYTES_CONFIG, FOREVER)),
                new NewTopic(Topics.DEAD_LETTERS, partitions, replicationFactor).configs(Map.of(
                        TopicConfig.RETENTION_MS_CONFIG, THIRTY_DAYS_MS)),
                // A parked change waits for someone to retry it, however long that takes.
                new NewTopic(Topics.PARKED_CHANGES, partitions, replicationFactor).configs(Map.of(
                        TopicConfig.RETENTION_MS_CONFIG, FOREVER, TopicConfig.RETENTION_BYTES_CONFIG, FOREVER))));
    }

    /** A write counts once this many replicas hold it: what keeps committed developments through a broker's loss. */
    private static List<NewTopic> withMinInsyncReplicas(int minInsyncReplicas, List<NewTopic> topics) {
        for (NewTopic topic : topics) {
            Map<String, String> configs = new java.util.HashMap<>(topic.configs());
            configs.put(TopicConfig.MIN_IN_SYNC_REPLICAS_CONFIG, String.valueOf(minInsyncReplicas));
            topic.configs(configs);
        }
        return topics;
    }

    static void ensure(Admin admin, int partitions, short replicationFactor, int minInsyncReplicas)
            throws InterruptedException, ExecutionException {
        Set<String> existing = admin.listTopics().names().get();
        List<NewTopic> missing = new ArrayList<>();
        for (NewTopic topic : topics(partitions, replicationFactor, minInsyncReplicas)) {
            if (!existing.contains(topic.name())) {
                missing.add(topic);
            }
        }
        if (!missing.isEmpty()) {
            admin.createTopics(missing).all().get();
            List<String> created = missing.stream().map(NewTopic::name).toList();
            awaitPartitions(admin, created);
            log.info("Created topics {}", created);
        }
    }

    /**
     * Returns once every partition of the topics answers on its leader. A new topic is in the metadata a moment before
     * its partitions exist on the broker: an idempotent producer writing then can have its first batch refused and a
     * later one accepted, and then retry the first one until its delivery timeout, refused as out of sequence each time.
     * Listing the partitions' offsets asks each leader; a leader that does not host its partition yet answers
     * "unknown topic or partition", which the admin client does not retry: asked again until every one answers. On a
     * cluster, the broker asked to describe the topics may not know them yet either: the same answer, the same wait.
     */
    private static void awaitPartitions(Admin admin, List<String> topics) throws InterruptedException, ExecutionException {
        long deadline = System.nanoTime() + PARTITIONS_READY.toNanos();
        while (true) {
            try {
                Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
                admin.describeTopics(topics).allTopicNames().get().forEach((name, description) -> description.partitions()
                        .forEach(partition -> latest.put(new TopicPartition(name, partition.partition()), OffsetSpec.latest())));
                admin.listOffsets(latest).all().get();
                return;
            } catch (ExecutionException e) {
                if (!(e.getCause() instanceof UnknownTopicOrPartitionException) || System.nanoTime() > deadline) {
                    throw e;
                }
                Thread.sleep(100);
            }
        }
    }

    /** How long new topics' partitions may take to be hosted by their leaders (a second or two on a busy machine). */
    private static final java.time.Duration PARTITIONS_READY = java.time.Duration.ofSeconds(30);
}
