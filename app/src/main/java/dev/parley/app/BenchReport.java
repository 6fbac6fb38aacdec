package dev.parley.app;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.parley.schemas.json.AvroJson;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.HdrHistogram.Histogram;

/** What {@code parley bench} measured: a table for people, JSON for tools, an SVG chart of freshness. */
final class BenchReport {

    /** Freshness targets at 25% load, in milliseconds. */
    static final double P99_TARGET_MS = 300;
    static final double P999_TARGET_MS = 500;
    static final long MEMORY_TARGET_KB = 1_500L * 1024;

    private record Row(String name, double value, String unit, String ratio, String target, Boolean met, Baseline baseline) {
    }

    /** What a Parley figure is a ratio to: a raw figure, its name in the table, and the ratio it must reach. */
    private record Baseline(String name, double value, double targetRatio) {
    }

    /** The memory target is about these two, read at the same moment while parley up takes a steady load. */
    static final String UP_STEADY = "parley up, steady state (RSS)";
    static final String BROKER_STEADY = "broker, steady state (RSS)";
    private static final String STEADY_TOTAL = "steady state, broker and parley up";

    private final List<Row> rows = new ArrayList<>();
    /** Figures and the ceilings they are compared with: a figure may be compared with several. */
    private final List<Map.Entry<String, String>> comparedWithCeiling = new ArrayList<>();
    private final Map<String, Histogram> freshness = new LinkedHashMap<>();
    private final ObjectNode json = AvroJson.MAPPER.createObjectNode();
    private final Map<String, Long> memoryKb = new LinkedHashMap<>();
    private String memoryNotSteady;
    private boolean valid = true;
    private String validity = "";
    private String freshnessLoad = "25% load";

    void machine(int cores, long maxHeapBytes) {
        json.putObject("machine").put("cores", cores).put("max_heap_mb", maxHeapBytes / (1024 * 1024))
                .put("java", System.getProperty("java.version"));
    }

    /** The load freshness was measured at, when it was not 25% of the pipeline's rate. */
    void freshnessLoad(String load) {
        freshnessLoad = load;
        note("freshness_load", load);
    }

    void note(String name, String value) {
        json.with("notes").put(name, value);
    }

    void raw(String name, double value, String unit) {
        rows.add(new Row(name, value, unit, "1.00 (baseline)", "", null, null));
    }

    /** A Parley figure as a ratio to a raw one of the same run, against the target ratio. */
    void figure(String name, double value, String unit, double baseline, String baselineName, double targetRatio) {
        rows.add(figureRow(name, value, unit, new Baseline(baselineName, baseline, targetRatio)));
    }

    /** A figure with no target of its own, as a ratio to a raw one: how far Kafka Streams itself goes, for comparison. */
    void reference(String name, double value, String unit, double baseline, String baselineName) {
        rows.add(figureRow(name, value, unit, new Baseline(baselineName, baseline, Double.NaN)));
    }

    /** Also gives the figure {@code name} as a ratio to the reference figure {@code ceiling}, below the table. */
    void compareWithCeiling(String name, String ceiling) {
        comparedWithCeiling.add(Map.entry(name, ceiling));
    }

    private static Row figureRow(String name, double value, String unit, Baseline baseline) {
        double ratio = value / baseline.value();
        String ratioText = String.format(Locale.ROOT, "%.3f x %s", ratio, baseline.name());
        if (Double.isNaN(baseline.targetRatio())) {
            return new Row(name, value, unit, ratioText, "", null, baseline);
        }
        return new Row(name, value, unit, ratioText, String.format(Locale.ROOT, ">= %.2f x", baseline.targetRatio()),
                ratio >= baseline.targetRatio(), baseline);
    }

    private Optional<Row> row(String name) {
        return rows.stream().filter(row -> row.name().equals(name)).findFirst();
    }

    /** "pipeline, 16 negotiations: 0.081 x Kafka Streams ..." for each figure compared with a ceiling both have. */
    private List<String> ceilingRatios() {
        List<String> lines = new ArrayList<>();
        comparedWithCeiling.forEach(pair -> row(pair.getKey()).ifPresent(figure -> row(pair.getValue()).ifPresent(reference ->
                lines.add(String.format(Locale.ROOT, "%s: %.3f x %s", pair.getKey(), figure.value() / reference.value(), pair.getValue())))));
        return lines;
    }

    /** An absolute figure against a minimum. */
    void target(String name, double value, String unit, double minimum) {
        rows.add(new Row(name, value, unit, "", String.format(Locale.ROOT, ">= %,.0f", minimum), value >= minimum, null));
    }

    void memory(String name, long kb) {
        memoryKb.put(name, kb);
    }

    /** parley up's memory was read without it being at a steady state (why: "it did not keep up"...): not judged. */
    void memoryNotSteady(String why) {
        memoryNotSteady = why;
    }

    void freshness(String channel, Histogram histogram) {
        freshness.put(channel, histogram);
    }

    /** Invalid when the raw baselines before and after differ by more than 10%: the machine changed under the run. */
    void validity(double producerBefore, double producerAfter, double consumerBefore, double consumerAfter) {
        double producerGap = Math.abs(producerAfter - producerBefore) / producerBefore;
        double consumerGap = Math.abs(consumerAfter - consumerBefore) / consumerBefore;
        valid = producerGap <= 0.10 && consumerGap <= 0.10;
        // The faster pass is the baseline: a broker slow at first must not flatter Parley's ratios.
        rebase("raw producer", Math.max(producerBefore, producerAfter));
        rebase("raw consumer", Math.max(consumerBefore, consumerAfter));
        validity = String.format(Locale.ROOT, "raw baselines before and after differ by %.1f%% (producer) and %.1f%% (consumer): %s",
                producerGap * 100, consumerGap * 100, valid ? "VALID (both within 10%)" : "INVALID (more than 10%): run again on a quieter machine");
    }

    private void rebase(String baselineName, double value) {
        rows.replaceAll(row -> row.baseline() == null || !row.baseline().name().equals(baselineName) ? row
                : figureRow(row.name(), row.value(), row.unit(), new Baseline(baselineName, value, row.baseline().targetRatio())));
    }

    boolean valid() {
        return valid;
    }

    String table() {
        StringBuilder out = new StringBuilder();
        out.append(String.format(Locale.ROOT, "%-38s %16s %-15s %-28s %-10s %s%n", "measure", "value", "unit", "ratio", "target", ""));
        for (Row row : rows) {
            out.append(String.format(Locale.ROOT, "%-38s %,16.0f %-15s %-28s %-10s %s%n", row.name(), row.value(), row.unit(), row.ratio(),
                    row.target(), row.met() == null ? "" : row.met() ? "met" : "MISSED"));
        }
        List<String> ceilingRatios = ceilingRatios();
        if (!ceilingRatios.isEmpty()) {
            out.append(String.format(Locale.ROOT, "%nAgainst Kafka Streams alone, exactly-once, folding nothing:%n"));
            ceilingRatios.forEach(line -> out.append("  ").append(line).append('\n'));
        }
        out.append(String.format(Locale.ROOT, "%nFreshness at %s, send to delivery (ms):%n%-22s %8s %8s %8s %8s %8s %s%n",
                freshnessLoad, "delivered by", "count", "p50", "p99", "p99.9", "max", "p99 <= 300, p99.9 <= 500"));
        freshness.forEach((channel, h) -> out.append(String.format(Locale.ROOT, "%-22s %,8d %8.1f %8.1f %8.1f %8.1f %s%n", channel,
                h.getTotalCount(), ms(h, 50), ms(h, 99), ms(h, 99.9), h.getMaxValue() / 1000.0, freshnessMet(h) ? "met" : "MISSED")));
        out.append(String.format(Locale.ROOT, "%nMemory (MB):%n"));
        memoryKb.forEach((name, kb) -> out.append(String.format(Locale.ROOT, "%-38s %,8d%n", name, kb / 1024)));
        long steady = steadyStateKb();
        out.append(String.format(Locale.ROOT, "%-38s %,8d  target <= 1,500: %s%n", STEADY_TOTAL, steady / 1024,
                memoryNotSteady != null ? "not judged, not a steady state (" + memoryNotSteady + ")" : memoryMet() ? "met" : "MISSED"));
        out.append(String.format(Locale.ROOT, "%nCores: %s. %s%n", json.path("machine").path("cores").asText("?"), validity));
        return out.toString();
    }

    ObjectNode json() {
        ObjectNode result = json.deepCopy();
        ArrayNode figures = result.putArray("figures");
        for (Row row : rows) {
            ObjectNode figure = figures.addObject().put("name", row.name()).put("value", row.value()).put("unit", row.unit());
            if (!row.ratio().isEmpty()) {
                figure.put("ratio", row.ratio());
            }
            if (row.met() != null) {
                figure.put("target", row.target()).put("met", row.met());
            }
        }
        ArrayNode againstCeiling = result.putArray("against_kafka_streams_alone");
        ceilingRatios().forEach(againstCeiling::add);
        ObjectNode fresh = result.putObject("freshness_ms");
        freshness.forEach((channel, h) -> fresh.putObject(channel).put("count", h.getTotalCount()).put("p50", ms(h, 50))
                .put("p99", ms(h, 99)).put("p99_9", ms(h, 99.9)).put("max", h.getMaxValue() / 1000.0).put("met", freshnessMet(h)));
        ObjectNode memory = result.putObject("memory_mb");
        memoryKb.forEach((name, kb) -> memory.put(name, kb / 1024));
        memory.put(STEADY_TOTAL, steadyStateKb() / 1024).put("met", memoryMet());
        if (memoryNotSteady != null) {
            memory.put("not_steady", memoryNotSteady);
        }
        result.put("valid", valid).put("validity", validity);
        return result;
    }

    /**
     * The freshness distribution as an SVG chart: latency against percentile, the percentile axis stretched towards
     * the tail (1 / (1 - p), as HdrHistogram plots it), one line per way of delivery, the targets as dashed lines.
     */
    String freshnessChart() {
        int width = 720;
        int height = 420;
        int left = 60;
        int bottom = 360;
        double maxMs = Math.max(P999_TARGET_MS * 1.2, freshness.values().stream().mapToDouble(h -> h.getMaxValue() / 1000.0).max().orElse(1));
        double maxX = Math.log10(10_000); // up to 99.99%
        StringBuilder svg = new StringBuilder();
        svg.append(String.format(Locale.ROOT, "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" font-family=\"sans-serif\" font-size=\"12\">%n", width, height));
        svg.append("<rect width=\"100%\" height=\"100%\" fill=\"white\"/>\n");
        svg.append("<text x=\"60\" y=\"20\" font-size=\"14\">Parley freshness at " + freshnessLoad + ": send to delivery (ms) by percentile</text>\n");
        svg.append(String.format(Locale.ROOT, "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"black\"/>%n", left, bottom, width - 20, bottom));
        svg.append(String.format(Locale.ROOT, "<line x1=\"%d\" y1=\"40\" x2=\"%d\" y2=\"%d\" stroke=\"black\"/>%n", left, left, bottom));
        String[] ticks = {"0%", "90%", "99%", "99.9%", "99.99%"};
        for (int i = 0; i < ticks.length; i++) {
            double x = left + (width - 80) * i / maxX;
            svg.append(String.format(Locale.ROOT, "<text x=\"%.0f\" y=\"%d\" text-anchor=\"middle\">%s</text>%n", x, bottom + 18, ticks[i]));
        }
        for (int i = 0; i <= 4; i++) {
            double ms = maxMs * i / 4;
            double y = bottom - (bottom - 40) * i / 4.0;
            svg.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%.0f\" text-anchor=\"end\">%.0f</text>%n", left - 6, y + 4, ms));
        }
        for (double target : new double[] {P99_TARGET_MS, P999_TARGET_MS}) {
            double y = bottom - (bottom - 40) * target / maxMs;
            svg.append(String.format(Locale.ROOT, "<line x1=\"%d\" y1=\"%.1f\" x2=\"%d\" y2=\"%.1f\" stroke=\"gray\" stroke-dasharray=\"4 4\"/>%n",
                    left, y, width - 20, y));
            svg.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%.1f\" fill=\"gray\" text-anchor=\"end\">%s target %.0f ms</text>%n",
                    width - 22, y - 4, target == P99_TARGET_MS ? "p99" : "p99.9", target));
        }
        String[] colors = {"#1f77b4", "#d62728", "#2ca02c"};
        int line = 0;
        for (Map.Entry<String, Histogram> channel : freshness.entrySet()) {
            StringBuilder points = new StringBuilder();
            for (double nines = 0; nines <= maxX + 1e-9; nines += 0.05) {
                double percentile = 100 * (1 - Math.pow(10, -nines));
                double x = left + (width - 80) * nines / maxX;
                double y = bottom - (bottom - 40) * Math.min(maxMs, ms(channel.getValue(), percentile)) / maxMs;
                points.append(String.format(Locale.ROOT, "%.1f,%.1f ", x, y));
            }
            String color = colors[line % colors.length];
            svg.append(String.format(Locale.ROOT, "<polyline fill=\"none\" stroke=\"%s\" stroke-width=\"2\" points=\"%s\"/>%n", color, points.toString().trim()));
            svg.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\" fill=\"%s\">%s (p99 %.0f ms)</text>%n", left + 20, 60 + 16 * line, color,
                    channel.getKey(), ms(channel.getValue(), 99)));
            line++;
        }
        svg.append("</svg>\n");
        return svg.toString();
    }

    private boolean memoryMet() {
        return memoryNotSteady == null && steadyStateKb() <= MEMORY_TARGET_KB;
    }

    private long steadyStateKb() {
        return memoryKb.getOrDefault(UP_STEADY, 0L) + memoryKb.getOrDefault(BROKER_STEADY, 0L);
    }

    private static boolean freshnessMet(Histogram h) {
        return h.getTotalCount() > 0 && ms(h, 99) <= P99_TARGET_MS && ms(h, 99.9) <= P999_TARGET_MS;
    }

    private static double ms(Histogram h, double percentile) {
        return h.getValueAtPercentile(percentile) / 1000.0;
    }
}
