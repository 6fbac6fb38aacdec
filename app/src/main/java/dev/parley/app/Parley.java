package dev.parley.app;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Properties;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code parley} command line: run the pipeline, feed developments in, read a negotiation's status. */
@Command(name = "parley", mixinStandardHelpOptions = true, versionProvider = Parley.Version.class,
        description = {
                "Parley keeps a live, auditable picture of a negotiation from dated developments: producers "
                        + "publish them to Kafka, a Kafka Streams topology folds them into a status view, and sinks "
                        + "receive every change.", ""},
        subcommands = {UpCommand.class, PublishCommand.class, StatusCommand.class, TimelineCommand.class, SubscribeCommand.class, WatchCommand.class, SubscriptionsCommand.class, ParkedCommand.class, ReplayCommand.class, RebuildCommand.class, DeadLettersCommand.class, ConfigCommand.class, BenchCommand.class, CommandLine.HelpCommand.class},
        footer = {"", "Start with:  ./parley up", "Then:        ./parley status ukraine-peace-2025"})
public final class Parley implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    /** Java's common fork-join pool size; read once, when the pool and {@code CompletableFuture} are first used. */
    static final String COMMON_POOL_PARALLELISM = "java.util.concurrent.ForkJoinPool.common.parallelism";

    public static void main(String[] args) {
        poolAsyncCompletions();
        System.setProperty("slf4j.provider", Logging.PROVIDER);
        System.setProperty("slf4j.internal.verbosity", "WARN");
        try {
            Logging.configure(System.getenv());
        } catch (IllegalArgumentException e) {
            Logging.configure(Map.of()); // the command reports the bad setting when it reads its settings
        }
        CommandLine cli = commandLine();
        int exitCode = cli.execute(args);
        cli.getOut().flush();
        cli.getErr().flush();
        System.exit(exitCode);
    }

    /**
     * On one or two cores the common pool has one thread, and {@code CompletableFuture} then runs async tasks on a new
     * thread each; Java's HttpClient completes every {@code sendAsync} there, so each webhook post started a thread
     * (136 a second in parley bench). Two threads make it a pool. To be called before anything uses either class;
     * a size given with -D wins.
     */
    static void poolAsyncCompletions() {
        if (System.getProperty(COMMON_POOL_PARALLELISM) == null) {
            System.setProperty(COMMON_POOL_PARALLELISM, String.valueOf(Math.max(2, Runtime.getRuntime().availableProcessors() - 1)));
        }
    }

    static CommandLine commandLine() {
        // UTF-8 whatever the locale: news text has accents and « guillemets ».
        return new CommandLine(new Parley()).setCaseInsensitiveEnumValuesAllowed(true)
                .setExecutionExceptionHandler((e, cli, parsed) -> {
                    // A person reads this: the reason, not a stack trace (the log has the details).
                    cli.getErr().println((cli.getParent() == null ? "" : "parley ") + cli.getCommandName() + ": " + e.getMessage());
                    LoggerFactory.getLogger(Parley.class).debug("Command failed", e);
                    return 1;
                })
                .setOut(new PrintWriter(new OutputStreamWriter(System.out, StandardCharsets.UTF_8), true))
                .setErr(new PrintWriter(new OutputStreamWriter(System.err, StandardCharsets.UTF_8), true));
    }

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }

    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() throws IOException {
            Properties props = new Properties();
            try (InputStream in = Parley.class.getResourceAsStream("/parley-version.properties")) {
                if (in != null) {
                    props.load(in);
                }
            }
            return new String[] {describe(props)};
        }

        /** {@code parley 0.1.0 (git 45a2884)}, with {@code -dirty} for uncommitted changes; no revision outside git. */
        static String describe(Properties props) {
            String revision = props.getProperty("revision", "");
            boolean known = revision.matches("[0-9a-f]{7,40}");
            return "parley " + props.getProperty("version", "unknown")
                    + (known ? " (git " + revision + ("true".equals(props.getProperty("dirty")) ? "-dirty" : "") + ")" : "");
        }
    }
}
