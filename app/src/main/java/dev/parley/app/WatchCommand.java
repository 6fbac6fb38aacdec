package dev.parley.app;

import dev.parley.consumer.ChangeFilter;
import dev.parley.consumer.TerminalSink;
import dev.parley.schemas.AvroSerde;
import dev.parley.schemas.StatusChange;
import dev.parley.schemas.Topics;
import java.io.PrintWriter;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.StringDeserializer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code parley watch}: follows status changes like {@code tail -f}. */
@Command(name = "watch", mixinStandardHelpOptions = true,
        description = {"Follows status changes as they happen, like tail -f, until stopped (Ctrl-C).", "",
                "With --from, prints the changes known since that day first. It reads without a consumer group: "
                        + "watching leaves no trace and never holds back a sink."},
        footer = {"", "Examples:", "  ./parley watch", "  ./parley watch ukraine-peace-2025 --kinds PHASE_CHANGED,MEETING_HELD --from 2025-12-01"})
final class WatchCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Mixin
    KafkaOptions kafka;

    @Parameters(index = "0", arity = "0..1", paramLabel = "NEGOTIATION_ID", description = "Only this negotiation (default: all).")
    String negotiation;

    @Option(names = "--kinds", split = ",", paramLabel = "KIND", description = "Only changes with an item of these kinds, e.g. PHASE_CHANGED,MEETING_HELD.")
    List<String> kinds = new ArrayList<>();

    @Option(names = "--from", paramLabel = "YYYY-MM-DD", description = "Print the changes known since this day (UTC) first (default: only new ones).")
    LocalDate from;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        AppSettings settings = kafka.settings();
        ChangeFilter filter = ChangeFilter.of(negotiation == null ? List.of() : List.of(negotiation), kinds);
        Properties props = new Properties();
        props.putAll(dev.parley.schemas.KafkaVariables.from(settings.env()));
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, settings.kafka());
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        var done = new CountDownLatch(1);
        try (var consumer = new KafkaConsumer<>(props, new StringDeserializer(), AvroSerde.of(StatusChange.class))) {
            Thread main = Thread.currentThread();
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                consumer.wakeup();
                try {
                    done.await(10, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    main.interrupt();
                }
            }, "parley-watch-shutdown"));
            List<TopicPartition> partitions = consumer.partitionsFor(Topics.STATUS_CHANGES, Duration.ofSeconds(30)).stream()
                    .map(info -> new TopicPartition(info.topic(), info.partition())).toList();
            consumer.assign(partitions);
            seek(consumer, partitions);
            out.println("Watching " + filter + (from == null ? "" : ", known since " + from) + " (Ctrl-C stops)");
            out.flush();
            while (true) {
                for (ConsumerRecord<String, StatusChange> record : consumer.poll(Duration.ofSeconds(1))) {
                    StatusChange change = record.value();
                    if (change != null && filter.matches(change)) {
                        out.println(change.getKnownAt() + "  " + TerminalSink.format(change));
                        out.flush();
                    }
                }
            }
        } catch (WakeupException stopped) {
            return 0;
        } catch (KafkaException e) {
            return KafkaOptions.unreachable(spec.commandLine().getErr(), "read " + Topics.STATUS_CHANGES + " from", settings.kafka(), e);
        } finally {
            done.countDown();
        }
    }

    /** To the first change known on --from, else to the end: record timestamps are when the development was reported. */
    private void seek(KafkaConsumer<String, StatusChange> consumer, List<TopicPartition> partitions) {
        if (from == null) {
            consumer.seekToEnd(partitions);
            return;
        }
        long since = from.atStartOfDay(ZoneOffset.UTC).toInstant().toEpochMilli();
        Map<TopicPartition, Long> times = new HashMap<>();
        partitions.forEach(partition -> times.put(partition, since));
        var offsets = consumer.offsetsForTimes(times);
        for (TopicPartition partition : partitions) {
            var offset = offsets.get(partition);
            if (offset == null) {
                consumer.seekToEnd(List.of(partition));
            } else {
                consumer.seek(partition, offset.offset());
            }
        }
    }
}
