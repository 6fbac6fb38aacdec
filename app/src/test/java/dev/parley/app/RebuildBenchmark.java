package dev.parley.app;

import dev.parley.localkafka.LocalKafka;
import dev.parley.producer.DevelopmentPublisher;
import dev.parley.producer.ProducerSettings;
import dev.parley.schemas.Development;
import dev.parley.schemas.Topics;
import dev.parley.streams.RandomDevelopments;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.admin.Admin;

/**
 * How fast {@code parley rebuild} folds a long log, as a ratio to Kafka's own {@code ConsumerPerformance} reading the
 * same topic in the same run: generated developments over 16 negotiations (a share reported late, one in twenty a
 * correction) are published to a fresh broker, read once by ConsumerPerformance, then folded by {@code parley rebuild}
 * in a JVM of its own, whose peak memory is read from {@code /proc}.
 *
 * <pre>./mvnw -q install -DskipTests && ./mvnw -q -pl app exec:exec@rebuild-benchmark [-Ddevelopments=1000000]</pre>
 */
public final class RebuildBenchmark {

    private static final int NEGOTIATIONS = 16;

    public static void main(String[] args) throws Exception {
        int developments = args.length > 0 && args[0].matches("\\d+") ? Integer.parseInt(args[0]) : 100_000;
        Path dir = Files.createTempDirectory("parley-rebuild-benchmark-");
        try (var kafka = LocalKafka.in(dir.resolve("kafka"))) {
            kafka.start();
            try (Admin admin = Admin.create(Map.of("bootstrap.servers", kafka.bootstrapServers()))) {
                TopicSetup.ensure(admin, 3, (short) 1, 1);
            }
            System.out.printf("Publishing %,d developments over %d negotiations...%n", developments, NEGOTIATIONS);
            long published = publish(kafka.bootstrapServers(), developments);
            System.out.printf("  %,d published%n", published);

            double raw = KafkaPerformance.consumer(kafka.bootstrapServers(), Topics.DEVELOPMENTS, published,
                    dir.resolve("consumer-performance.out")).recordsPerSecond();
            System.out.printf("ConsumerPerformance on %s: %,.0f records/s%n", Topics.DEVELOPMENTS, raw);

            System.out.println("parley rebuild...");
            long start = System.nanoTime();
            Process rebuild = new ProcessBuilder(KafkaPerformance.java(), "-cp", System.getProperty("java.class.path"), Parley.class.getName(),
                    "rebuild", "--bootstrap-servers", kafka.bootstrapServers(), "--home", dir.resolve("home").toString())
                    .redirectErrorStream(true).redirectOutput(dir.resolve("rebuild.out").toFile()).start();
            long peakKb = 0;
            while (!rebuild.waitFor(200, java.util.concurrent.TimeUnit.MILLISECONDS)) {
                peakKb = Math.max(peakKb, BenchCommand.rssKb(String.valueOf(rebuild.pid()), "VmHWM"));
            }
            double seconds = (System.nanoTime() - start) / 1e9;
            if (rebuild.exitValue() != 0) {
                throw new IllegalStateException("parley rebuild failed:\n" + Files.readString(dir.resolve("rebuild.out")));
            }
            double rate = published / seconds;
            System.out.printf("%nparley rebuild of %,d developments: %.1f s, %,.0f developments/s = %.3f x ConsumerPerformance%n",
                    published, seconds, rate, rate / raw);
            System.out.printf("peak RSS: parley rebuild %,d MB, broker %,d MB%n", peakKb / 1024, BenchCommand.rssKb(String.valueOf(kafka.pid()), "VmHWM") / 1024);
        } finally {
            RebuildCommand.deleteTree(dir); // every view the fold wrote to parley.status: gigabytes for a long log
        }
    }

    private static long publish(String bootstrapServers, int developments) throws InterruptedException {
        List<RandomDevelopments> generators = new ArrayList<>();
        for (int i = 0; i < NEGOTIATIONS; i++) {
            generators.add(new RandomDevelopments(i, 30, "generated-" + i));
        }
        long published = 0;
        try (var publisher = DevelopmentPublisher.create(ProducerSettings.from(Map.of("KAFKA_LINGER_MS", "20"), bootstrapServers))) {
            List<Development> batch = new ArrayList<>();
            Development[] last = new Development[NEGOTIATIONS];
            for (int i = 0; i < developments; i++) {
                int negotiation = i % NEGOTIATIONS;
                RandomDevelopments generator = generators.get(negotiation);
                // One in twenty corrects the negotiation's previous development, reported later.
                Development development = last[negotiation] != null && generator.chance(20)
                        ? generator.correction(last[negotiation]) : generator.next();
                last[negotiation] = development;
                batch.add(development);
                if (batch.size() == 10_000) {
                    publisher.publishAll(batch);
                    published += batch.size();
                    batch.clear();
                    System.out.printf("\r  %,d", published);
                }
            }
            publisher.publishAll(batch);
            published += batch.size();
            System.out.println();
        }
        return published;
    }
}
