package dev.parley.app;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.parley.schemas.json.AvroJson;
import java.io.IOException;
import java.net.ConnectException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The one jar a user runs, {@code java -jar parley.jar up}, as built by {@code package}: nothing but the jar on the
 * class path, its own embedded broker, the sample developments, the sinks, the HTTP API and the metrics.
 */
@Timeout(value = 3, unit = TimeUnit.MINUTES)
class PackagedJarIT {

    private static final Path JAR = Path.of("target", "parley.jar");

    @TempDir
    Path home;

    private final HttpClient http = HttpClient.newHttpClient();

    @Test
    void shouldPrintItsVersionAndGitRevision() throws Exception {
        Process process = new ProcessBuilder(java(), "-jar", JAR.toString(), "--version").redirectErrorStream(true).start();
        String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);

        assertThat(process.waitFor()).isZero();
        assertThat(out.strip()).matches("parley \\d+\\.\\d+\\.\\d+(-SNAPSHOT)?( \\(git [0-9a-f]{7,40}(-dirty)?\\))?");
    }

    @Test
    void shouldRunParleyOnItsEmbeddedBrokerFromTheJarAloneLoggingJson() throws Exception {
        int httpPort = freePort();
        Path logs = home.resolveSibling(home.getFileName() + ".stderr");
        var builder = new ProcessBuilder(java(), "-jar", JAR.toString(), "up", "--home", home.toString(), "--port", String.valueOf(httpPort))
                .redirectOutput(home.resolveSibling(home.getFileName() + ".stdout").toFile()).redirectError(logs.toFile());
        builder.environment().keySet().removeIf(name -> name.startsWith("PARLEY_") || name.startsWith("KAFKA_"));
        builder.environment().put("PARLEY_LOG_FORMAT", "json");
        builder.environment().put("PARLEY_LOG_LEVEL", "info,org.apache.kafka.streams.KafkaStreams=info");
        builder.environment().put("PARLEY_KAFKA_PORT", String.valueOf(freePort()));
        builder.environment().put("PARLEY_KAFKA_CONTROLLER_PORT", String.valueOf(freePort()));
        Process parley = builder.start();
        try {
            String base = "http://127.0.0.1:" + httpPort;
            Await.until("parley up to be ready", Duration.ofSeconds(120), () -> {
                assertThat(parley.isAlive()).as("parley up is running; its output: %s", log()).isTrue();
                return get(base + "/ready").status() == 200;
            });

            // once ready, as a script that waits for /ready sees it: the seed article's 23 developments loaded and folded
            assertThat(get(base + "/api/negotiations/ukraine-peace-2025/status").body()).contains("\"development_count\":23");
            // and delivered to the embedded default's sinks
            Await.until("the sinks to have every change", Duration.ofSeconds(60), () -> get(base + "/metrics").body()
                    .contains("parley_subscription_delivered_total{sink=\"database\",subscription=\"database\"} 23.0"));
            assertThat(Files.readAllLines(home.resolve("changes.jsonl"))).hasSize(23);
            assertThat(home.resolve("parley.db")).isNotEmptyFile();

            // and its logs are JSON, one object per line, at the levels asked for
            List<JsonNode> lines = new ArrayList<>();
            for (String line : Files.readAllLines(logs)) {
                lines.add(AvroJson.MAPPER.readTree(line));
            }
            assertThat(lines).allSatisfy(line -> assertThat(line.has("level") && line.has("loggerName") && line.has("message")).isTrue());
            assertThat(lines).anySatisfy(line -> assertThat(line.get("message").asText()).startsWith("Status topology started"));
            assertThat(lines).anySatisfy(line -> assertThat(line.get("loggerName").asText()).isEqualTo("org.apache.kafka.streams.KafkaStreams"));
        } finally {
            parley.destroy(); // SIGTERM: Parley closes in order
            assertThat(parley.waitFor(60, TimeUnit.SECONDS)).as("parley up stops on SIGTERM").isTrue();
        }
    }

    @Test
    void shouldSayInOneLineThatParleyIsNotRunningAndWhatToDo() throws Exception {
        // given no broker on a port
        int port = freePort();

        // when a user asks for a status there
        Run status = run("status", "ukraine-peace-2025", "-b", "127.0.0.1:" + port);

        // then one line says what is wrong and what to do, and no Kafka client warning reaches the terminal
        assertThat(status.exit()).isEqualTo(2);
        assertThat(status.stdout()).isEmpty();
        assertThat(status.stderr().lines().toList()).containsExactly("Could not read the view from Kafka at 127.0.0.1:" + port
                + ": no broker listens there. Is Parley running? Start it with ./parley up, or pass --bootstrap-server.");
        assertThat(status.took()).as("a person is waiting: Kafka's clients retry for 15 s and more").isLessThan(Duration.ofSeconds(10));
    }

    @Test
    void shouldSayThatWhatListensDoesNotSpeakKafkaAsConfigured() throws Exception {
        // given something on a port that accepts connections and never answers, as a listener of another protocol does
        try (var listener = new ServerSocket(0)) {
            Thread acceptor = new Thread(() -> {
                var accepted = new ArrayList<java.net.Socket>();
                while (!listener.isClosed()) {
                    try {
                        accepted.add(listener.accept());
                    } catch (IOException closed) {
                        return;
                    }
                }
            });
            acceptor.setDaemon(true);
            acceptor.start();

            // when a user asks for a timeline there
            Run timeline = run("timeline", "ukraine-peace-2025", "--bootstrap-server", "127.0.0.1:" + listener.getLocalPort());

            // then it names the protocol to check, in one line
            assertThat(timeline.exit()).isEqualTo(2);
            assertThat(timeline.stderr().lines().toList()).singleElement().asString()
                    .contains("does not answer as a Kafka broker with security.protocol PLAINTEXT", "KAFKA_SECURITY_PROTOCOL");
            assertThat(timeline.took()).isLessThan(Duration.ofSeconds(10));
        }
    }

    @Test
    void shouldRunOnAnEmbeddedClusterOfThreeAndGoOnWhenALeaderIsKilled() throws Exception {
        // given parley up --brokers 3
        int httpPort = freePort();
        Path output = home.resolveSibling(home.getFileName() + ".out");
        var builder = new ProcessBuilder(java(), "-jar", JAR.toAbsolutePath().toString(), "up", "--brokers", "3",
                "--home", home.toString(), "--port", String.valueOf(httpPort)).redirectErrorStream(true).redirectOutput(output.toFile());
        builder.environment().keySet().removeIf(name -> name.startsWith("PARLEY_") || name.startsWith("KAFKA_"));
        int kafkaPort = freePort();
        builder.environment().put("PARLEY_KAFKA_PORT", String.valueOf(kafkaPort));
        builder.environment().put("PARLEY_KAFKA_CONTROLLER_PORT", String.valueOf(freePort()));
        Process parley = builder.start();
        try {
            String base = "http://127.0.0.1:" + httpPort;
            Await.until("parley up on three brokers to be ready", Duration.ofSeconds(150), () -> {
                assertThat(parley.isAlive()).as("parley up is running; its output: %s", Files.readString(output)).isTrue();
                return get(base + "/ready").status() == 200;
            });
            assertThat(Files.readString(output)).contains("embedded Kafka cluster of 3 brokers", "(replication 3, min ISR 2)");
            String bootstrap = "127.0.0.1:" + kafkaPort + ",127.0.0.1:" + (kafkaPort + 10) + ",127.0.0.1:" + (kafkaPort + 20);
            int leader;
            try (var admin = org.apache.kafka.clients.admin.Admin.create(java.util.Map.<String, Object>of("bootstrap.servers", bootstrap))) {
                var log = admin.describeTopics(List.of("parley.developments")).allTopicNames().get().get("parley.developments");
                assertThat(log.partitions()).allSatisfy(partition -> assertThat(partition.replicas()).hasSize(3));
                leader = log.partitions().get(0).leader().id();
            }

            // when the leader of a partition of the log of record is killed (SIGKILL)
            ProcessHandle node = parley.descendants().filter(process -> process.info().arguments().stream().flatMap(java.util.Arrays::stream)
                    .anyMatch(argument -> argument.endsWith("node-" + leader + "/server.properties"))).findFirst().orElseThrow();
            node.destroyForcibly();

            // then a development written over HTTP is folded into the view, on the two brokers left
            String token = Files.readString(home.resolve("api-token")).strip();
            String development = "{\"development_id\":\"after-the-kill\",\"negotiation_id\":\"ukraine-peace-2025\","
                    + "\"occurred_on\":{\"start\":\"2025-12-06\",\"precision\":\"DAY\"},\"reported_at\":\"2025-12-06T18:00:00Z\","
                    + "\"type\":\"STATEMENT\",\"summary\":\"Les entretiens se poursuivent.\",\"language\":\"fr\"}";
            Await.until("the development accepted", Duration.ofSeconds(60), () -> http.send(HttpRequest.newBuilder(URI.create(base + "/api/developments"))
                    .header("Authorization", "Bearer " + token).header("Content-Type", "application/json").timeout(Duration.ofSeconds(30))
                    .POST(HttpRequest.BodyPublishers.ofString(development)).build(), HttpResponse.BodyHandlers.ofString()).statusCode() == 202);
            Await.until("the view to hold 24 developments", Duration.ofSeconds(90), () ->
                    get(base + "/api/negotiations/ukraine-peace-2025/status").body().contains("\"development_count\":24"));
        } finally {
            parley.destroy();
            assertThat(parley.waitFor(60, TimeUnit.SECONDS)).as("parley up stops on SIGTERM").isTrue();
        }
    }

    /** The moments of start-up at which a user presses Ctrl-C; each a condition on the running Parley. */
    enum Moment { AT_ONCE, BROKER_STARTING, HEALTHY, READY }

    @org.junit.jupiter.params.ParameterizedTest
    @org.junit.jupiter.params.provider.EnumSource(Moment.class)
    void shouldStopWithinTenSecondsOnCtrlCAtAnyMomentOfStartUpTheBrokerLastWithoutAnError(Moment moment) throws Exception {
        // given parley up starting on a fresh home, as a terminal starts it (SIGINT at its default, whatever the build's)
        int httpPort = freePort();
        Path output = home.resolveSibling(home.getFileName() + ".out");
        var builder = new ProcessBuilder("env", "--default-signal=INT", java(), "-jar", JAR.toAbsolutePath().toString(), "up",
                "--home", home.toString(), "--port", String.valueOf(httpPort)).redirectErrorStream(true).redirectOutput(output.toFile());
        builder.environment().keySet().removeIf(name -> name.startsWith("PARLEY_") || name.startsWith("KAFKA_"));
        builder.environment().put("PARLEY_KAFKA_PORT", String.valueOf(freePort()));
        builder.environment().put("PARLEY_KAFKA_CONTROLLER_PORT", String.valueOf(freePort()));
        Process parley = builder.start();
        try {
            String base = "http://127.0.0.1:" + httpPort;
            Await.until("the moment " + moment, Duration.ofSeconds(120), () -> switch (moment) {
                case AT_ONCE -> true;
                case BROKER_STARTING -> parley.descendants().findAny().isPresent();
                case HEALTHY -> get(base + "/health").status() == 200;
                case READY -> get(base + "/ready").status() == 200;
            });

            // when Ctrl-C reaches every process of the terminal's group: Parley and its broker
            List<ProcessHandle> all = new ArrayList<>(parley.descendants().toList());
            all.add(parley.toHandle());
            long pressed = System.nanoTime();
            for (ProcessHandle process : all) {
                new ProcessBuilder("kill", "-INT", String.valueOf(process.pid())).start().waitFor();
            }

            // then everything stops within 10 s, the broker last, and nothing looks like a crash
            assertThat(parley.waitFor(30, TimeUnit.SECONDS)).as("parley up stops on Ctrl-C").isTrue();
            Duration took = Duration.ofNanos(System.nanoTime() - pressed);
            String printed = Files.readString(output);
            assertThat(took).as("stop after Ctrl-C at %s; it printed:%n%s", moment, printed).isLessThan(Duration.ofSeconds(10));
            Await.until("the broker to be gone", Duration.ofSeconds(5), () -> all.stream().noneMatch(ProcessHandle::isAlive));
            assertThat(printed.lines().filter(line -> line.contains("[ERROR]") || line.startsWith("Exception") || line.startsWith("\tat ")))
                    .as("lines of an error after Ctrl-C at %s", moment).isEmpty();
            List<String> lines = printed.lines().toList();
            String brokerStopped = timeOf(lines, "Stopping Kafka broker");
            String topologyStopped = timeOf(lines, "Status topology PENDING_SHUTDOWN -> NOT_RUNNING");
            if (topologyStopped != null) {
                assertThat(brokerStopped).as("the broker stops after the topology").isGreaterThanOrEqualTo(topologyStopped);
            }
        } finally {
            parley.descendants().forEach(ProcessHandle::destroyForcibly);
            parley.destroyForcibly();
        }
    }

    /** The time stamp ({@code HH:mm:ss.SSS}) of the first log line with {@code text}: threads' lines may interleave out of order. */
    private static String timeOf(List<String> lines, String text) {
        return lines.stream().filter(line -> line.contains(text)).map(line -> line.substring(0, 12)).findFirst().orElse(null);
    }

    /** A one-shot command of the jar, run as a user runs it, with none of this machine's Parley or Kafka settings. */
    private Run run(String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of(java(), "-jar", JAR.toAbsolutePath().toString()));
        command.addAll(List.of(args));
        var builder = new ProcessBuilder(command).directory(home.toFile());
        builder.environment().keySet().removeIf(name -> name.startsWith("PARLEY_") || name.startsWith("KAFKA_"));
        long start = System.nanoTime();
        Process process = builder.start();
        var stdout = process.getInputStream();
        var stderr = process.getErrorStream();
        String out = new String(stdout.readAllBytes(), StandardCharsets.UTF_8);
        String err = new String(stderr.readAllBytes(), StandardCharsets.UTF_8);
        int exit = process.waitFor();
        return new Run(exit, out, err, Duration.ofNanos(System.nanoTime() - start));
    }

    private record Run(int exit, String stdout, String stderr, Duration took) {
    }

    private Answer get(String url) throws IOException, InterruptedException {
        try {
            var response = http.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(5)).build(),
                    HttpResponse.BodyHandlers.ofString());
            return new Answer(response.statusCode(), response.body());
        } catch (ConnectException notYet) {
            return new Answer(0, "");
        }
    }

    private String log() throws IOException {
        List<String> lines = new ArrayList<>(Files.readAllLines(home.resolveSibling(home.getFileName() + ".stdout")));
        lines.addAll(Files.readAllLines(home.resolveSibling(home.getFileName() + ".stderr")));
        return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
    }

    private static String java() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    private static int freePort() throws IOException {
        try (var socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    /** An HTTP answer; status 0 while nothing listens yet. */
    private record Answer(int status, String body) {
    }
}
