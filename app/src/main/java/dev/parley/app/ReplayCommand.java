package dev.parley.app;

import dev.parley.consumer.Sink;
import dev.parley.schemas.AvroSerde;
import dev.parley.schemas.StatusChange;
import dev.parley.schemas.Topics;
import java.io.PrintWriter;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.concurrent.Callable;
import org.apache.kafka.common.KafkaException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code parley replay}: re-delivers the history of status changes to a sink. */
@Command(name = "replay", mixinStandardHelpOptions = true,
        description = {"Re-delivers the history of status changes in a date range to a sink.", "",
                "Reads parley.status-changes (kept forever) and hands every change known in the range (by when the "
                        + "development that caused it was reported, UTC days, both ends included) to the sink, marked "
                        + "as replayed. Sinks are idempotent on negotiation and version, so a replay over data a sink "
                        + "already has changes nothing. Shows progress, ends with a summary."},
        footer = {"", "Examples:", "  ./parley replay --from 2025-12-01 --sink file:replay.jsonl",
                "  ./parley replay --from 2025-12-01 --to 2025-12-07 --negotiation ukraine-peace-2025 --sink terminal"})
final class ReplayCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Mixin
    KafkaOptions kafka;

    @Option(names = "--from", required = true, paramLabel = "YYYY-MM-DD", description = "First day (UTC) of the range.")
    LocalDate from;

    @Option(names = "--to", paramLabel = "YYYY-MM-DD", description = "Last day (UTC) of the range (default: no end).")
    LocalDate to;

    @Option(names = "--sink", required = true, paramLabel = "SINK", description = "Where to: " + Sinks.FORMS + ".")
    String sinkSpec;

    @Option(names = "--negotiation", paramLabel = "ID", description = "Only this negotiation's changes.")
    String negotiation;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        if (to != null && to.isBefore(from)) {
            err.println("--to: " + to + " is before --from " + from + " (expected a range that ends after it starts)");
            return 1;
        }
        AppSettings settings = kafka.commandSettings();
        Instant start = from.atStartOfDay(ZoneOffset.UTC).toInstant();
        Instant end = to == null ? Instant.MAX : to.plusDays(1).atStartOfDay(ZoneOffset.UTC).toInstant();
        long[] counts = new long[3]; // delivered, already there, outside the range
        var progress = new ProgressLine(err);
        try (Sink sink = Sinks.parse(sinkSpec, settings)) {
            KafkaReachability.require(settings.kafkaClient());
            TopicSnapshot.forEach(settings.kafkaClient(), Topics.STATUS_CHANGES, AvroSerde.of(StatusChange.class), Duration.ofSeconds(30),
                    (record, seen) -> {
                        StatusChange change = record.value();
                        boolean inRange = change != null && !change.getKnownAt().isBefore(start) && change.getKnownAt().isBefore(end)
                                && (negotiation == null || negotiation.equals(change.getNegotiationId()));
                        if (!inRange) {
                            counts[2]++;
                        } else {
                            change.setReplayed(true);
                            try {
                                counts[sink.accept(change) ? 0 : 1]++;
                            } catch (Exception e) {
                                throw new IllegalStateException("sink " + Sinks.shown(sinkSpec) + " failed on " + change.getNegotiationId()
                                        + " v" + change.getToVersion() + ": " + e.getMessage(), e);
                            }
                        }
                        progress.update(seen.done(), seen.total());
                    });
        } catch (KafkaException e) {
            return KafkaOptions.unreachable(err, "read " + Topics.STATUS_CHANGES + " from", settings.kafka(), e);
        }
        progress.done();
        out.println("Replayed " + counts[0] + " change(s) into " + Sinks.shown(sinkSpec) + "; " + counts[1] + " the sink already had; "
                + counts[2] + " outside the range.");
        return 0;
    }
}
