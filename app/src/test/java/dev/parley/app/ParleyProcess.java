package dev.parley.app;

import java.io.IOException;
import java.net.InetAddress;
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
 * A {@code parley} command in a JVM of its own, as an operator runs it, so a test can kill it (SIGKILL), stop it
 * (SIGTERM) and start it again with the same arguments, environment and output file.
 */
final class ParleyProcess implements AutoCloseable {

    private final String name;
    private final Path output;
    private final Map<String, String> env;
    private final List<String> args;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private Process process;

    /** {@code env} replaces every PARLEY_ and KAFKA_ variable this JVM has, so the child sees only the test's. */
    ParleyProcess(String name, Path output, Map<String, String> env, String... args) {
        this.name = name;
        this.output = output;
        this.env = Map.copyOf(env);
        this.args = List.of(args);
    }

    /** {@code parley up} on Kafka at {@code bootstrapServers}, its home and HTTP port of its own. */
    static ParleyProcess up(Path home, int port, Map<String, String> env) {
        return new ParleyProcess("parley up", home.resolve("up.log"), env, "up", "--home", home.toString(), "--port", String.valueOf(port));
    }

    ParleyProcess start() throws IOException {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx384m", "-XX:+UseSerialGC", "-cp", System.getProperty("java.class.path"), Parley.class.getName()));
        command.addAll(args);
        var builder = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(output.toFile()));
        builder.environment().keySet().removeIf(key -> key.startsWith("PARLEY_") || key.startsWith("KAFKA_"));
        builder.environment().putAll(env);
        Files.writeString(output, "---- " + name + " started by the test ----\n", java.nio.file.StandardOpenOption.CREATE,
                java.nio.file.StandardOpenOption.APPEND);
        process = builder.start();
        return this;
    }

    /** SIGKILL, as a crash or the OOM killer would: no shutdown hook runs. Returns once the process is gone. */
    void kill() throws InterruptedException {
        process.destroyForcibly();
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            throw new AssertionError(name + " (pid " + process.pid() + ") still runs 30 s after SIGKILL");
        }
    }

    /** SIGTERM, as an operator's Ctrl-C or a container stop: Parley closes in order. Returns once the process is gone. */
    void stop() throws InterruptedException {
        process.toHandle().destroy();
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError(name + " (pid " + process.pid() + ") did not stop within 60 s of SIGTERM");
        }
    }

    boolean isAlive() {
        return process != null && process.isAlive();
    }

    /** The status of {@code GET http://127.0.0.1:port + path}, or -1 when nothing answers. */
    int get(int port, String path) {
        try {
            return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).timeout(Duration.ofSeconds(5)).build(),
                    HttpResponse.BodyHandlers.discarding()).statusCode();
        } catch (IOException e) {
            return -1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
    }

    /** The last lines it printed, for a failure message. */
    String lastLines(int lines) {
        try {
            List<String> all = Files.readAllLines(output);
            return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
        } catch (IOException e) {
            return "(could not read " + output + ": " + e + ")";
        }
    }

    static int freePort() throws IOException {
        try (var socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    @Override
    public void close() throws InterruptedException {
        if (isAlive()) {
            process.destroyForcibly();
            process.waitFor(30, TimeUnit.SECONDS);
        }
    }
}
