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
                return get(base + "/ready").status() == 200
                        && get(base + "/metrics").body().contains("parley_subscription_delivered_total{sink=\"database\",subscription=\"database\"} 23.0");
            });

            // the seed article's 23 developments were loaded, folded, and delivered to the embedded default's sinks
            assertThat(get(base + "/api/negotiations/ukraine-peace-2025/status").body()).contains("\"development_count\":23");
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
