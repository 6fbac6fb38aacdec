package dev.parley.app;

import dev.parley.consumer.KafkaParkingLot;
import dev.parley.consumer.Sink;
import dev.parley.schemas.AvroSerde;
import dev.parley.schemas.StatusChange;
import dev.parley.schemas.Topics;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.Callable;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.KafkaException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code parley parked}: lists the status changes sinks gave up on, and delivers them again. */
@Command(name = "parked", mixinStandardHelpOptions = true,
        description = {"Lists the status changes a subscription's sink gave up on, and why; --retry delivers them again.", "",
                "A change is parked on parley.parked-changes after its sink failed on every attempt, or at once when "
                        + "the sink's target refused it for good (a webhook answering 400 or 422). Once the cause is "
                        + "fixed, --retry NAME offers each change parked by that subscription to its sink again, as "
                        + "declared by parley up or in the subscriptions file. Sinks are idempotent, so retrying twice "
                        + "delivers nothing twice."},
        footer = {"", "Examples:", "  ./parley parked", "  ./parley parked --retry partner-hook --subscriptions subscriptions.yaml"})
final class ParkedCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Mixin
    KafkaOptions kafka;

    @Option(names = "--retry", paramLabel = "SUBSCRIPTION", description = "Deliver the changes this subscription parked to its sink again.")
    String retry;

    @Option(names = "--subscriptions", paramLabel = "FILE", description = "Where the subscription is declared (default: PARLEY_SUBSCRIPTIONS, else <home>/subscriptions.yaml).")
    Path file;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        AppSettings settings = kafka.commandSettings();
        List<ConsumerRecord<String, StatusChange>> parked;
        try {
            KafkaReachability.require(settings.kafkaClient());
            parked = TopicSnapshot.read(settings.kafkaClient(), Topics.PARKED_CHANGES, AvroSerde.of(StatusChange.class), Duration.ofSeconds(30));
        } catch (KafkaException e) {
            return KafkaOptions.unreachable(err, "read " + Topics.PARKED_CHANGES + " from", settings.kafka(), e);
        }
        if (retry == null) {
            parked.forEach(record -> out.print(render(record)));
            out.println(parked.size() + " parked change(s) on " + Topics.PARKED_CHANGES + ".");
            return 0;
        }
        AppSettings withFile = file == null ? settings : settings.withEnv("PARLEY_SUBSCRIPTIONS", file.toString());
        var declared = SubscriptionsFile.ofUp(withFile).stream().filter(each -> each.name().equals(retry)).findFirst();
        if (declared.isEmpty()) {
            err.println("--retry: no subscription \"" + retry + "\" (expected database, jsonl, atom or one declared in "
                    + withFile.subscriptionsFile() + ")");
            return 1;
        }
        List<ConsumerRecord<String, StatusChange>> mine = parked.stream().filter(record -> retry.equals(DeadLettersCommand.header(record, KafkaParkingLot.SUBSCRIPTION))).toList();
        long delivered = 0;
        long alreadyThere = 0;
        try (Sink sink = SubscriptionsFile.open(declared.get(), withFile).sink()) {
            for (ConsumerRecord<String, StatusChange> record : mine) {
                StatusChange change = record.value();
                try {
                    if (sink.accept(change)) {
                        delivered++;
                    } else {
                        alreadyThere++;
                    }
                } catch (Exception e) {
                    err.println("#" + record.partition() + ":" + record.offset() + " " + change.getNegotiationId() + " v" + change.getToVersion()
                            + " failed again: " + (e.getMessage() == null ? e : e.getMessage()));
                    err.println("Stopped after " + delivered + " delivered and " + alreadyThere + " already there; fix the cause and retry.");
                    return 1;
                }
            }
        }
        out.println("Retried " + mine.size() + " parked change(s) of " + retry + ": " + delivered + " delivered, " + alreadyThere + " already there.");
        return 0;
    }

    static String render(ConsumerRecord<String, StatusChange> record) {
        String nl = System.lineSeparator();
        StatusChange change = record.value();
        return "#" + record.partition() + ":" + record.offset() + "  " + Instant.ofEpochMilli(record.timestamp()) + "  "
                + DeadLettersCommand.header(record, KafkaParkingLot.SUBSCRIPTION) + nl
                + "  change:   " + (change == null ? "(unreadable)" : change.getNegotiationId() + " v" + change.getToVersion()) + nl
                + StatusPrinter.wrapped("error:    " + DeadLettersCommand.header(record, KafkaParkingLot.ERROR), 2)
                + "  attempts: " + DeadLettersCommand.header(record, KafkaParkingLot.ATTEMPTS) + ", from " + DeadLettersCommand.header(record, KafkaParkingLot.SOURCE) + nl + nl;
    }
}
