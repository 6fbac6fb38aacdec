package dev.parley.app;

import dev.parley.schemas.json.AvroJson;
import java.io.PrintWriter;
import java.time.Duration;
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
        footer = {"", "Examples:", "  ./parley status ukraine-peace-2025", "  ./parley status ukraine-peace-2025 --json"})
final class StatusCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Mixin
    KafkaOptions kafka;

    @Parameters(paramLabel = "NEGOTIATION_ID", description = "The negotiation, e.g. ukraine-peace-2025.")
    String negotiationId;

    @Option(names = "--json", description = "Print the full view as JSON.")
    boolean json;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        AppSettings settings = kafka.settings();
        try {
            var statuses = TopicSnapshot.statuses(settings.kafka(), Duration.ofSeconds(15));
            var status = statuses.get(negotiationId);
            if (status == null) {
                err.println("No negotiation \"" + negotiationId + "\" in parley.status. Known: "
                        + (statuses.isEmpty() ? "none yet" : String.join(", ", statuses.keySet())));
                return 1;
            }
            out.print(json ? AvroJson.toJson(status).toPrettyString() + System.lineSeparator() : StatusPrinter.render(status));
            return 0;
        } catch (KafkaException e) {
            err.println("Could not read parley.status from Kafka at " + settings.kafka() + ": " + e.getMessage());
            err.println("Is Parley running? Start it with ./parley up, or pass --bootstrap-servers.");
            return 2;
        }
    }
}
