package dev.parley.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.List;
import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.Test;

class BenchReportTest {

    @Test
    void shouldGiveEachParleyFigureAsARatioToTheRawOneAndSayWhichTargetsAreMet() {
        var report = new BenchReport();
        report.raw("raw producer (ProducerPerformance)", 40_000, "records/s");
        report.figure("publisher", 36_000, "developments/s", 40_000, "raw producer", 0.85);
        report.figure("pipeline, 16 negotiations", 4_000, "developments/s", 40_000, "raw producer", 0.5);
        report.freshness("webhook", latencies(100, 200, 250));
        report.memory("bench process, after freshness (RSS)", 2_000 * 1024); // not what the target is about
        report.memory(BenchReport.UP_STEADY, 400 * 1024);
        report.memory(BenchReport.BROKER_STEADY, 500 * 1024);
        report.validity(40_000, 42_000, 100_000, 95_000);

        // then each ratio is to the faster of the two raw producer passes (42,000)
        String table = report.table();
        assertThat(table).containsPattern("publisher +36,000 developments/s +0\\.857 x raw producer +>= 0\\.85 x +met")
                .containsPattern("pipeline, 16 negotiations +4,000 developments/s +0\\.095 x raw producer +>= 0\\.50 x +MISSED")
                .containsPattern("webhook +3 +200\\.\\d +250\\.\\d +250\\.\\d +250\\.\\d met")
                .containsPattern("steady state, broker and parley up +900 +target <= 1,500: met")
                .contains("differ by 5.0% (producer) and 5.0% (consumer): VALID");
        assertThat(report.valid()).isTrue();
        assertThat(report.json().get("figures").get(2).get("met").asBoolean()).isFalse();
        assertThat(report.freshnessChart()).startsWith("<svg").contains("webhook (p99 250 ms)").endsWith("</svg>\n");
    }

    @Test
    void shouldGiveKafkaStreamsAloneAsARatioWithoutATargetAndParleyAsARatioToIt() {
        var report = new BenchReport();
        report.figure("pipeline, 16 negotiations", 4_000, "developments/s", 40_000, "raw producer", 0.5);
        report.reference("Kafka Streams, copy as sent", 16_000, "developments/s", 40_000, "raw producer");
        report.compareWithCeiling("pipeline, 16 negotiations", "Kafka Streams, copy as sent");
        report.compareWithCeiling("rebuild", "Kafka Streams, copy of the whole log"); // neither measured: left out
        report.validity(40_000, 40_000, 100_000, 100_000);

        String table = report.table();
        assertThat(table).containsPattern("Kafka Streams, copy as sent +16,000 developments/s +0\\.400 x raw producer *\n")
                .contains("Against Kafka Streams alone, exactly-once, folding nothing:\n"
                        + "  pipeline, 16 negotiations: 0.250 x Kafka Streams, copy as sent\n\n")
                .doesNotContain("rebuild");
        assertThat(report.json().get("figures").get(1).has("met")).isFalse();
        assertThat(report.json().get("against_kafka_streams_alone").get(0).asText())
                .isEqualTo("pipeline, 16 negotiations: 0.250 x Kafka Streams, copy as sent");
    }

    @Test
    void shouldMarkTheRunInvalidWhenTheBaselinesMovedMoreThanTenPercent() {
        var report = new BenchReport();
        report.validity(40_000, 30_000, 100_000, 101_000);

        assertThat(report.valid()).isFalse();
        assertThat(report.table()).contains("differ by 25.0% (producer) and 1.0% (consumer): INVALID");
    }

    @Test
    void shouldReadTheFinalSummariesOfKafkasOwnBenchmarks() {
        String producer = """
                99913 records sent, 19982.6 records/sec (3.17 MB/sec), 1229.3 ms avg latency, 1835.0 ms max latency.
                200000 records sent, 36140.223 records/sec (5.74 MB/sec), 613.45 ms avg latency, 1456.00 ms max latency, 580 ms 50th.
                """;
        String consumer = """
                start.time, end.time, data.consumed.in.MB, MB.sec, data.consumed.in.nMsg, nMsg.sec, rebalance.time.ms, fetch.time.ms
                2026-11-27 09:41:16:123, 2026-11-27 09:41:18:456, 31.8500, 13.6510, 200000, 85726.5, 3051, 718
                """;

        assertThat(KafkaPerformance.producerRate(producer, Path.of("p.out")).recordsPerSecond()).isEqualTo(36140.223);
        assertThat(KafkaPerformance.consumerRate(consumer, Path.of("c.out")).recordsPerSecond()).isEqualTo(85726.5);
    }

    @Test
    void shouldReadTheProducersRateAfterItsWarmUpWhenGivenOne() {
        // a running figure, then the last two lines as ProducerPerformance 4.4 printed them with --warmup-records 300000 here
        String producer = """
                239145 records sent, 47829.0 records/sec (7.61 MB/sec), 1512.3 ms avg latency, 2736.0 ms max latency.
                500000 records sent, 53757.660467 records/sec (8.56 MB/sec), 1670.46 ms avg latency, 2736.00 ms max latency, 1961 ms 50th, 2693 ms 95th, 2715 ms 99th, 2729 ms 99.9th.
                200000 steady state records sent, 43535.045712 records/sec (6.93 MB/sec), 2226.85 ms avg latency, 2736.00 ms max latency, 2257 ms 50th, 2708 ms 95th, 2720 ms 99th, 2735 ms 99.9th.
                """;

        assertThat(KafkaPerformance.steadyProducerRate(producer, Path.of("p.out")).recordsPerSecond()).isEqualTo(43535.045712);
        assertThatThrownBy(() -> KafkaPerformance.steadyProducerRate(producer.lines().limit(2).collect(java.util.stream.Collectors.joining("\n")),
                Path.of("p.out"))).hasMessageContaining("No summary").hasMessageContaining("p.out");
    }

    @Test
    void shouldNotJudgeMemoryReadWhileParleyUpWasNotAtASteadyState() {
        var report = new BenchReport();
        report.memory(BenchReport.UP_STEADY, 895 * 1024);
        report.memory(BenchReport.BROKER_STEADY, 499 * 1024);
        report.memoryNotSteady("it did not keep up after 300 s");

        assertThat(report.table()).containsPattern(
                "steady state, broker and parley up +1,394 +target <= 1,500: not judged, not a steady state \\(it did not keep up after 300 s\\)");
        assertThat(report.json().get("memory_mb").get("met").asBoolean()).isFalse();
        assertThat(report.json().get("memory_mb").get("not_steady").asText()).isEqualTo("it did not keep up after 300 s");
    }

    @Test
    void shouldTakeMemoryAsSteadyOnlyOnceItsLastThreeSamplesAreWithinFivePercent() {
        // as parley up's RSS went (MB, every 10 s): growing while the heap grew, then holding
        assertThat(BenchCommand.levelledOff(List.of(442L, 533L))).isFalse();
        assertThat(BenchCommand.levelledOff(List.of(442L, 533L, 631L, 736L))).isFalse();
        assertThat(BenchCommand.levelledOff(List.of(1_169L, 1_340L, 1_402L))).isFalse();
        assertThat(BenchCommand.levelledOff(List.of(1_169L, 1_340L, 1_402L, 1_407L, 1_417L))).isTrue();
        assertThat(BenchCommand.levelledOff(List.of(1_375L, 1_437L, 1_443L))).isTrue(); // 4.9% apart
    }

    private static Histogram latencies(long... millis) {
        Histogram histogram = new Histogram(3);
        for (long ms : millis) {
            histogram.recordValue(ms * 1000);
        }
        return histogram;
    }
}
