package dev.parley.app;

import dev.parley.schemas.KafkaVariables;
import dev.parley.schemas.Topics;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.tools.StreamsResetter;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code parley rebuild}: recomputes every view and the change history from the log of record. */
@Command(name = "rebuild", mixinStandardHelpOptions = true,
        description = {"Recomputes every status view and the change history from parley.developments.", "",
                "Stop every running Parley of this application first. Rebuild resets the topology with Kafka's own "
                        + "streams reset tool (input offsets to the start, internal topics deleted), deletes the local "
                        + "state, empties parley.status and parley.status-changes, then folds the whole log again with a "
                        + "progress bar and stops. Sinks see the changes again and skip what they already have."},
        footer = {"", "Example:", "  ./parley rebuild"})
final class RebuildCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Mixin
    KafkaOptions kafka;

    @Option(names = "--home", paramLabel = "DIR", description = "Parley's folder (default: PARLEY_HOME, else ./.parley).")
    Path home;

    @Option(names = "--timeout", paramLabel = "SECONDS", defaultValue = "3600",
            description = "How long the refold may take before giving up (default: ${DEFAULT-VALUE}).")
    int timeoutSeconds;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        AppSettings settings = forThroughput(kafka.settings().withHome(home));
        long started = System.nanoTime();
        try (Pipeline pipeline = Pipeline.startKafka(settings)) {
            String applicationId = pipeline.applicationId();
            out.println("Resetting application " + applicationId + " on " + settings.kafka() + " with Kafka's streams reset tool...");
            out.flush();
            int reset = resetApplication(settings, applicationId);
            if (reset != 0) {
                err.println("Kafka's streams reset tool failed (exit " + reset + "; see above). If a Parley of application "
                        + applicationId + " is still running, stop it; after a crash, wait 10 s for its session to end.");
                return 1;
            }
            deleteTree(pipeline.stateDir());
            recreate(pipeline, settings, List.of(Topics.STATUS, Topics.STATUS_CHANGES));

            out.println("Folding " + Topics.DEVELOPMENTS + " again...");
            out.flush();
            pipeline.abortHangingTransactions(); // one left on the log of record would stop the refold at it
            pipeline.startTopology();
            var progress = new ProgressLine(err);
            pipeline.awaitCaughtUp(Duration.ofSeconds(timeoutSeconds), progress::update);
            progress.done();
            double seconds = (System.nanoTime() - started) / 1e9;
            out.printf("Rebuilt in %.1f s: every view and change recomputed from %s.%n", seconds, Topics.DEVELOPMENTS);
            return 0;
        }
    }

    /**
     * Nobody waits for a view while the log is folded again: commit once a second rather than ten times, and cache more
     * views between commits, unless KAFKA_COMMIT_INTERVAL_MS or KAFKA_STATESTORE_CACHE_MAX_BYTES say otherwise.
     */
    static AppSettings forThroughput(AppSettings settings) {
        AppSettings tuned = settings;
        if (!settings.env().containsKey("KAFKA_COMMIT_INTERVAL_MS")) {
            tuned = tuned.withEnv("KAFKA_COMMIT_INTERVAL_MS", "1000");
        }
        if (!settings.env().containsKey("KAFKA_STATESTORE_CACHE_MAX_BYTES")) {
            tuned = tuned.withEnv("KAFKA_STATESTORE_CACHE_MAX_BYTES", String.valueOf(64 * 1024 * 1024));
        }
        return tuned;
    }

    /** Deletes and creates again the topics the topology derives, so the change history is written once, anew. */
    private static void recreate(Pipeline pipeline, AppSettings settings, List<String> names) throws InterruptedException, ExecutionException {
        var admin = pipeline.admin();
        Set<String> existing = admin.listTopics().names().get();
        admin.deleteTopics(names.stream().filter(existing::contains).toList()).all().get();
        List<NewTopic> topics = TopicSetup.topics(settings.partitions(), settings.replicationFactor(), settings.minInsyncReplicas()).stream()
                .filter(topic -> names.contains(topic.name())).toList();
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (true) {
            Set<String> present = admin.listTopics().names().get();
            List<NewTopic> missing = topics.stream().filter(topic -> !present.contains(topic.name())).toList();
            if (missing.isEmpty()) {
                return;
            }
            try {
                admin.createTopics(missing).all().get();
            } catch (ExecutionException e) {
                // Deletion finishes in the background; until then the names are taken.
                if (!(e.getCause() instanceof TopicExistsException) || System.nanoTime() > deadline) {
                    throw e;
                }
                Thread.sleep(200);
            }
        }
    }

    /** Kafka's streams reset tool, with the clients' own settings (security included) in a file only this user reads. */
    private static int resetApplication(AppSettings settings, String applicationId) throws IOException {
        Path clientConfig = Files.createTempFile(settings.home(), "reset-client-", ".properties",
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        try {
            Properties properties = new Properties();
            KafkaVariables.from(settings.env()).forEach(properties::setProperty);
            try (var out = Files.newBufferedWriter(clientConfig)) {
                properties.store(out, null);
            }
            return new StreamsResetter().execute(new String[] {
                    "--bootstrap-server", settings.kafka(),
                    "--config-file", clientConfig.toString(),
                    "--application-id", applicationId,
                    "--input-topics", Topics.DEVELOPMENTS});
        } finally {
            Files.deleteIfExists(clientConfig);
        }
    }

    static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (var paths = Files.walk(dir)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(path);
            }
        }
    }
}
