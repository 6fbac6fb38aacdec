package dev.parley.app;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * {@code parley up} in a JVM of its own, started the way {@code ./parley up} starts it (a 512 MB heap, then
 * {@code PARLEY_JAVA_OPTS}), against a given Kafka: so {@code parley bench} can read the memory of Parley as people
 * run it, without the bench's load generators and receivers in the same process.
 */
final class UpProcess implements AutoCloseable {

    /** The heap {@code ./parley} gives {@code parley up}; keep the two the same. */
    static final String HEAP = "-Xmx512m";

    private final Process process;
    private final Path output;
    private final int port;

    private UpProcess(Process process, Path output, int port) {
        this.process = process;
        this.output = output;
        this.port = port;
    }

    /** Starts {@code parley up} on {@code bootstrap} with its home in {@code home}, and {@code env} added to this process's environment. */
    static UpProcess start(String bootstrap, Path home, Map<String, String> env) throws IOException {
        Files.createDirectories(home);
        int port = freePort();
        List<String> command = new ArrayList<>(List.of(KafkaPerformance.java(), HEAP));
        String javaOpts = System.getenv("PARLEY_JAVA_OPTS"); // as ./parley adds them: after its heap, so theirs wins
        if (javaOpts != null && !javaOpts.isBlank()) {
            command.addAll(List.of(javaOpts.trim().split("\\s+")));
        }
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), Parley.class.getName(),
                "up", "--bootstrap-servers", bootstrap, "--home", home.toString(), "--port", String.valueOf(port)));
        Path output = home.resolve("up.out");
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(output.toFile());
        builder.environment().putAll(env);
        return new UpProcess(builder.start(), output, port);
    }

    /** Waits until its topology runs ({@code /health} answers 200); fails with the end of its output if it stopped or took longer. */
    void awaitHealthy(Duration timeout) throws IOException, InterruptedException {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();
        HttpRequest health = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/health")).timeout(Duration.ofSeconds(2)).build();
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            ensureAlive();
            try {
                if (http.send(health, HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
                    return;
                }
            } catch (IOException notListeningYet) {
                // the web server starts after the topology; ask again
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("parley up did not become healthy within " + timeout.toSeconds() + " s; its output ends with:\n" + tail());
            }
            Thread.sleep(200);
        }
    }

    /** Fails, with the end of its output, if it has stopped. */
    void ensureAlive() {
        if (!process.isAlive()) {
            throw new IllegalStateException("parley up stopped (exit code " + process.exitValue() + "); its output ends with:\n" + tail());
        }
    }

    long pid() {
        return process.pid();
    }

    private String tail() {
        try {
            List<String> lines = Files.readAllLines(output);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 20), lines.size()));
        } catch (IOException e) {
            return "(" + output + " could not be read: " + e.getMessage() + ")";
        }
    }

    /** Stops it as Ctrl-C would (its shutdown hook closes everything in order), forcibly after 30 s. */
    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException("No free port on 127.0.0.1 for parley up", e);
        }
    }
}
