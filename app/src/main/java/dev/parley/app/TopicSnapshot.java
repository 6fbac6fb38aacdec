package dev.parley.app;

import dev.parley.schemas.AvroSerde;
import dev.parley.schemas.Development;
import dev.parley.schemas.NegotiationStatus;
import dev.parley.schemas.Topics;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

/** Everything committed on a topic at the moment of reading, read without a consumer group: for commands and tests. */
final class TopicSnapshot {

    private TopicSnapshot() {
    }

    static Map<String, NegotiationStatus> statuses(String bootstrapServers, Duration timeout) {
        return statuses(client(bootstrapServers), timeout);
    }

    /** The latest view of every negotiation, from the compacted {@code parley.status}; {@code client}: the Kafka client's settings. */
    static Map<String, NegotiationStatus> statuses(Map<String, Object> client, Duration timeout) {
        Map<String, NegotiationStatus> latest = new TreeMap<>();
        for (var record : read(client, Topics.STATUS, AvroSerde.of(NegotiationStatus.class), timeout)) {
            if (record.value() == null) {
                latest.remove(record.key());
            } else {
                latest.put(record.key(), record.value());
            }
        }
        return latest;
    }

    /** A negotiation's developments on the log of record, in log order, and how many records could not be read. */
    record Developments(List<Development> readable, int unreadable) {
    }

    /** Every development of one negotiation on the log of record; unreadable records (dead letters) are counted, not fatal. */
    static Developments developments(String bootstrapServers, String negotiationId, Duration timeout) {
        return developments(client(bootstrapServers), negotiationId, timeout);
    }

    static Developments developments(Map<String, Object> client, String negotiationId, Duration timeout) {
        var serde = AvroSerde.of(Development.class);
        List<Development> readable = new ArrayList<>();
        int unreadable = 0;
        for (var record : read(client, Topics.DEVELOPMENTS, new ByteArrayDeserializer(), timeout)) {
            if (!negotiationId.equals(record.key()) || record.value() == null) {
                continue;
            }
            try {
                readable.add(serde.deserialize(Topics.DEVELOPMENTS, record.value()));
            } catch (SerializationException e) {
                unreadable++;
            }
        }
        return new Developments(readable, unreadable);
    }

    /**
     * The latest revision on the log of record of each development of these negotiations, by negotiation and
     * development id; only the records of these negotiations are decoded.
     */
    static Map<String, Map<String, Integer>> revisions(Map<String, Object> client, java.util.Set<String> negotiations, Duration timeout,
                                                       java.util.function.Consumer<Progress> progress) {
        var serde = AvroSerde.of(Development.class);
        Map<String, Map<String, Integer>> revisions = new java.util.HashMap<>();
        forEach(client, Topics.DEVELOPMENTS, new ByteArrayDeserializer(), timeout, (record, seen) -> {
            progress.accept(seen);
            if (record.value() == null || !negotiations.contains(record.key())) {
                return;
            }
            try {
                Development d = serde.deserialize(Topics.DEVELOPMENTS, record.value());
                revisions.computeIfAbsent(d.getNegotiationId(), n -> new java.util.HashMap<>()).merge(d.getDevelopmentId(), d.getRevision(), Math::max);
            } catch (SerializationException unreadable) {
                // a dead letter of the topology, not a development
            }
        });
        return revisions;
    }

    static <V> List<ConsumerRecord<String, V>> read(String bootstrapServers, String topic, Deserializer<V> values, Duration timeout) {
        return read(client(bootstrapServers), topic, values, timeout);
    }

    static <V> List<ConsumerRecord<String, V>> read(Map<String, Object> client, String topic, Deserializer<V> values, Duration timeout) {
        List<ConsumerRecord<String, V>> records = new ArrayList<>();
        forEach(client, topic, values, timeout, (record, progress) -> records.add(record));
        return records;
    }

    /** How far a read has got: records seen so far, of the total committed when it started. */
    record Progress(long done, long total) {
    }

    /** Hands every record committed on the topic when the call starts to {@code action}, in partition order. */
    static <V> void forEach(Map<String, Object> client, String topic, Deserializer<V> values, Duration timeout,
                            java.util.function.BiConsumer<ConsumerRecord<String, V>, Progress> action) {
        Map<String, Object> config = new java.util.HashMap<>(client);
        config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        config.put(ConsumerConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, (int) timeout.toMillis());
        config.remove(ConsumerConfig.GROUP_ID_CONFIG); // assigned partitions: no group
        try (var consumer = new KafkaConsumer<>(config, new StringDeserializer(), values)) {
            var partitions = consumer.partitionsFor(topic, timeout).stream()
                    .map(p -> new TopicPartition(p.topic(), p.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> begin = consumer.beginningOffsets(partitions, timeout);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions, timeout);
            long total = partitions.stream().mapToLong(tp -> end.get(tp) - begin.get(tp)).sum();
            long done = 0;
            long deadline = System.nanoTime() + timeout.toNanos();
            while (partitions.stream().anyMatch(tp -> consumer.position(tp) < end.get(tp))) {
                var records = consumer.poll(Duration.ofMillis(200));
                if (records.isEmpty() && System.nanoTime() > deadline) {
                    throw new TimeoutException("reading " + topic + ": nothing new for " + timeout.toSeconds() + " s");
                }
                if (!records.isEmpty()) {
                    deadline = System.nanoTime() + timeout.toNanos(); // the timeout is for silence, not for the whole read
                }
                for (var record : records) {
                    if (record.offset() < end.get(new TopicPartition(record.topic(), record.partition()))) {
                        action.accept(record, new Progress(++done, total));
                    }
                }
            }
        }
    }

    private static Map<String, Object> client(String bootstrapServers) {
        return Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    }
}
