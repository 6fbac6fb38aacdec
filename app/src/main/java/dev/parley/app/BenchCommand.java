package dev.parley.app;

import dev.parley.consumer.ChangeFilter;
import dev.parley.consumer.RetryPolicy;
import dev.parley.consumer.Subscription;
import dev.parley.consumer.webhook.StandardWebhooks;
import dev.parley.consumer.webhook.WebhookSink;
import dev.parley.localkafka.LocalKafka;
import dev.parley.localkafka.LocalKafkaSettings;
import dev.parley.producer.DevelopmentPublisher;
import dev.parley.producer.ProducerSettings;
import dev.parley.schemas.AvroSerde;
import dev.parley.schemas.Development;
import dev.parley.schemas.KafkaVariables;
import dev.parley.schemas.Topics;
import dev.parley.schemas.json.AvroJson;
import java.io.PrintWriter;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.HdrHistogram.Histogram;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code parley bench}: Parley against raw Kafka in one run, on one fresh broker. Every Parley figure is a ratio to a
 * raw figure of the same run, so a noisy machine moves both; the raw baselines run first and last, and the run is
 * marked invalid when they differ by more than 10%.
 */
@Command(name = "bench", mixinStandardHelpOptions = true,
        description = {"Measures Parley against Kafka's own benchmarks in one run, on a fresh embedded broker, and prints a "
                + "table of figures and ratios; writes the same as JSON, and a chart of the freshness distribution (SVG), "
                + "to --out.", "",
                "In order: ProducerPerformance and ConsumerPerformance (records the size of Parley's developments, the "
                        + "same producer settings); Parley's publisher; the pipeline (publish to parley.status-changes, "
                        + "exactly-once) for 16 and for 100,000 negotiations; freshness at 25%% of the pipeline's rate, "
                        + "send to delivery by a subscription's sink, a webhook and server-sent events (p50, p99, p99.9); "
                        + "the memory of parley up, run on its own at that rate, and of the broker (steady and peak RSS); "
                        + "parley rebuild over the whole log; Kafka Streams alone with the topology's "
                        + "settings, copying the log and folding nothing (over the whole log, and as sent), the most any "
                        + "topology reaches on the machine; the raw baselines again.", "",
                "Every figure is of warm code: the broker, the publisher, each pipeline and the freshness senders first run "
                        + "unmeasured (printed as warm-up) until the JIT compiles for less than 10%% of a core.", "",
                "Takes about a quarter of an hour with the defaults on two cores, and a few GB under the system's temporary "
                        + "folder, deleted at the end."},
        footer = {"", "Example:", "  ./parley bench", "  ./parley bench --pipeline-developments 50000 --freshness-seconds 60 --out /tmp/bench"})
final class BenchCommand implements Callable<Integer> {

    /** The same producer settings for Kafka's benchmark and for Parley's publisher. */
    static final Map<String, String> PRODUCER = Map.of("acks", "all", "enable.idempotence", "true", "linger.ms", "5",
            "batch.size", "16384", "compression.type", "none");
    /**
     * Records each ProducerPerformance pass sends unmeasured first: it runs in a fresh JVM, and measured from its first
     * record it reported half of what it reaches warm (see {@link KafkaPerformance#producer}).
     */
    static final int RAW_PRODUCER_WARM_UP = 300_000;
    private static final int PARTITIONS = 3;
    private static final String RAW_TOPIC = "bench.raw";

    @Spec
    CommandSpec spec;

    @Option(names = "--baseline-records", paramLabel = "N", defaultValue = "1000000",
            description = "Records each of Kafka's benchmarks writes and reads, measured; the producer sends 300,000 more first, "
                    + "unmeasured (default: ${DEFAULT-VALUE}). Each tool starts in a JVM of its own: with fewer records, its rate says more "
                    + "about that start than about Kafka.")
    int baselineRecords;

    @Option(names = "--warm-up-seconds", paramLabel = "S", defaultValue = "60",
            description = "How long the raw benchmarks warm the broker up, at the least, before the first baseline; then until two "
                    + "passes agree within 10%% (default: ${DEFAULT-VALUE}).")
    int warmUpSeconds;

    @Option(names = "--publisher-developments", paramLabel = "N", defaultValue = "50000",
            description = "Developments Parley's publisher sends, over 1,000 negotiations (default: ${DEFAULT-VALUE}).")
    int publisherDevelopments;

    @Option(names = "--pipeline-developments", paramLabel = "N", defaultValue = "10000",
            description = "Developments through the pipeline for 16 negotiations (default: ${DEFAULT-VALUE}).")
    int pipelineDevelopments;

    @Option(names = "--wide-developments", paramLabel = "N", defaultValue = "100000",
            description = "Developments through the pipeline for 100,000 negotiations (default: ${DEFAULT-VALUE}).")
    int wideDevelopments;

    @Option(names = "--freshness-seconds", paramLabel = "S", defaultValue = "30",
            description = "How long developments are sent at 25%% of the pipeline's rate (default: ${DEFAULT-VALUE}).")
    int freshnessSeconds;

    @Option(names = "--freshness-rate", paramLabel = "N",
            description = "Send at N developments/s rather than 25%% of the pipeline's rate: to compare two builds at the same "
                    + "load, since the pipeline's rate moves between runs.")
    Double freshnessRate;

    @Option(names = "--memory-seconds", paramLabel = "S", defaultValue = "60",
            description = "How long parley up, run on its own, takes developments at the freshness rate at the least before "
                    + "its memory is read; then until it keeps up and its RSS levels off, 5 minutes at most (default: ${DEFAULT-VALUE}).")
    int memorySeconds;

    @Option(names = "--out", paramLabel = "DIR", defaultValue = "bench-results",
            description = "Where the JSON results and the chart go (default: ${DEFAULT-VALUE}).")
    Path out;

    private PrintWriter print;
    private final BenchReport report = new BenchReport();

    @Override
    public Integer call() throws Exception {
        print = spec.commandLine().getOut();
        if (freshnessRate != null && !(freshnessRate > 0 && freshnessRate <= 1_000_000)) {
            throw new ParameterException(spec.commandLine(), "--freshness-rate: " + freshnessRate
                    + " is not a rate to send at; expected developments per second, above 0 and up to 1,000,000");
        }
        Path dir = Files.createTempDirectory("parley-bench-");
        try (var kafka = new LocalKafka(LocalKafkaSettings.in(dir.resolve("kafka")))) {
            kafka.start();
            String bootstrap = kafka.bootstrapServers();
            try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
                TopicSetup.ensure(admin, PARTITIONS, (short) 1, 1);
                // The copy's topic like the others: left to be created on its first write, it had the broker's one partition.
                admin.createTopics(List.of(new NewTopic(RAW_TOPIC, PARTITIONS, (short) 1), new NewTopic(StreamsCopyBaseline.TOPIC, PARTITIONS, (short) 1),
                        new NewTopic(StreamsCopyBaseline.SECOND_TOPIC, PARTITIONS, (short) 1)))
                        .all().get();
                report.machine(Runtime.getRuntime().availableProcessors(), Runtime.getRuntime().maxMemory());

                int recordSize = averageSize(new Workload(1, 1_000, "bench-sample-"), 2_000);
                report.note("record size", recordSize + " bytes: the average serialized development");
                // A broker just started is slower than it will be: its JIT keeps speeding it up through the first minute or
                // so of load here (100,000-record passes: 21,000 records/s at first, 45,000 to 55,000 after 12 passes).
                // Warmed up for less, the first baseline is low, flatters Parley, and the run is invalid for it.
                step("Warming up the broker for " + warmUpSeconds + " s at least, then until two passes of the raw producer agree"
                        + " within 10% and its JIT compiles for less than 10% of a core (not measured)");
                long warmUpStart = System.nanoTime();
                double previous = 0;
                for (int pass = 1; ; pass++) {
                    double brokerJitBefore = MachineCpu.jitSeconds(kafka.pid());
                    long passStart = System.nanoTime();
                    double rate = rawProducer(bootstrap, recordSize, dir.resolve("producer-warm-up-" + pass + ".out")).recordsPerSecond();
                    KafkaPerformance.consumer(bootstrap, RAW_TOPIC, baselineRecords, dir.resolve("consumer-warm-up-" + pass + ".out"));
                    double elapsed = seconds(warmUpStart);
                    double brokerJit = (MachineCpu.jitSeconds(kafka.pid()) - brokerJitBefore) / seconds(passStart);
                    print.printf("    pass %d: %,.0f records/s (%.0f s), the broker's JIT compiling for %.0f%% of a core%n", pass, rate,
                            elapsed, 100 * brokerJit);
                    print.flush();
                    boolean settled = previous > 0 && Math.abs(rate - previous) <= 0.1 * previous && brokerJit < JIT_SETTLED_SHARE;
                    if (elapsed >= warmUpSeconds && settled || elapsed >= 3 * warmUpSeconds) {
                        break; // past 3x, go on anyway: the two baseline passes still decide whether the run is valid
                    }
                    previous = rate;
                }
                step("1/9 Raw baselines: ProducerPerformance and ConsumerPerformance, " + baselineRecords + " records of " + recordSize + " bytes");
                var producer = rawProducer(bootstrap, recordSize, dir.resolve("producer-1.out"));
                var consumer = KafkaPerformance.consumer(bootstrap, RAW_TOPIC, baselineRecords, dir.resolve("consumer-1.out"));
                report.raw("raw producer (ProducerPerformance)", producer.recordsPerSecond(), "records/s");
                report.raw("raw consumer (ConsumerPerformance)", consumer.recordsPerSecond(), "records/s");

                step("2/9 Parley's publisher: " + publisherDevelopments + " developments over 1,000 negotiations");
                warmUpPublisher(bootstrap);
                double publisher = publish(bootstrap, new Workload(2, 1_000, "bench-publisher-"), publisherDevelopments);
                report.figure("publisher", publisher, "developments/s", producer.recordsPerSecond(), "raw producer", 0.85);

                step("3/9 Pipeline, exactly-once, 16 negotiations: " + pipelineDevelopments + " developments");
                double narrow;
                double load;
                try (var pipeline = startPipeline(bootstrap, dir, "bench-16")) {
                    var sixteen = new Workload(3, 16, "bench-16-");
                    narrow = throughPipeline(admin, bootstrap, kafka.pid(), "bench-16", sixteen, pipelineDevelopments);
                    report.figure("pipeline, 16 negotiations", narrow, "developments/s", producer.recordsPerSecond(), "raw producer", 0.5);

                    load = freshnessRate != null ? freshnessRate : narrow / 4;
                    if (freshnessRate != null) {
                        report.freshnessLoad(Math.round(load) + "/s (given; 25% load would be " + Math.round(narrow / 4) + "/s)");
                    }
                    step("4/9 Freshness at " + (freshnessRate != null ? "the given rate" : "25% of that rate") + " (" + Math.round(load)
                            + "/s) for " + freshnessSeconds + " s");
                    freshness(admin, pipeline, bootstrap, kafka.pid(), sixteen, load); // the same negotiations, their next developments
                    report.memory("bench process, after freshness (RSS)", rssKb("self", "VmRSS"));
                }

                step("5/9 parley up on its own, taking " + Math.round(load) + " developments/s for " + memorySeconds
                        + " s at the least, then until it keeps up and its memory levels off: its memory");
                upAtSteadyState(admin, bootstrap, dir, kafka.pid(), load);

                step("6/9 Pipeline, exactly-once, 100,000 negotiations: " + wideDevelopments + " developments");
                try (var pipeline = startPipeline(bootstrap, dir, "bench-wide")) {
                    double wide = throughPipeline(admin, bootstrap, kafka.pid(), "bench-wide", new Workload(5, 100_000, "bench-wide-"), wideDevelopments);
                    report.figure("pipeline, 100,000 negotiations", wide, "developments/s", producer.recordsPerSecond(), "raw producer", 0.2);
                }

                step("7/9 parley rebuild over the whole log");
                rebuild(admin, bootstrap, dir, consumer.recordsPerSecond());
                report.memory("bench process, peak (RSS)", rssKb("self", "VmHWM"));
                report.memory("broker, peak (RSS)", rssKb(String.valueOf(kafka.pid()), "VmHWM"));

                step("8/9 Kafka Streams alone, exactly-once, folding nothing: a copy of the whole log, then " + wideDevelopments
                        + " developments as they are sent, copied to one topic, then to two through a logged store");
                kafkaStreamsAlone(admin, bootstrap, kafka.pid(), dir, producer.recordsPerSecond(), consumer.recordsPerSecond());

                step("9/9 Raw baselines again");
                var producerAgain = rawProducer(bootstrap, recordSize, dir.resolve("producer-2.out"));
                var consumerAgain = KafkaPerformance.consumer(bootstrap, RAW_TOPIC, baselineRecords, dir.resolve("consumer-2.out"));
                report.raw("raw producer again", producerAgain.recordsPerSecond(), "records/s");
                report.raw("raw consumer again", consumerAgain.recordsPerSecond(), "records/s");
                report.validity(producer.recordsPerSecond(), producerAgain.recordsPerSecond(), consumer.recordsPerSecond(),
                        consumerAgain.recordsPerSecond());
            }
        } finally {
            RebuildCommand.deleteTree(dir);
        }
        print.println();
        print.print(report.table());
        Files.createDirectories(out);
        String stamp = LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss"));
        Path json = out.resolve("bench-" + stamp + ".json");
        Path chart = out.resolve("freshness-" + stamp + ".svg");
        Files.writeString(json, AvroJson.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(report.json()));
        Files.writeString(chart, report.freshnessChart());
        print.println();
        print.println("Results: " + json.toAbsolutePath());
        print.println("Chart:   " + chart.toAbsolutePath());
        return report.valid() ? 0 : 3;
    }

    private void step(String what) {
        print.println(LocalDateTime.now().format(DateTimeFormatter.ofPattern("HH:mm:ss")) + "  " + what);
        print.flush();
    }

    /** One pass of Kafka's ProducerPerformance, as every raw pass runs it: its warm-up, then the measured records. */
    private KafkaPerformance.Rate rawProducer(String bootstrap, int recordSize, Path output) throws Exception {
        return KafkaPerformance.producer(bootstrap, RAW_TOPIC, RAW_PRODUCER_WARM_UP, baselineRecords, recordSize, PRODUCER, output);
    }

    private static int averageSize(Workload workload, int samples) {
        var serde = AvroSerde.of(Development.class);
        long bytes = 0;
        for (int i = 0; i < samples; i++) {
            bytes += serde.serialize(Topics.DEVELOPMENTS, workload.next()).length;
        }
        return (int) (bytes / samples);
    }

    /**
     * Rounds as large as the measured one, on other negotiations, until the JIT compiles for less than 10% of a core: this
     * JVM's first sends run interpreted, while ProducerPerformance does next to nothing per record and runs as fast from
     * its first.
     */
    private void warmUpPublisher(String bootstrap) throws Exception {
        var others = new Workload(12, 1_000, "bench-publisher-warm-up-");
        int rounds = 0;
        double share;
        do {
            share = jitShareDuring(() -> publish(bootstrap, others, publisherDevelopments));
            rounds++;
        } while (share >= JIT_SETTLED_SHARE && rounds < 10);
        print.printf("    warm-up, not measured: %,d developments of other negotiations, %s%n", rounds * publisherDevelopments,
                howSettled(share));
    }

    /** Parley's publisher, as fast as it goes, with the raw benchmark's producer settings; developments per second. */
    private double publish(String bootstrap, Workload workload, int count) throws Exception {
        List<Development> developments = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            developments.add(workload.next()); // generated before the clock starts
        }
        try (var publisher = DevelopmentPublisher.create(ProducerSettings.from(KafkaVariables.toEnv(PRODUCER), bootstrap))) {
            // A new producer's first send waits for the topic's metadata and an idempotent producer id: not what a
            // development costs, and ProducerPerformance's measured records do not include it either (its warm-up does).
            publisher.publishAll(List.of(workload.next()));
            long start = System.nanoTime();
            publisher.publishAll(developments);
            return count / seconds(start);
        }
    }

    private Pipeline startPipeline(String bootstrap, Path dir, String applicationId) throws Exception {
        Map<String, String> env = new HashMap<>(Map.of("PARLEY_APPLICATION_ID", applicationId, "PARLEY_PORT", "0",
                "PARLEY_API_TOKEN", "bench", "PARLEY_WEBHOOK_ALLOW_PRIVATE_TARGETS", "true",
                "KAFKA_AUTO_OFFSET_RESET", "latest")); // each pipeline folds what is sent while it runs, not the log before it
        var pipeline = Pipeline.start(AppSettings.from(env).withBootstrapServers(bootstrap).withHome(dir.resolve(applicationId)));
        Duration timeout = Duration.ofSeconds(120);
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!pipeline.isRunning()) {
            if (System.nanoTime() > deadline) {
                pipeline.close();
                throw new IllegalStateException("The " + applicationId + " topology did not start within " + timeout);
            }
            Thread.sleep(100);
        }
        return pipeline;
    }

    /**
     * Sends {@code count} developments as fast as the publisher goes while the topology runs, and waits until it has
     * committed them all (folded, its changes written, exactly-once); developments per second from the first send.
     */
    private double throughPipeline(Admin admin, String bootstrap, long brokerPid, String applicationId, Workload workload, int count)
            throws Exception {
        try (var publisher = DevelopmentPublisher.create(ProducerSettings.from(KafkaVariables.toEnv(PRODUCER), bootstrap))) {
            warmUp(admin, applicationId, publisher, workload);
            List<Development> developments = new ArrayList<>(count);
            for (int i = 0; i < count; i++) {
                developments.add(workload.next());
            }
            StoredBytes storedBefore = StoredBytes.of(admin);
            long cpuBefore = streamThreadsCpuNanos(applicationId);
            var machineBefore = MachineCpu.now(brokerPid, applicationId);
            long start = System.nanoTime();
            publisher.publishAll(developments);
            double published = seconds(start);
            awaitCommitted(admin, applicationId, Duration.ofMinutes(30), count);
            double elapsed = seconds(start);
            double rate = count / elapsed;
            // CPU time says what a development costs whatever else the machine does; the rest of the wall time is waiting.
            double cpuSeconds = (streamThreadsCpuNanos(applicationId) - cpuBefore) / 1e9;
            print.printf("    sent in %.1f s, folded and committed in %.1f s: %,.0f developments/s; the stream thread used %.3f ms"
                    + " of CPU per development, busy %.0f%% of the time%n", published, elapsed, rate, 1000 * cpuSeconds / count,
                    100 * cpuSeconds / elapsed);
            reportCores(applicationId, applicationId + " cores", brokerPid, machineBefore, cpuSeconds);
            StoredBytes stored = StoredBytes.of(admin);
            String perDevelopment = stored.perDevelopmentSince(storedBefore, applicationId, count);
            print.printf("    Kafka stored %.1f kB per development: %s%n", (stored.total() - storedBefore.total()) / 1024.0 / count, perDevelopment);
            report.note(applicationId + " stored per development", perDevelopment);
            report.note(applicationId + " stream thread CPU", String.format("%.3f ms per development, busy %.0f%% of the time",
                    1000 * cpuSeconds / count, 100 * cpuSeconds / elapsed));
            return rate;
        }
    }

    /** Prints and notes where the machine's cores went since {@code before}, {@code streamThreadSeconds} the stream thread's. */
    private void reportCores(String applicationId, String note, long brokerPid, MachineCpu before, double streamThreadSeconds) {
        MachineCpu now = MachineCpu.now(brokerPid, applicationId);
        String cores = now.since(before, streamThreadSeconds);
        print.println("    the machine's cores meanwhile: " + cores);
        report.note(note, cores);
        String threads = now.busiestThreads(before, 6);
        print.println("    Parley's busiest threads: " + threads);
        report.note(note + ", busiest threads", threads);
    }

    /** Sends developments at {@code rate} per second for {@code seconds}; the sends' acknowledgements. */
    private static List<CompletableFuture<?>> paced(DevelopmentPublisher publisher, Workload workload, double rate, int seconds,
                                                     Freshness freshness) throws InterruptedException {
        return paced(publisher, workload, rate, seconds, development -> freshness.sent(development.getDevelopmentId()));
    }

    /** Sends the workload's next developments at {@code rate} for {@code seconds}, telling {@code sending} of each first. */
    private static List<CompletableFuture<?>> paced(DevelopmentPublisher publisher, Workload workload, double rate, int seconds,
                                                     java.util.function.Consumer<Development> sending) throws InterruptedException {
        long intervalNanos = (long) (1e9 / rate);
        long start = System.nanoTime();
        List<CompletableFuture<?>> acknowledged = new ArrayList<>();
        while (System.nanoTime() - start < TimeUnit.SECONDS.toNanos(seconds)) {
            long wait = start + acknowledged.size() * intervalNanos - System.nanoTime();
            if (wait > 0) {
                TimeUnit.NANOSECONDS.sleep(wait);
            }
            Development development = workload.next();
            sending.accept(development);
            acknowledged.add(publisher.publish(development));
        }
        return acknowledged;
    }

    /** CPU time used so far by this process's stream threads of a topology. */
    private static long streamThreadsCpuNanos(String applicationId) {
        var threads = java.lang.management.ManagementFactory.getThreadMXBean();
        long total = 0;
        for (var thread : threads.dumpAllThreads(false, false)) {
            if (thread.getThreadName().startsWith(applicationId + "-") && thread.getThreadName().contains("-StreamThread-")
                    && !thread.getThreadName().contains("producer")) {
                total += Math.max(0, threads.getThreadCpuTime(thread.getThreadId()));
            }
        }
        return total;
    }

    /** Developments of other negotiations per round of a pipeline's warm-up. */
    static final int PIPELINE_WARM_UP_ROUND = 10_000;
    static final int PIPELINE_WARM_UP_MAX_ROUNDS = 20;

    /**
     * Developments through the running topology before the measured ones, unmeasured: rounds of {@value
     * #PIPELINE_WARM_UP_ROUND} of other negotiations of the same shape, two at least, until the JIT compiles for less than
     * {@link #JIT_SETTLED_SHARE} of a core. Cold, the JIT's compiler threads took a third of the machine's CPU through the
     * measured run (10 of its 30 core-seconds, 8,000 developments over 16 negotiations); after a fixed 20,000 unmeasured,
     * they still took 3.9 of the 6 core-seconds the stream thread took 3.4 of. Then a few of the measured negotiations,
     * so the measured ones do not wait for their first poll.
     */
    private void warmUp(Admin admin, String applicationId, DevelopmentPublisher publisher, Workload workload) throws Exception {
        Workload others = workload.others();
        List<Development> warmUp = new ArrayList<>();
        long start = System.nanoTime();
        int rounds = 0;
        double share = 1;
        while (rounds < 2 || (share >= JIT_SETTLED_SHARE && rounds < PIPELINE_WARM_UP_MAX_ROUNDS)) {
            warmUp.clear();
            for (int i = 0; i < PIPELINE_WARM_UP_ROUND; i++) {
                warmUp.add(others.next());
            }
            share = jitShareDuring(() -> {
                publisher.publishAll(warmUp);
                awaitCommitted(admin, applicationId, Duration.ofMinutes(30), 0);
            });
            rounds++;
        }
        int developments = rounds * PIPELINE_WARM_UP_ROUND;
        print.printf("    warm-up, not measured: %,d developments of other negotiations at %,.0f/s, %s%n", developments,
                developments / seconds(start), howSettled(share));
        warmUp.clear();
        for (int i = 0; i < 30; i++) {
            warmUp.add(workload.next());
        }
        publisher.publishAll(warmUp);
        awaitCommitted(admin, applicationId, Duration.ofMinutes(2), 0);
    }

    /** Waits until the topology's committed positions on the log of record reach its end. */
    private void awaitCommitted(Admin admin, String applicationId, Duration timeout, int progressTotal) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        long lastPrint = System.nanoTime();
        while (true) {
            long behind = lag(admin, applicationId, Topics.DEVELOPMENTS);
            if (behind == 0) {
                return;
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException(applicationId + " still had " + behind + " developments to fold after " + timeout);
            }
            if (progressTotal > 0 && System.nanoTime() - lastPrint > 5_000_000_000L) {
                print.printf("    %,d of %,d folded%n", Math.max(0, progressTotal - behind), progressTotal);
                print.flush();
                lastPrint = System.nanoTime();
            }
            Thread.sleep(50);
        }
    }

    /** How far a consumer group's committed positions on {@code topic} are behind its end. */
    private static long lag(Admin admin, String groupId, String topic) throws Exception {
        Map<TopicPartition, OffsetAndMetadata> committed = admin.listConsumerGroupOffsets(groupId).partitionsToOffsetAndMetadata()
                .get(30, TimeUnit.SECONDS);
        long lag = 0;
        for (var end : endOffsets(admin, topic).entrySet()) {
            OffsetAndMetadata at = committed.get(end.getKey());
            lag += end.getValue() - (at == null ? 0 : at.offset());
        }
        return lag;
    }

    /** Where the log of record ends, per partition. */
    private static Map<TopicPartition, Long> endOffsets(Admin admin) throws Exception {
        return endOffsets(admin, Topics.DEVELOPMENTS);
    }

    private static Map<TopicPartition, Long> endOffsets(Admin admin, String topic) throws Exception {
        Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
        for (int p = 0; p < PARTITIONS; p++) {
            latest.put(new TopicPartition(topic, p), OffsetSpec.latest());
        }
        Map<TopicPartition, Long> ends = new HashMap<>();
        admin.listOffsets(latest).all().get(30, TimeUnit.SECONDS).forEach((partition, info) -> ends.put(partition, info.offset()));
        return ends;
    }

    /** Sends at a fixed rate while a sink, a webhook and an SSE client receive the changes; records send-to-delivery. */
    private void freshness(Admin admin, Pipeline pipeline, String bootstrap, long brokerPid, Workload workload, double rate) throws Exception {
        AppSettings settings = AppSettings.from(Map.of("PARLEY_PORT", "0", "PARLEY_API_TOKEN", "bench", "PARLEY_HOME",
                pipeline.changesFile().getParent().toString())).withBootstrapServers(bootstrap);
        try (var freshness = new Freshness(); var web = WebServer.start(pipeline, settings);
             var publisher = DevelopmentPublisher.create(ProducerSettings.from(KafkaVariables.toEnv(PRODUCER), bootstrap))) {
            var sink = new Subscription("bench-sink", freshness.sink(), ChangeFilter.ALL, RetryPolicy.DEFAULT);
            pipeline.subscribe(sink, Map.of("auto.offset.reset", "latest"));
            URI hook = freshness.webhookReceiver();
            var webhook = new Subscription("bench-webhook", WebhookSink.create("bench-webhook", hook, StandardWebhooks.newSecret(), true),
                    ChangeFilter.ALL, RetryPolicy.DEFAULT);
            pipeline.subscribe(webhook, Map.of("auto.offset.reset", "latest"));
            freshness.follow(URI.create("http://127.0.0.1:" + web.port() + ChangeStream.ALL_PATH));

            // Warm up until every way of delivery has received something, then measure.
            long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(2);
            while (freshness.received(Freshness.SINK) == 0 || freshness.received(Freshness.WEBHOOK) == 0 || freshness.received(Freshness.SSE) == 0) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("Not every way of delivery received a change within 2 minutes: "
                            + freshness.receivedByChannel());
                }
                publisher.publishAll(List.of(workload.next()));
                Thread.sleep(200);
            }
            Queued queued = () -> lag(admin, pipeline.applicationId(), Topics.DEVELOPMENTS)
                    + lag(admin, sink.consumerGroup(), Topics.STATUS_CHANGES) + lag(admin, webhook.consumerGroup(), Topics.STATUS_CHANGES);
            int warmUpSeconds = warmUpDeliveries(publisher, workload, rate, freshness, queued);
            freshness.startRecording();
            long cpuBefore = streamThreadsCpuNanos(pipeline.applicationId());
            var machineBefore = MachineCpu.now(brokerPid, pipeline.applicationId());
            long start = System.nanoTime();
            List<CompletableFuture<?>> acknowledged = paced(publisher, workload, rate, freshnessSeconds, freshness);
            print.printf("    %,d developments sent at %,.0f/s, after %d s at that rate unmeasured%n", acknowledged.size(),
                    acknowledged.size() / seconds(start), warmUpSeconds);
            // The rest of Parley is the sinks, the webhook's client, the web server and the bench's own receivers.
            reportCores(pipeline.applicationId(), "freshness cores", brokerPid, machineBefore, (streamThreadsCpuNanos(pipeline.applicationId()) - cpuBefore) / 1e9);
            CompletableFuture.allOf(acknowledged.toArray(CompletableFuture[]::new)).get(1, TimeUnit.MINUTES);
            Thread.sleep(5_000); // the last changes on their way
            for (Map.Entry<String, Histogram> channel : freshness.histograms().entrySet()) {
                report.freshness(channel.getKey(), channel.getValue().copy());
            }
            String slowSeconds = Freshness.slowSeconds(freshness.slowestBySecond());
            print.printf("    %s%n", slowSeconds);
            report.note("freshness, slow seconds", slowSeconds);
        }
    }

    /**
     * The memory the target is about: {@code parley up} in a JVM of its own, as {@code ./parley up} runs it (its heap, its
     * default sinks: database, changes file, Atom feeds), taking developments of 16 negotiations at {@code rate} on the
     * bench's broker; its RSS and the broker's at the end. (The bench's own process also holds the load generators, the
     * receivers and what the steps before left on its heap.) Its RSS every 10 s is printed, to show whether it levelled off.
     */
    private void upAtSteadyState(Admin admin, String bootstrap, Path dir, long brokerPid, double rate) throws Exception {
        Map<String, String> env = Map.of("PARLEY_APPLICATION_ID", "bench-up",
                "KAFKA_AUTO_OFFSET_RESET", "latest"); // folds what is sent from now on, like a parley up that has caught up
        try (var up = UpProcess.start(bootstrap, dir.resolve("up"), env);
             var publisher = DevelopmentPublisher.create(ProducerSettings.from(KafkaVariables.toEnv(PRODUCER), bootstrap))) {
            up.awaitHealthy(Duration.ofMinutes(2));
            var workload = new Workload(9, 16, "bench-up-");
            List<CompletableFuture<?>> acknowledged = new ArrayList<>();
            List<Long> everyTenSeconds = new ArrayList<>();
            int seconds = 0;
            long unfolded;
            boolean steady;
            do {
                acknowledged.addAll(paced(publisher, workload, rate, 10, development -> { }));
                seconds += 10;
                up.ensureAlive();
                everyTenSeconds.add(rssKb(String.valueOf(up.pid()), "VmRSS"));
                // Cold, it falls behind while the JIT compiles; a steady state is one where it keeps up.
                unfolded = lag(admin, "bench-up", Topics.DEVELOPMENTS);
                steady = levelledOff(everyTenSeconds) && unfolded <= rate / 2;
            } while (seconds < MAX_MEMORY_SECONDS && (seconds < memorySeconds || !steady));
            report.memory(BenchReport.UP_STEADY, rssKb(String.valueOf(up.pid()), "VmRSS"));
            report.memory(BenchReport.BROKER_STEADY, rssKb(String.valueOf(brokerPid), "VmRSS"));
            report.memory("parley up, peak (RSS)", rssKb(String.valueOf(up.pid()), "VmHWM"));
            String unsteady = steady ? null : levelledOff(everyTenSeconds) ? "it did not keep up" : "still growing";
            if (unsteady != null) {
                report.memoryNotSteady(unsteady + " after " + seconds + " s");
            }
            CompletableFuture.allOf(acknowledged.toArray(CompletableFuture[]::new)).get(1, TimeUnit.MINUTES);
            String series = everyTenSeconds.stream().map(kb -> String.format(Locale.ROOT, "%,d", kb / 1024)).collect(Collectors.joining(", "));
            print.printf("    %,d developments sent in %d s, %,d of them not yet folded at the end; parley up's RSS every 10 s: %s MB%s%n",
                    acknowledged.size(), seconds, unfolded, series, unsteady == null ? "" : " (not a steady state: " + unsteady + ")");
            report.note("parley up, RSS every 10 s (MB)", series);
        }
    }

    /** How long parley up takes a steady load at most, waiting for it to keep up and its memory to level off. */
    static final int MAX_MEMORY_SECONDS = 300;

    /**
     * Whether memory has levelled off: its last three samples, 10 s apart, within 5% of each other. On its own at 1,200
     * developments/s, parley up's RSS grew for 80 s (the heap growing to what the load needs), then held.
     */
    static boolean levelledOff(List<Long> samples) {
        if (samples.size() < 3) {
            return false;
        }
        List<Long> last = samples.subList(samples.size() - 3, samples.size());
        return Collections.max(last) <= 1.05 * Collections.min(last);
    }

    /** A warm-up is done when the JIT compiles for less than this share of a core: it has compiled what the load runs. */
    static final double JIT_SETTLED_SHARE = 0.10;
    static final int WARM_UP_STEP_SECONDS = 5;
    static final int MAX_DELIVERY_WARM_UP_SECONDS = 180;

    /** How many records the pipeline and the bench's subscriptions have yet to read. */
    private interface Queued {
        long now() throws Exception;
    }

    /**
     * Sends at the measured rate, unrecorded, for 10 s and then until the JIT has settled and nothing is queued; returns
     * how long. Cold, the HTTP server, the webhook's client and the SSE stream ran interpreted, and the JIT's compiler
     * threads took 4.5 of every 10 core-seconds for the first 30 s here: measured then, every delivery waited seconds
     * behind them. Once it had compiled them, the same deliveries took a fifth of the CPU. But the machine stayed busy
     * draining what had queued meanwhile: recording then began with a backlog, and its first seconds' sends waited
     * 0.4 to 3.3 s (in 4 of 12 runs here), the whole tail of the runs that missed. So the warm-up also waits until the
     * topology and the subscriptions have less than half a second of sends left to read.
     */
    private int warmUpDeliveries(DevelopmentPublisher publisher, Workload workload, double rate, Freshness freshness, Queued queued)
            throws Exception {
        paced(publisher, workload, rate, 10, freshness);
        int seconds = 10;
        int jitSettledAt = 0;
        while (true) {
            double share = jitShareDuring(() -> paced(publisher, workload, rate, WARM_UP_STEP_SECONDS, freshness));
            seconds += WARM_UP_STEP_SECONDS;
            if (share < JIT_SETTLED_SHARE && jitSettledAt == 0) {
                jitSettledAt = seconds;
            }
            long backlog = queued.now();
            boolean keepsUp = backlog < rate / 2;
            if (share < JIT_SETTLED_SHARE && keepsUp || seconds >= MAX_DELIVERY_WARM_UP_SECONDS) {
                String settled = howSettled(share) + (!keepsUp ? ", and " + backlog + " records still queued: measuring anyway"
                        : jitSettledAt < seconds ? " (from " + jitSettledAt + " s) and nothing queued (from " + seconds + " s)"
                        : ", nothing queued");
                print.printf("    warm-up, not measured: %d s at %,.0f/s, %s%n", seconds, rate, settled);
                report.note("freshness warm-up", seconds + " s at the measured rate, " + settled);
                return seconds;
            }
        }
    }

    /** How a warm-up ended, for its line: once the JIT had settled, or at its limit with the JIT still busy. */
    private static String howSettled(double jitShare) {
        return jitShare < JIT_SETTLED_SHARE ? "until the JIT compiled for less than 10% of a core"
                : "and the JIT still compiled for " + Math.round(100 * jitShare) + "% of a core: measuring anyway";
    }

    /** What a warm-up runs while its JIT share is measured. */
    private interface Load {
        void run() throws Exception;
    }

    /** Runs {@code load}; the share of a core this JVM's JIT spent compiling meanwhile. */
    private static double jitShareDuring(Load load) throws Exception {
        double compiledBefore = jitSeconds();
        long start = System.nanoTime();
        load.run();
        return (jitSeconds() - compiledBefore) / seconds(start);
    }

    /** Seconds this JVM's JIT has spent compiling so far; 0 where it does not say (a warm-up then stops at its minimum). */
    private static double jitSeconds() {
        var jit = java.lang.management.ManagementFactory.getCompilationMXBean();
        return jit != null && jit.isCompilationTimeMonitoringSupported() ? jit.getTotalCompilationTime() / 1000.0 : 0;
    }

    /** parley rebuild in a JVM of its own over everything on the log; its rate against the raw consumer's. */
    private void rebuild(Admin admin, String bootstrap, Path dir, double rawConsumer) throws Exception {
        long developments = endOffsets(admin).values().stream().mapToLong(Long::longValue).sum();
        Path output = dir.resolve("rebuild.out");
        long start = System.nanoTime();
        // The heap ./parley gives every command: left to the JVM's default, a quarter of the machine, it grew to 3 GB of RSS.
        Process rebuild = new ProcessBuilder(KafkaPerformance.java(), "-Xmx1g", "-cp", System.getProperty("java.class.path"), Parley.class.getName(),
                "rebuild", "--bootstrap-servers", bootstrap, "--home", dir.resolve("rebuild").toString())
                .redirectErrorStream(true).redirectOutput(output.toFile()).start();
        long peakKb = 0;
        while (!rebuild.waitFor(200, TimeUnit.MILLISECONDS)) {
            peakKb = Math.max(peakKb, rssKb(String.valueOf(rebuild.pid()), "VmHWM"));
        }
        if (rebuild.exitValue() != 0) {
            throw new IllegalStateException("parley rebuild failed:\n" + Files.readString(output));
        }
        double rate = developments / seconds(start);
        print.printf("    %,d developments in %.1f s%n", developments, seconds(start));
        report.figure("rebuild", rate, "developments/s", rawConsumer, "raw consumer", 0.3);
        report.target("rebuild, absolute", rate, "developments/s", 100_000);
        report.memory("parley rebuild, peak (RSS)", peakKb);
    }

    static final String COPY_OF_THE_LOG = "Kafka Streams, copy of the whole log";
    static final String COPY_AS_SENT = "Kafka Streams, copy as sent";
    static final String COPY_THROUGH_STORE = "Kafka Streams, copy to two topics through a logged store, as sent";

    /**
     * The most a topology reaches here: Kafka Streams with the status topology's settings copying the log of record as
     * bytes ({@link StreamsCopyBaseline}). First over the whole log from its start, like the rebuild (in this warm JVM, where the
     * rebuild starts a cold one); then on developments as they are sent, measured like the pipelines.
     */
    private void kafkaStreamsAlone(Admin admin, String bootstrap, long brokerPid, Path dir, double rawProducer, double rawConsumer)
            throws Exception {
        long developments = endOffsets(admin).values().stream().mapToLong(Long::longValue).sum();
        long start = System.nanoTime();
        try (var copy = StreamsCopyBaseline.start(bootstrap, dir.resolve("pass-through"), "bench-pass-through", false)) {
            awaitCommitted(admin, "bench-pass-through", Duration.ofMinutes(30), (int) developments);
            double fromStart = developments / seconds(start);
            print.printf("    %,d developments copied in %.1f s%n", developments, seconds(start));
            report.reference(COPY_OF_THE_LOG, fromStart, "developments/s", rawConsumer, "raw consumer");
            report.compareWithCeiling("rebuild", COPY_OF_THE_LOG);

            double asSent = throughPipeline(admin, bootstrap, brokerPid, "bench-pass-through", new Workload(7, 16, "bench-copy-"),
                    wideDevelopments);
            report.reference(COPY_AS_SENT, asSent, "developments/s", rawProducer, "raw producer");
            report.compareWithCeiling("pipeline, 16 negotiations", COPY_AS_SENT);
            report.compareWithCeiling("pipeline, 100,000 negotiations", COPY_AS_SENT);
        }
        // The tighter ceiling for a fold: its state in a logged store, and two outputs (changes and views).
        try (var copy = StreamsCopyBaseline.start(bootstrap, dir.resolve("pass-through-store"), "bench-pass-through-store", true)) {
            awaitCommitted(admin, "bench-pass-through-store", Duration.ofMinutes(30), (int) developments);
            double throughStore = throughPipeline(admin, bootstrap, brokerPid, "bench-pass-through-store",
                    new Workload(8, 16, "bench-copy-store-"), wideDevelopments);
            report.reference(COPY_THROUGH_STORE, throughStore, "developments/s", rawProducer, "raw producer");
            report.compareWithCeiling("pipeline, 16 negotiations", COPY_THROUGH_STORE);
            report.compareWithCeiling("pipeline, 100,000 negotiations", COPY_THROUGH_STORE);
        }
    }

    /** Peak ({@code VmHWM}) or current ({@code VmRSS}) resident memory of a process, in kB; 0 once it has exited. */
    static long rssKb(String pid, String field) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc", pid, "status"))) {
                if (line.startsWith(field + ":")) {
                    return Long.parseLong(line.replaceAll("\\D", ""));
                }
            }
        } catch (Exception gone) {
            // exited
        }
        return 0;
    }

    /**
     * Where the machine's CPU went, from /proc: this process, the broker's, and all cores' idle time; for what a
     * pipeline run was short of (Linux only: elsewhere every figure reads 0).
     */
    record MachineCpu(long nanos, double parley, double broker, double idle, double total, Map<String, Double> parleyThreads) {

        /** The machine now; {@code applicationId} names the stream threads among this process's threads. */
        static MachineCpu now(long brokerPid, String applicationId) {
            long[] cores = allCores();
            return new MachineCpu(System.nanoTime(), processSeconds("self"), processSeconds(String.valueOf(brokerPid)),
                    (cores[3] + cores[4]) / 100.0, java.util.Arrays.stream(cores).sum() / 100.0, threadSeconds("self", applicationId));
        }

        /**
         * This process's busiest kinds of thread since {@code before}, as shares of all cores' time ("GC Thread 12%"): what
         * "the rest of Parley" is. Named as Linux knows them, the first 15 characters without numbers; threads that ended
         * meanwhile are not counted.
         */
        String busiestThreads(MachineCpu before, int count) {
            double wall = (nanos - before.nanos) / 1e9 * Runtime.getRuntime().availableProcessors();
            Map<String, Double> used = new java.util.HashMap<>();
            parleyThreads.forEach((kind, seconds) -> used.put(kind, seconds - before.parleyThreads.getOrDefault(kind, 0.0)));
            return used.entrySet().stream().sorted(Map.Entry.<String, Double>comparingByValue().reversed()).limit(count)
                    .map(kind -> String.format(Locale.ROOT, "%s %.0f%%", kind.getKey(), 100 * kind.getValue() / wall))
                    .collect(java.util.stream.Collectors.joining(", "));
        }

        /** CPU seconds of a process's threads, summed by {@link #threadKind}; empty elsewhere than Linux. */
        static Map<String, Double> threadSeconds(String pid, String applicationId) {
            Map<String, Double> byKind = new java.util.HashMap<>();
            try (var threads = Files.list(Path.of("/proc", pid, "task"))) {
                for (Path thread : threads.toList()) {
                    String kind = threadKind(Files.readString(thread.resolve("comm")).strip(), applicationId);
                    byKind.merge(kind, processSeconds(pid + "/task/" + thread.getFileName()), Double::sum);
                }
            } catch (Exception notLinux) {
                // a thread that ended meanwhile, or no /proc: what was read so far
            }
            return byKind;
        }

        /**
         * A thread's kind from its Linux name (the first 15 characters of its Java name): "stream thread" for Kafka
         * Streams' threads of {@code applicationId} ("bench-16-3f2a…-StreamThread-1"), else the name without digits and
         * '#' ("GC Thread#1" and "GC Thread#0" are "GC Thread").
         */
        static String threadKind(String linuxName, String applicationId) {
            if (linuxName.startsWith(applicationId + "-") || (applicationId + "-").startsWith(linuxName)) {
                return "stream thread";
            }
            return linuxName.replaceAll("[0-9#]+", "").strip();
        }

        /** Shares of all cores' time since {@code before}, {@code streamThread} seconds of it the stream thread's. */
        String since(MachineCpu before, double streamThread) {
            double wall = (nanos - before.nanos) / 1e9 * Runtime.getRuntime().availableProcessors();
            return String.format("stream thread %.0f%%, the rest of Parley %.0f%%, broker %.0f%%, idle %.0f%% (of %d cores x %.1f s)",
                    100 * streamThread / wall, 100 * (parley - before.parley - streamThread) / wall, 100 * (broker - before.broker) / wall,
                    100 * (idle - before.idle) / Math.max(1e-9, total - before.total), Runtime.getRuntime().availableProcessors(),
                    (nanos - before.nanos) / 1e9);
        }

        /** CPU seconds a JVM's JIT compiler threads have used ("C1 CompilerThre", "C2 CompilerThre"), from /proc; 0 elsewhere. */
        static double jitSeconds(long pid) {
            double seconds = 0;
            try (var threads = Files.list(Path.of("/proc", String.valueOf(pid), "task"))) {
                for (Path thread : threads.toList()) {
                    if (Files.readString(thread.resolve("comm")).contains("CompilerThre")) {
                        seconds += processSeconds(pid + "/task/" + thread.getFileName());
                    }
                }
            } catch (Exception notLinux) {
                // a thread that ended meanwhile, or no /proc: what was read so far
            }
            return seconds;
        }

        /** utime + stime of a process (or "pid/task/tid", a thread), in seconds (clock ticks of 1/100 s, Linux's USER_HZ). */
        private static double processSeconds(String pid) {
            try {
                String stat = Files.readString(Path.of("/proc", pid, "stat"));
                String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
                return (Long.parseLong(fields[11]) + Long.parseLong(fields[12])) / 100.0;
            } catch (Exception notLinux) {
                return 0;
            }
        }

        /** /proc/stat's all-cores ticks: user, nice, system, idle, iowait, irq, softirq, steal (zeros elsewhere than Linux). */
        private static long[] allCores() {
            long[] ticks = new long[8];
            try {
                String[] fields = Files.readAllLines(Path.of("/proc/stat")).get(0).trim().split("\\s+");
                for (int i = 0; i < ticks.length; i++) {
                    ticks[i] = Long.parseLong(fields[i + 1]);
                }
            } catch (Exception notLinux) {
                java.util.Arrays.fill(ticks, 0);
            }
            return ticks;
        }
    }

    private static double seconds(long startNanos) {
        return (System.nanoTime() - startNanos) / 1e9;
    }
}
