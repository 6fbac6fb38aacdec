package dev.parley.app;

import dev.parley.schemas.Development;
import dev.parley.schemas.EventDates;
import dev.parley.schemas.Source;
import dev.parley.streams.StatusFold;
import java.io.PrintWriter;
import java.time.Duration;
import java.time.LocalDate;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import org.apache.kafka.common.KafkaException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code parley timeline}: a negotiation's developments in the order they happened, with their sources. */
@Command(name = "timeline", mixinStandardHelpOptions = true,
        description = {"Lists a negotiation's developments in event-time order, with their sources.", "",
                "Reads parley.developments (it needs a running Kafka). Corrections replace what they correct and "
                        + "retractions remove it, as in the status view. Dates are shown as precisely as they are known."},
        footer = {"", "Examples:", "  ./parley timeline ukraine-peace-2025",
                "  ./parley timeline ukraine-peace-2025 --from 2025-12-01 --to 2025-12-31"})
final class TimelineCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Mixin
    KafkaOptions kafka;

    @Parameters(paramLabel = "NEGOTIATION_ID", description = "The negotiation, e.g. ukraine-peace-2025.")
    String negotiationId;

    @Option(names = "--from", paramLabel = "YYYY-MM-DD", description = "Only developments dated on or after this day.")
    LocalDate from;

    @Option(names = "--to", paramLabel = "YYYY-MM-DD", description = "Only developments dated on or before this day.")
    LocalDate to;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        AppSettings settings = kafka.commandSettings();
        try {
            KafkaReachability.require(settings.kafkaClient());
            var log = TopicSnapshot.developments(settings.kafkaClient(), negotiationId, Duration.ofSeconds(30));
            if (log.unreadable() > 0) {
                err.println(log.unreadable() + " record(s) of \"" + negotiationId + "\" could not be read and are left out; "
                        + "see ./parley dead-letters.");
            }
            List<Development> inForce = StatusFold.inForce(log.readable());
            if (inForce.isEmpty()) {
                err.println("No developments for negotiation \"" + negotiationId + "\" in parley.developments.");
                return 1;
            }
            inForce.stream()
                    .filter(d -> from == null || !d.getOccurredOn().getStart().isBefore(from))
                    .filter(d -> to == null || !d.getOccurredOn().getStart().isAfter(to))
                    .forEach(d -> out.print(render(d)));
            return 0;
        } catch (KafkaException e) {
            return KafkaOptions.unreachable(err, "read parley.developments from", settings.kafka(), e);
        }
    }

    static String render(Development d) {
        var text = new StringBuilder();
        text.append(EventDates.display(d.getOccurredOn())).append("  ").append(d.getType().name().toLowerCase().replace('_', ' '))
                .append(d.getPlace() == null ? "" : ", " + d.getPlace())
                .append(switch (d.getOccurrence()) {
                    case SCHEDULED -> " (scheduled)";
                    case POSTPONED -> " (postponed)";
                    case CANCELLED -> " (cancelled)";
                    default -> "";
                })
                .append("  [").append(d.getDevelopmentId()).append(']').append(System.lineSeparator());
        text.append(StatusPrinter.wrapped(d.getSummary(), 4));
        String sources = d.getSources().stream().map(TimelineCommand::source).collect(Collectors.joining("; "));
        if (!sources.isEmpty()) {
            text.append(StatusPrinter.wrapped("Source: " + sources, 4));
        }
        return text.append(System.lineSeparator()).toString();
    }

    private static String source(Source s) {
        return s.getOutlet() + (s.getCitation() == null ? "" : ", " + s.getCitation()) + (s.getUrl() == null ? "" : ", " + s.getUrl());
    }
}
