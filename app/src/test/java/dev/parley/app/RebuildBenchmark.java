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
import java.util.regex.Matcher;
import java.util.regex.Pattern;
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

            double raw = consumerPerformance(kafka.bootstrapServers(), published, dir);
            System.out.printf("ConsumerPerformance on %s: %,.0f records/s%n", Topics.DEVELOPMENTS, raw);

            System.out.println("parley rebuild...");
            long start = System.nanoTime();
            Process rebuild = new ProcessBuilder(java(), "-cp", System.getProperty("java.class.path"), Parley.class.getName(),
                    "rebuild", "--bootstrap-servers", kafka.bootstrapServers(), "--home", dir.resolve("home").toString())
                    .redirectErrorStream(true).redirectOutput(dir.resolve("rebuild.out").toFile()).start();
            long peakKb = 0;
            while (!rebuild.waitFor(200, java.util.concurrent.TimeUnit.MILLISECONDS)) {
                peakKb = Math.max(peakKb, peakRssKb(rebuild.pid()));
            }
            double seconds = (System.nanoTime() - start) / 1e9;
            if (rebuild.exitValue() != 0) {
                throw new IllegalStateException("parley rebuild failed:\n" + Files.readString(dir.resolve("rebuild.out")));
            }
            double rate = published / seconds;
            System.out.printf("%nparley rebuild of %,d developments: %.1f s, %,.0f developments/s = %.3f x ConsumerPerformance%n",
                    published, seconds, rate, rate / raw);
            System.out.printf("peak RSS: parley rebuild %,d MB, broker %,d MB%n", peakKb / 1024, peakRssKb(kafka.pid()) / 1024);
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

    /** Kafka's own consumer benchmark on the developments topic; returns its records per second. */
    private static double consumerPerformance(String bootstrapServers, long records, Path dir) throws Exception {
        Process tool = new ProcessBuilder(java(), "-cp", System.getProperty("java.class.path"), "org.apache.kafka.tools.ConsumerPerformance",
                "--bootstrap-server", bootstrapServers, "--topic", Topics.DEVELOPMENTS, "--num-records", String.valueOf(records),
                "--timeout", "60000").redirectErrorStream(true).redirectOutput(dir.resolve("consumer-performance.out").toFile()).start();
        tool.waitFor();
        String output = Files.readString(dir.resolve("consumer-performance.out"));
        // start.time, end.time, data.consumed.in.MB, MB.sec, data.consumed.in.nMsg, nMsg.sec, ...
        Matcher line = Pattern.compile("(?m)^[\\d-]+ [\\d:.]+, [\\d-]+ [\\d:.]+, [\\d.]+, [\\d.]+, \\d+, ([\\d.]+),").matcher(output);
        if (!line.find()) {
            throw new IllegalStateException("ConsumerPerformance printed no result:\n" + output);
        }
        return Double.parseDouble(line.group(1));
    }

    private static long peakRssKb(long pid) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
                if (line.startsWith("VmHWM:")) {
                    return Long.parseLong(line.replaceAll("\\D", ""));
                }
            }
        } catch (Exception gone) {
            // the process has exited
        }
        return 0;
    }

    private static String java() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }
}
