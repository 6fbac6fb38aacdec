package dev.parley.app;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.MatchResult;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Kafka's own benchmarks, {@code ProducerPerformance} and {@code ConsumerPerformance} from the kafka-tools jar, run as
 * Kafka's scripts run them: each in a JVM of its own, its summary read from what it prints.
 */
final class KafkaPerformance {

    /** One tool's result; {@code output} is the file holding all it printed. */
    record Rate(double recordsPerSecond, double megabytesPerSecond, Path output) {
    }

    private static final Pattern PRODUCER_SUMMARY = Pattern.compile("(\\d+) records sent, ([\\d.]+) records/sec \\(([\\d.]+) MB/sec\\)");
    private static final Pattern STEADY_PRODUCER_SUMMARY =
            Pattern.compile("(\\d+) steady state records sent, ([\\d.]+) records/sec \\(([\\d.]+) MB/sec\\)");
    // start.time, end.time, data.consumed.in.MB, MB.sec, data.consumed.in.nMsg, nMsg.sec, ...
    private static final Pattern CONSUMER_SUMMARY = Pattern.compile(
            "(?m)^[\\d-]+ [\\d:.]+, [\\d-]+ [\\d:.]+, [\\d.]+, ([\\d.]+), \\d+, ([\\d.]+),");

    private KafkaPerformance() {
    }

    /**
     * ProducerPerformance: {@code warmUpRecords} then {@code records} of {@code recordSize} bytes to {@code topic}, as fast
     * as it can, with these producer settings; the rate of the {@code records} alone (its "steady state", KIP-1052).
     * In a JVM of its own, the tool starts cold: on a warm broker here, 200,000 records measured 26,000 to 49,000
     * records/s from the first, 1,000,000 measured 67,000 to 92,000.
     */
    static Rate producer(String bootstrapServers, String topic, long warmUpRecords, long records, int recordSize,
                         Map<String, String> producerSettings, Path output) throws IOException, InterruptedException {
        List<String> args = new ArrayList<>(List.of("--topic", topic, "--num-records", String.valueOf(warmUpRecords + records),
                "--record-size", String.valueOf(recordSize), "--throughput", "-1", "--producer-props",
                "bootstrap.servers=" + bootstrapServers));
        producerSettings.forEach((name, value) -> args.add(name + "=" + value));
        if (warmUpRecords > 0) {
            args.addAll(List.of("--warmup-records", String.valueOf(warmUpRecords)));
        }
        String printed = run("org.apache.kafka.tools.ProducerPerformance", args, output);
        return warmUpRecords > 0 ? steadyProducerRate(printed, output) : producerRate(printed, output);
    }

    /** ConsumerPerformance: reads {@code records} of {@code topic} from its start, in a group of its own. */
    static Rate consumer(String bootstrapServers, String topic, long records, Path output) throws IOException, InterruptedException {
        List<String> args = List.of("--bootstrap-server", bootstrapServers, "--topic", topic, "--num-records", String.valueOf(records),
                "--timeout", "60000", "--group", "parley-bench-" + System.nanoTime());
        return consumerRate(run("org.apache.kafka.tools.ConsumerPerformance", args, output), output);
    }

    /** The summary of the records after the warm-up, which ProducerPerformance prints last when given one. */
    static Rate steadyProducerRate(String printed, Path output) {
        MatchResult summary = last(STEADY_PRODUCER_SUMMARY, printed, output);
        return new Rate(Double.parseDouble(summary.group(2)), Double.parseDouble(summary.group(3)), output);
    }

    /** The final summary ProducerPerformance printed (it prints running figures before it). */
    static Rate producerRate(String printed, Path output) {
        MatchResult summary = last(PRODUCER_SUMMARY, printed, output);
        return new Rate(Double.parseDouble(summary.group(2)), Double.parseDouble(summary.group(3)), output);
    }

    static Rate consumerRate(String printed, Path output) {
        MatchResult summary = last(CONSUMER_SUMMARY, printed, output);
        return new Rate(Double.parseDouble(summary.group(2)), Double.parseDouble(summary.group(1)), output);
    }

    private static String run(String tool, List<String> args, Path output) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(java(), "-Xmx512m", "-cp", System.getProperty("java.class.path"), tool));
        command.addAll(args);
        Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(output.toFile()).start();
        int exit = process.waitFor();
        String printed = Files.readString(output);
        if (exit != 0) {
            throw new IllegalStateException(tool + " failed (exit " + exit + "); its output is in " + output);
        }
        return printed;
    }

    /** The last summary printed: ProducerPerformance prints running figures before its final one. */
    private static MatchResult last(Pattern pattern, String printed, Path output) {
        MatchResult found = null;
        Matcher matcher = pattern.matcher(printed);
        while (matcher.find()) {
            found = matcher.toMatchResult();
        }
        if (found == null) {
            throw new IllegalStateException("No summary in what the tool printed; see " + output);
        }
        return found;
    }

    static String java() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }
}
