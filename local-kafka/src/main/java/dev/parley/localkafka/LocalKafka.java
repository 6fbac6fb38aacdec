package dev.parley.localkafka;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.io.UncheckedIOException;
import java.lang.ProcessBuilder.Redirect;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.DescribeClusterOptions;
import org.apache.kafka.common.Uuid;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A real single-node Kafka cluster (one KRaft node that is both broker and controller) running in
 * a child JVM on this machine, built from the Kafka jars on the classpath — no Docker, no download.
 *
 * <p>The child never outlives this JVM: it halts when its standard input, a pipe this JVM holds
 * open, reaches end-of-file, which happens however this JVM ends (even {@code kill -9}); a shutdown
 * hook also stops it gracefully on a normal exit. Stopping and starting again, or killing and
 * starting again, reuses the data directory and the ports, so topics and records survive.
 */
public final class LocalKafka implements KafkaBroker, AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(LocalKafka.class);
    private static final Duration STOP_TIMEOUT = Duration.ofSeconds(30);
    private static final int LOG_LINES_IN_ERRORS = 30;

    private final LocalKafkaSettings settings;
    private final DataDir dataDir;
    private Ports ports;
    private Process broker;
    private Thread shutdownHook;
    private long logSizeAtLaunch;

    public LocalKafka(LocalKafkaSettings settings) {
        this.settings = settings;
        this.dataDir = new DataDir(settings.dataDir());
    }

    /** A broker with default settings keeping its data in {@code dataDir}. */
    public static LocalKafka in(Path dataDir) {
        return new LocalKafka(LocalKafkaSettings.in(dataDir));
    }

    /**
     * Formats the data directory if it is new, starts the broker and returns once it answers
     * clients.
     *
     * @throws IllegalStateException if the broker is already running, exits while starting (the
     *     message carries the end of its log) or does not answer within the start timeout
     */
    public synchronized void start() {
        long startedAt = System.nanoTime();
        launchBroker();
        awaitStarted(startedAt);
    }

    /**
     * Starts the nodes of one cluster together: a node of a cluster of several answers only once a majority of its
     * controllers runs, so each is launched before any is waited for.
     */
    static void startTogether(List<LocalKafka> nodes) {
        long startedAt = System.nanoTime();
        nodes.forEach(LocalKafka::launchBroker);
        nodes.forEach(node -> node.awaitStarted(startedAt));
    }

    private synchronized void launchBroker() {
        if (isRunning()) {
            throw new IllegalStateException("Kafka broker is already running (pid " + broker.pid() + ")");
        }
        released();
        if (ports == null) {
            ports = choosePorts();
        }
        dataDir.remember(ports);
        dataDir.writeServerProperties(ports, settings.brokerProperties(), settings.secureListener(), settings.quorum());
        if (!dataDir.isFormatted()) {
            format();
        }
        broker = launch(BrokerMain.class.getName(), dataDir.serverProperties().toString());
        log.info("Starting Kafka broker (pid {}) on {}, controller on port {}, data in {}, log in {}",
                broker.pid(), bootstrapServers(), ports.controller(), settings.dataDir(), settings.logFile());
        if (settings.stopOnJvmExit()) {
            registerShutdownHook(broker);
        }
    }

    private synchronized void awaitStarted(long startedAt) {
        try {
            awaitAnswer();
        } catch (RuntimeException e) {
            broker.destroyForcibly();
            awaitExit(broker, STOP_TIMEOUT);
            released();
            throw e;
        }
        log.info("Kafka broker ready on {} after {} ms",
                bootstrapServers(), TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startedAt));
    }

    /**
     * Stops the nodes of one cluster together: a node stopped last, alone, can no longer reach a majority of the
     * controllers, and its controlled shutdown waits for them until it is killed.
     */
    static void stopTogether(List<LocalKafka> nodes) {
        for (LocalKafka node : nodes) {
            synchronized (node) {
                if (node.isRunning()) {
                    node.broker.toHandle().destroy(); // SIGTERM; stop() below waits for each
                }
            }
        }
        nodes.forEach(LocalKafka::stop);
    }

    /** Stops the broker gracefully (SIGTERM), forcibly if it has not stopped after 30 seconds. */
    public synchronized void stop() {
        if (isRunning()) {
            log.info("Stopping Kafka broker (pid {})", broker.pid());
            stopGracefully(broker);
        }
        released();
    }

    /** Kills the broker at once (SIGKILL), as a crash would, and waits until it is gone. */
    public synchronized void kill() {
        if (isRunning()) {
            log.info("Killing Kafka broker (pid {})", broker.pid());
            broker.destroyForcibly();
            awaitExit(broker, STOP_TIMEOUT);
        }
        released();
    }

    /** Same as {@link #stop()}. */
    @Override
    public void close() {
        stop();
    }

    public synchronized boolean isRunning() {
        return broker != null && broker.isAlive();
    }

    /** The process id of the running broker, or of the last one if it has stopped. */
    public synchronized long pid() {
        if (broker == null) {
            throw new IllegalStateException("Kafka broker has not been started");
        }
        return broker.pid();
    }

    /** The {@code bootstrap.servers} value for clients, e.g. {@code 127.0.0.1:40123}. */
    @Override
    public synchronized String bootstrapServers() {
        if (ports == null) {
            throw new IllegalStateException("Kafka broker has not been started, so it has no port yet");
        }
        return "127.0.0.1:" + ports.broker();
    }

    public LocalKafkaSettings settings() {
        return settings;
    }

    private Ports choosePorts() {
        // Explicit ports win; otherwise a data directory keeps the ports it was first started on.
        var remembered = dataDir.rememberedPorts();
        int brokerPort = settings.brokerPort() != 0
                ? settings.brokerPort() : remembered.map(Ports::broker).orElse(0);
        int controllerPort = settings.controllerPort() != 0
                ? settings.controllerPort() : remembered.map(Ports::controller).orElse(0);
        return Ports.choose(brokerPort, controllerPort);
    }

    private void format() {
        String clusterId = settings.quorum() != null ? settings.quorum().clusterId() : Uuid.randomUuid().toString();
        log.info("Formatting {} for new cluster {}", dataDir.kafkaLogs(), clusterId);
        // In a child JVM because StorageTool ends with System.exit.
        List<String> args = new ArrayList<>(List.of("format", "-t", clusterId, "-c", dataDir.serverProperties().toString()));
        if (settings.secureListener() != null) {
            args.addAll(List.of(settings.secureListener().formatArguments()));
        }
        Process formatter = launch("kafka.tools.StorageTool", args.toArray(String[]::new));
        awaitExit(formatter, settings.startTimeout());
        if (formatter.exitValue() != 0) {
            throw failure("Formatting " + dataDir.kafkaLogs() + " failed with exit code " + formatter.exitValue(), null);
        }
    }

    /** Starts {@code mainClass} in a JVM with this one's classpath, its output appended to the log file. */
    private Process launch(String mainClass, String... args) {
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx" + settings.maxHeap(),
                // Kafka logs through SLF4J: use slf4j-simple even if the classpath offers another
                // provider, at INFO with timestamps, on stdout, which is the log file.
                "-Dslf4j.provider=org.slf4j.simple.SimpleServiceProvider",
                "-Dslf4j.internal.verbosity=WARN",
                "-Dorg.slf4j.simpleLogger.logFile=System.out",
                "-Dorg.slf4j.simpleLogger.defaultLogLevel=info",
                "-Dorg.slf4j.simpleLogger.showDateTime=true",
                "-Dorg.slf4j.simpleLogger.dateTimeFormat=yyyy-MM-dd HH:mm:ss.SSS",
                // Kafka prints its whole configuration at INFO several times per start, hundreds
                // of lines each; server.properties next to the log says the same once.
                "-Dorg.slf4j.simpleLogger.log.org.apache.kafka.common.config.AbstractConfig=warn",
                "-cp", System.getProperty("java.class.path"),
                mainClass));
        command.addAll(Arrays.asList(args));
        try {
            Files.createDirectories(settings.logFile().toAbsolutePath().getParent());
            logSizeAtLaunch = Files.exists(settings.logFile()) ? Files.size(settings.logFile()) : 0;
            // stdin stays a pipe that this JVM holds open and never writes to: BrokerMain halts
            // when it closes, which the JDK does only once the child has exited or this JVM is gone.
            return new ProcessBuilder(command)
                    .redirectErrorStream(true)
                    .redirectOutput(Redirect.appendTo(settings.logFile().toFile()))
                    .start();
        } catch (IOException e) {
            throw new UncheckedIOException("Could not start " + mainClass + " in a child JVM", e);
        }
    }

    /**
     * Waits until the broker describes its cluster, failing fast if its process exits. Plain
     * connection attempts come first, quietly: an admin client would log a warning for each
     * refused one.
     */
    private void awaitAnswer() {
        Duration timeout = settings.startTimeout();
        long deadline = System.nanoTime() + timeout.toNanos();
        try {
            while (!acceptsConnections(ports.broker())) {
                // The pause between attempts, cut short if the broker exits.
                if (broker.waitFor(100, TimeUnit.MILLISECONDS)) {
                    throw failure("Kafka broker exited with code " + broker.exitValue() + " while starting", null);
                }
                if (System.nanoTime() - deadline > 0) {
                    throw failure("Kafka broker did not listen on " + bootstrapServers() + " within " + timeout, null);
                }
            }
            awaitClusterDescription(Duration.ofNanos(deadline - System.nanoTime()));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while waiting for the Kafka broker", e);
        }
    }

    private void awaitClusterDescription(Duration timeout) throws InterruptedException {
        Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers()));
        try {
            CompletableFuture<?> answered = admin
                    .describeCluster(new DescribeClusterOptions().timeoutMs((int) timeout.toMillis()))
                    .nodes().toCompletionStage().toCompletableFuture();
            CompletableFuture.anyOf(answered, broker.onExit()).get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            if (!broker.isAlive()) {
                throw failure("Kafka broker exited with code " + broker.exitValue() + " while starting", null);
            }
        } catch (ExecutionException | TimeoutException e) {
            throw failure("Kafka broker on " + bootstrapServers() + " did not describe its cluster in time", e);
        } finally {
            // Zero: do not wait for a describeCluster call that is still retrying against a dead broker.
            admin.close(Duration.ZERO);
        }
    }

    private static boolean acceptsConnections(int port) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 1000);
            return true;
        } catch (IOException refused) {
            return false;
        }
    }

    private static void stopGracefully(Process process) {
        // SIGTERM through the handle: Process.destroy() would also close the stdin pipe, and
        // BrokerMain would take that for a dead parent and halt before Kafka has shut down.
        process.toHandle().destroy();
        try {
            if (!process.waitFor(STOP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
                log.warn("Kafka broker (pid {}) did not stop within {}, killing it", process.pid(), STOP_TIMEOUT);
                process.destroyForcibly();
                awaitExit(process, STOP_TIMEOUT);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while stopping the Kafka broker", e);
        }
    }

    private static void awaitExit(Process process, Duration timeout) {
        try {
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly();
                throw new IllegalStateException("Process " + process.pid() + " did not exit within " + timeout);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while waiting for process " + process.pid() + " to exit", e);
        }
    }

    /** Belt and braces beside the stdin watch: a normal JVM exit stops the broker gracefully. */
    private void registerShutdownHook(Process process) {
        shutdownHook = new Thread(() -> {
            if (process.isAlive()) {
                log.info("JVM is exiting, stopping Kafka broker (pid {})", process.pid());
                stopGracefully(process);
            }
        }, "local-kafka-shutdown");
        Runtime.getRuntime().addShutdownHook(shutdownHook);
    }

    /** Drops the shutdown hook of a broker that has exited; calling it twice does no harm. */
    private void released() {
        if (shutdownHook != null) {
            try {
                Runtime.getRuntime().removeShutdownHook(shutdownHook);
            } catch (IllegalStateException alreadyShuttingDown) {
                // The hook is running or about to, and will find the broker gone.
            }
            shutdownHook = null;
        }
    }

    /**
     * The broker's log since it was last launched, shortened for a test report: its warnings and
     * errors first, then its last lines.
     */
    @Override
    public synchronized String logExcerpt() {
        List<String> lines = logSinceLaunch();
        List<String> problems = lines.stream()
                .filter(line -> line.contains("[ERROR]") || line.contains("[WARN]") || line.startsWith("Caused by: "))
                .limit(LOG_LINES_IN_ERRORS)
                .toList();
        List<String> last = lines.subList(Math.max(0, lines.size() - LOG_LINES_IN_ERRORS), lines.size());
        return "log: " + settings.logFile()
                + "\n--- warnings and errors ---\n" + String.join("\n", problems)
                + "\n--- last lines ---\n" + String.join("\n", last);
    }

    /** An exception quoting the child's log, since the last lines of a failed start are mostly Kafka shutting down. */
    private IllegalStateException failure(String message, Throwable cause) {
        return new IllegalStateException(message + " (" + logExcerpt() + ")", cause);
    }

    private List<String> logSinceLaunch() {
        try (RandomAccessFile file = new RandomAccessFile(settings.logFile().toFile(), "r")) {
            // At most the last few megabytes: enough for a start, and bounded if the child ran wild.
            long start = Math.max(logSizeAtLaunch, file.length() - 4 * 1024 * 1024);
            byte[] bytes = new byte[(int) (file.length() - start)];
            file.seek(start);
            file.readFully(bytes);
            return new String(bytes, StandardCharsets.UTF_8).lines().toList();
        } catch (IOException e) {
            return List.of("(could not read the log: " + e + ")");
        }
    }
}
