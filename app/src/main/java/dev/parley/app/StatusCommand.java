package dev.parley.app;

import dev.parley.schemas.json.AvroJson;
import java.io.PrintWriter;
import dev.parley.streams.StatusFold;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.concurrent.Callable;
import org.apache.kafka.common.KafkaException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code parley status}: prints a negotiation's current view. */
@Command(name = "status", mixinStandardHelpOptions = true,
        description = {"Prints the current status view of a negotiation.", "",
                "Reads it from parley.status, so it needs a running Kafka: the one ./parley up started, "
                        + "or --bootstrap-servers."},
        footer = {"", "Examples:", "  ./parley status ukraine-peace-2025", "  ./parley status ukraine-peace-2025 --json",
                "  ./parley status ukraine-peace-2025 --as-of 2025-12-03 --known-at 2025-12-04T08:00:00Z"})
final class StatusCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Mixin
    KafkaOptions kafka;

    @Parameters(paramLabel = "NEGOTIATION_ID", description = "The negotiation, e.g. ukraine-peace-2025.")
    String negotiationId;

    @Option(names = "--json", description = "Print the full view as JSON, and nothing else on stdout.")
    boolean json;

    @Option(names = "--as-of", paramLabel = "YYYY-MM-DD", description = "The view as of that day: what had happened by then, as known now.")
    LocalDate asOf;

    @Option(names = "--known-at", paramLabel = "INSTANT", description = "Only what had been reported by then, e.g. 2025-12-04T08:00:00Z.")
    Instant knownAt;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        AppSettings settings = kafka.commandSettings();
        try {
            KafkaReachability.require(settings.kafkaClient());
            if (asOf != null || knownAt != null) {
                return printAsOf(settings, out, err);
            }
            var statuses = TopicSnapshot.statuses(settings.kafkaClient(), Duration.ofSeconds(15));
            var status = statuses.get(negotiationId);
            if (status == null) {
                err.println("No negotiation \"" + negotiationId + "\" in parley.status. Known: "
                        + (statuses.isEmpty() ? "none yet" : String.join(", ", statuses.keySet())));
                return 1;
            }
            out.print(json ? AvroJson.toJson(status).toPrettyString() + System.lineSeparator() : StatusPrinter.render(status));
            return 0;
        } catch (KafkaException e) {
            return KafkaOptions.unreachable(err, "read the view from", settings.kafka(), e);
        }
    }

    /** The view within time bounds, folded from the log of record: exact for late reports and corrections. */
    private int printAsOf(AppSettings settings, PrintWriter out, PrintWriter err) {
        var log = TopicSnapshot.developments(settings.kafkaClient(), negotiationId, Duration.ofSeconds(30));
        if (log.readable().isEmpty()) {
            err.println("No developments for negotiation \"" + negotiationId + "\" in parley.developments.");
            return 1;
        }
        var status = StatusFold.asOf(negotiationId, log.readable(), asOf, knownAt);
        // With --json, stdout is the JSON alone, for jq and scripts; the header still reaches a person, on stderr.
        (json ? err : out).println("As of " + (asOf == null ? "now" : asOf) + ", as known " + (knownAt == null ? "now" : "at " + knownAt) + ":");
        out.print(json ? AvroJson.toJson(status).toPrettyString() + System.lineSeparator() : StatusPrinter.render(status));
        return 0;
    }
}
