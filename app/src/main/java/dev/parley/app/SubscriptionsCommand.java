package dev.parley.app;

import dev.parley.schemas.Topics;
import java.io.PrintWriter;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.GroupListing;
import org.apache.kafka.clients.admin.ListGroupsOptions;
import org.apache.kafka.clients.admin.ListOffsetsResult.ListOffsetsResultInfo;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code parley subscriptions}: how far behind the change history each subscription is, whichever process runs it. */
@Command(name = "subscriptions", mixinStandardHelpOptions = true,
        description = {"Shows every subscription's lag: the status changes on parley.status-changes it has not yet handled.", "",
                "Read from Kafka (each subscription's consumer group, parley-sink-NAME), so it covers subscriptions of "
                        + "every process: parley up, parley subscribe, other instances. For a running process's own "
                        + "subscriptions, GET /api/subscriptions also says what each delivered, parked and last failed on."},
        footer = {"", "Example:", "  ./parley subscriptions"})
final class SubscriptionsCommand implements Callable<Integer> {

    private static final String GROUP_PREFIX = "parley-sink-";

    @Spec
    CommandSpec spec;

    @Mixin
    KafkaOptions kafka;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        AppSettings settings = kafka.commandSettings();
        try {
            KafkaReachability.require(settings.kafkaClient());
        } catch (KafkaException e) {
            return KafkaOptions.unreachable(spec.commandLine().getErr(), "read consumer groups from", settings.kafka(), e);
        }
        try (Admin admin = Admin.create(settings.kafkaClient())) {
            List<String> groups = admin.listGroups(ListGroupsOptions.forConsumerGroups()).all().get(30, TimeUnit.SECONDS).stream()
                    .map(GroupListing::groupId).filter(id -> id.startsWith(GROUP_PREFIX)).sorted().toList();
            if (groups.isEmpty()) {
                out.println("No subscriptions have read " + Topics.STATUS_CHANGES + " yet.");
                return 0;
            }
            Map<TopicPartition, Long> ends = endOffsets(admin);
            out.printf("%-40s %10s%n", "subscription", "lag");
            for (String group : groups) {
                Map<TopicPartition, OffsetAndMetadata> committed = admin.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata()
                        .get(30, TimeUnit.SECONDS);
                out.printf("%-40s %10d%n", group.substring(GROUP_PREFIX.length()), lag(ends, committed));
            }
            return 0;
        } catch (java.util.concurrent.ExecutionException e) {
            if (e.getCause() instanceof KafkaException cause) {
                return KafkaOptions.unreachable(spec.commandLine().getErr(), "read consumer groups from", settings.kafka(), cause);
            }
            throw e;
        } catch (java.util.concurrent.TimeoutException e) {
            return KafkaOptions.unreachable(spec.commandLine().getErr(), "read consumer groups from", settings.kafka(),
                    new KafkaException("no answer within 30 s"));
        }
    }

    /** Changes after each partition's committed offset; a partition never committed counts from its start (earliest). */
    static long lag(Map<TopicPartition, Long> ends, Map<TopicPartition, OffsetAndMetadata> committed) {
        long lag = 0;
        for (var end : ends.entrySet()) {
            OffsetAndMetadata at = committed.get(end.getKey());
            lag += Math.max(0, end.getValue() - (at == null ? 0 : at.offset()));
        }
        return lag;
    }

    private static Map<TopicPartition, Long> endOffsets(Admin admin) throws Exception {
        var partitions = admin.describeTopics(List.of(Topics.STATUS_CHANGES)).allTopicNames().get(30, TimeUnit.SECONDS)
                .get(Topics.STATUS_CHANGES).partitions().stream()
                .collect(Collectors.toMap(p -> new TopicPartition(Topics.STATUS_CHANGES, p.partition()), p -> OffsetSpec.latest()));
        Map<TopicPartition, ListOffsetsResultInfo> latest = admin.listOffsets(partitions,
                new org.apache.kafka.clients.admin.ListOffsetsOptions(org.apache.kafka.common.IsolationLevel.READ_COMMITTED))
                .all().get(30, TimeUnit.SECONDS);
        Map<TopicPartition, Long> ends = new TreeMap<>(java.util.Comparator.comparingInt(TopicPartition::partition));
        latest.forEach((partition, info) -> ends.put(partition, info.offset()));
        return ends;
    }
}
