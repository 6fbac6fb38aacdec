package dev.parley.app;

import dev.parley.consumer.Subscription;
import dev.parley.consumer.TerminalSink;
import dev.parley.producer.DevelopmentPublisher;
import dev.parley.producer.DevelopmentReader;
import dev.parley.producer.DevelopmentValidator;
import dev.parley.producer.ProducerSettings;
import dev.parley.schemas.NegotiationStatus;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code parley up}: runs the whole pipeline on this machine until Ctrl-C. */
@Command(name = "up", mixinStandardHelpOptions = true,
        description = {
                "Runs Parley on this machine until Ctrl-C.", "",
                "Starts an embedded Kafka broker (data under ./.parley/) unless --bootstrap-servers is given, "
                        + "creates the topics, runs the status topology and the sinks, serves HTTP, loads the sample "
                        + "developments of the seed article when the log is empty, prints the current status, then "
                        + "prints each status change. History survives a restart."},
        footer = {"", "Example:", "  ./parley up", "  ./parley up --port 8081 --bootstrap-servers kafka-1:9092"})
final class UpCommand implements Callable<Integer> {

    static final String SAMPLES = "/samples/ukraine-peace-2025.ndjson";

    @Spec
    CommandSpec spec;

    @Mixin
    KafkaOptions kafka;

    @Option(names = "--port", paramLabel = "PORT", description = "HTTP port (default: PARLEY_PORT, else 8080).")
    Integer port;

    @Option(names = "--home", paramLabel = "DIR", description = "Folder for the embedded broker, state and file sinks (default: PARLEY_HOME, else ./.parley).")
    Path home;

    @Option(names = "--brokers", paramLabel = "N",
            description = "Brokers of the embedded Kafka (default: PARLEY_BROKERS, else 1): 3 runs a cluster on this machine, "
                    + "replication 3 and min ISR 2, to see a broker fail and Parley go on.")
    Integer brokers;

    @Option(names = "--negotiation", paramLabel = "ID", defaultValue = "ukraine-peace-2025",
            description = "Negotiation whose status is printed on start (default: ${DEFAULT-VALUE}).")
    String negotiation;

    @Option(names = "--startup-timeout", paramLabel = "SECONDS", defaultValue = "180",
            description = "How long to wait for the topology to catch up with the log before giving up (default: ${DEFAULT-VALUE}).")
    int startupTimeoutSeconds;

    /** Set by Ctrl-C (or SIGTERM): what fails from then on is the stop's doing. */
    private final AtomicBoolean stopping = new AtomicBoolean();
    private final Object uninterruptible = new Object();

    @Override
    public Integer call() throws Exception {
        AppSettings settings = kafka.settings(brokers == null ? Map.of() : Map.of("PARLEY_BROKERS", String.valueOf(brokers)))
                .withHttpPort(port).withHome(home);
        PrintWriter out = spec.commandLine().getOut();
        out.println(!settings.embedded() ? "Starting Parley on Kafka " + settings.kafka()
                : settings.brokers() > 1 ? "Starting Parley with an embedded Kafka cluster of " + settings.brokers() + " brokers on "
                        + settings.kafka() + " (replication " + settings.replicationFactor() + ", min ISR " + settings.minInsyncReplicas()
                        + "), data in " + settings.home()
                : "Starting Parley with an embedded Kafka broker on " + settings.kafka() + ", data in " + settings.home());
        out.flush();

        var stop = new CountDownLatch(1);
        var stopped = new CountDownLatch(1);
        Thread main = Thread.currentThread();
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            stopping.set(true);
            // Whatever the main thread waits for (the broker, the topics, the sample, the topology catching up, or Ctrl-C
            // itself), it stops waiting, then closes everything in order, the broker last. Interrupted before the latch
            // opens, so that the interrupt never lands in the middle of closing.
            synchronized (uninterruptible) {
                main.interrupt();
            }
            stop.countDown();
            try {
                stopped.await(60, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "parley-shutdown"));
        try {
            run(settings, out, stop);
        } catch (Exception e) {
            if (!stopping.get()) {
                throw e;
            }
            // Stopped while starting: the exception is the interruption, not a failure.
        } finally {
            stopped.countDown();
        }
        return 0;
    }

    private void run(AppSettings settings, PrintWriter out, CountDownLatch stop) throws Exception {
        try (Pipeline pipeline = Pipeline.start(settings); WebServer web = startWebServer(pipeline, settings)) {
            try {
                AppSettings served = settings.withHttpPort(web.port()); // the port chosen, for the feeds' links
                for (SubscriptionsFile.Declared declared : SubscriptionsFile.ofUp(served)) {
                    pipeline.subscribe(SubscriptionsFile.open(declared, served), Map.of());
                }
                if (pipeline.logIsEmpty()) {
                    int loaded = loadSamples(settings);
                    out.println("The log was empty: published " + loaded + " sample developments from the seed article.");
                    out.flush();
                }
                pipeline.awaitCaughtUp(Duration.ofSeconds(startupTimeoutSeconds));

                out.println();
                String base = baseUrl(settings.httpHost(), web.port());
                out.print(startupView(pipeline, base));
                out.println();
                out.println("Dashboard:     " + base + "/");
                out.println("Health:        " + base + "/health");
                out.println("Status (JSON): " + base + "/api/negotiations/" + negotiation + "/status");
                out.println("HTTP writes:   POST " + base + DevelopmentsEndpoint.PATH);
                out.println("API token:     " + web.apiTokenFile().map(Path::toString).orElse("the value of PARLEY_API_TOKEN")
                        + " (send it as \"Authorization: Bearer <token>\")");
                out.println("Changes file:  " + pipeline.changesFile());
                out.println("Database:      " + Sinks.shown(settings.databaseUrl()));
                out.println("Atom feeds:    " + base + "/feeds/" + negotiation + ".atom");
                out.println("Subscriptions: " + base + "/api/subscriptions"
                        + (Files.exists(settings.subscriptionsFile()) ? " (and those of " + settings.subscriptionsFile() + ")" : ""));
                out.println("Publish more:  ./parley publish FILE   (Ctrl-C stops Parley; history is kept)");
                out.println();
                out.println("Waiting for status changes...");
                out.flush();
                pipeline.subscribe(new TerminalSink(new java.io.PrintStream(System.out, true, StandardCharsets.UTF_8)),
                        Map.of("auto.offset.reset", "latest"));
                stop.await();
            } catch (Exception e) {
                if (!stopping.get()) {
                    throw e;
                }
                // Ctrl-C ended a wait: clear the interrupt, so that closing, in order, waits for each part to stop.
                Thread.interrupted();
            }
            out.println("Stopping Parley...");
            out.flush();
        }
    }

    /** Not interrupted by Ctrl-C, which waits the moment it takes: Jetty interrupted while it starts logs an ERROR. */
    private WebServer startWebServer(Pipeline pipeline, AppSettings settings) throws java.io.IOException, InterruptedException {
        synchronized (uninterruptible) {
            if (Thread.interrupted()) {
                throw new InterruptedException("stopped before the web server started");
            }
            return WebServer.start(pipeline, settings);
        }
    }

    /** Where a person on this machine reaches the server: a wildcard address is reached on loopback. */
    static String baseUrl(String host, int port) {
        String reachable = host.equals("0.0.0.0") || host.equals("::") ? "127.0.0.1" : host.contains(":") ? "[" + host + "]" : host;
        return "http://" + reachable + ":" + port;
    }

    /**
     * The negotiation's view from this instance's state; when another instance sharing the work holds it (or the
     * work is being shared out), where to read it instead, rather than failing the start.
     */
    private String startupView(Pipeline pipeline, String base) {
        var answer = new NegotiationQueries(pipeline.queryState()).status(negotiation, null, null);
        String ask = base + "/api/negotiations/" + negotiation + "/status";
        if (answer instanceof NegotiationQueries.Found<NegotiationStatus> found) {
            return StatusPrinter.render(found.value());
        } else if (answer instanceof NegotiationQueries.Elsewhere<NegotiationStatus> elsewhere) {
            return "Negotiation \"" + negotiation + "\" is held by the Parley at " + elsewhere.address() + "; this one answers for it too: "
                    + ask + System.lineSeparator();
        } else if (answer instanceof NegotiationQueries.Unavailable<NegotiationStatus> unavailable) {
            return "Not shown: " + unavailable.reason() + ". Ask again in a moment: " + ask + System.lineSeparator();
        }
        return "No developments yet for negotiation \"" + negotiation + "\"." + System.lineSeparator();
    }

    private static int loadSamples(AppSettings settings) throws Exception {
        var reader = new DevelopmentReader(new DevelopmentValidator(Clock.systemUTC()));
        try (var in = new InputStreamReader(UpCommand.class.getResourceAsStream(SAMPLES), StandardCharsets.UTF_8);
             var publisher = DevelopmentPublisher.create(ProducerSettings.from(settings.env(), settings.kafka()))) {
            var result = reader.read(in, SAMPLES);
            if (!result.isValid()) {
                throw new IllegalStateException("The bundled samples are invalid: " + result.errors());
            }
            return publisher.publishAll(result.developments()).size();
        }
    }
}
