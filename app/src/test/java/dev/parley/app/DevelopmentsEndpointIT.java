package dev.parley.app;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.parley.localkafka.LocalKafka;
import dev.parley.localkafka.LocalKafkaSettings;
import dev.parley.schemas.Development;
import dev.parley.schemas.NegotiationStatus;
import dev.parley.schemas.json.AvroJson;
import java.io.ByteArrayInputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.streams.errors.InvalidStateStoreException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code POST /api/developments} on a real broker of its own (the tests stop it): tokens, limits, validation,
 * publishing once, and 503 rather than a 2xx while Kafka cannot acknowledge.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class DevelopmentsEndpointIT {

    private static final String NEGOTIATION = "ingest-talks";
    private static final String TOKEN = "test-token";
    private static final int MAX_BODY_BYTES = 16 * 1024;

    @TempDir
    static Path dir;

    private LocalKafka kafka;
    private AppSettings settings;
    private Pipeline pipeline;
    private WebServer web;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @BeforeAll
    void startParley() throws Exception {
        kafka = new LocalKafka(LocalKafkaSettings.in(dir.resolve("kafka")));
        kafka.start();
        settings = settings(Map.of());
        pipeline = Pipeline.start(settings);
        web = WebServer.start(pipeline, settings);
        Await.until("the topology answers queries", Duration.ofSeconds(60), () -> pipeline.isRunning() && pipeline.canQuery());
    }

    @AfterAll
    void stopParley() {
        for (AutoCloseable started : new AutoCloseable[] {web, pipeline, kafka}) {
            try {
                if (started != null) {
                    started.close();
                }
            } catch (Exception e) {
                System.err.println("Error while stopping " + started + ": " + e);
            }
        }
    }

    private AppSettings settings(Map<String, String> overrides) {
        var env = new java.util.HashMap<>(Map.of("PARLEY_APPLICATION_ID", "ingest-it", "PARLEY_API_TOKEN", TOKEN,
                "PARLEY_PORT", "0", "PARLEY_MAX_BODY_BYTES", String.valueOf(MAX_BODY_BYTES),
                "PARLEY_RATE_LIMIT_PER_SECOND", "1000"));
        env.putAll(overrides);
        return AppSettings.from(env).withBootstrapServers(kafka.bootstrapServers()).withHome(dir.resolve("home"));
    }

    // ---- requests that publish nothing ----

    @Test
    @Order(1)
    void shouldAsk401ForATokenWhenThereIsNone() throws Exception {
        // when
        var response = post(web, null, HttpRequest.BodyPublishers.ofString(batch("no-token")));

        // then
        assertThat(response.statusCode()).isEqualTo(401);
        assertThat(response.headers().firstValue("WWW-Authenticate")).hasValueSatisfying(v -> assertThat(v).startsWith("Bearer"));
        assertThat(json(response).get("message").asText()).contains("Authorization: Bearer <token>");
    }

    @Test
    @Order(2)
    void shouldRefuseAWrongTokenWith403() throws Exception {
        // when
        var response = post(web, "not-the-token", HttpRequest.BodyPublishers.ofString(batch("wrong-token")));

        // then
        assertThat(response.statusCode()).isEqualTo(403);
        assertThat(json(response).get("message").asText()).isEqualTo("The API token is not the right one.");
    }

    @Test
    @Order(3)
    void shouldRefuseABodyOverTheLimitWith413WhetherItsLengthIsDeclaredOrNot() throws Exception {
        // given a body over the limit
        String large = "[" + String.join(",", java.util.Collections.nCopies(200, development("too-large", "2025-12-02"))) + "]";
        assertThat(large.length()).isGreaterThan(MAX_BODY_BYTES);

        // when it is sent with a Content-Length, then chunked
        var declared = post(web, TOKEN, HttpRequest.BodyPublishers.ofString(large));
        var chunked = post(web, TOKEN, HttpRequest.BodyPublishers.ofInputStream(
                () -> new ByteArrayInputStream(large.getBytes(StandardCharsets.UTF_8))));

        // then
        assertThat(declared.statusCode()).isEqualTo(413);
        assertThat(json(declared).get("max_body_bytes").asInt()).isEqualTo(MAX_BODY_BYTES);
        assertThat(json(declared).get("message").asText()).startsWith("The body is " + large.length() + " bytes;");
        assertThat(chunked.statusCode()).isEqualTo(413);
        assertThat(json(chunked).get("message").asText()).startsWith("The body is more than " + MAX_BODY_BYTES + " bytes;");
    }

    @Test
    @Order(4)
    void shouldListEveryErrorWithItsPositionWith400AndPublishNothing() throws Exception {
        // given a batch whose second development has an impossible date and no summary
        String body = "[" + development("valid-but-not-published", "2025-12-02") + ","
                + development("bad-date", "2025-13-02").replace("\"summary\":\"s\",", "") + "]";

        // when
        var response = post(web, TOKEN, HttpRequest.BodyPublishers.ofString(body));

        // then
        assertThat(response.statusCode()).isEqualTo(400);
        JsonNode errors = json(response).get("errors");
        assertThat(errors).hasSize(2);
        assertThat(errors.get(0).get("index").asInt()).isEqualTo(1);
        assertThat(errors.get(0).get("field").asText()).isEqualTo("occurred_on.start");
        assertThat(errors.get(0).get("value").asText()).isEqualTo("\"2025-13-02\"");
        assertThat(errors.get(0).get("expected").asText()).isEqualTo("a date (expected YYYY-MM-DD)");
        assertThat(errors.get(0).get("message").asText()).isEqualTo("occurred_on.start: \"2025-13-02\" is not a date (expected YYYY-MM-DD)");
        assertThat(errors.get(1).get("field").asText()).isEqualTo("summary");
        assertThat(errors.get(1).get("value").isNull()).isTrue();
    }

    @Test
    @Order(5)
    void shouldNameTheProblemWith400WhenTheBodyIsNotJson() throws Exception {
        // when
        var response = post(web, TOKEN, HttpRequest.BodyPublishers.ofString("{\"development_id\": \"a\","));

        // then
        assertThat(response.statusCode()).isEqualTo(400);
        JsonNode error = json(response).get("errors").get(0);
        assertThat(error.has("index")).isFalse();
        assertThat(error.get("field").asText()).isEqualTo("body");
        assertThat(error.get("expected").asText()).startsWith("JSON (Unexpected end-of-input").contains("line 1, column");
    }

    // ---- publishing ----

    @Test
    @Order(10)
    void shouldPublishAValidBatchOnceEvenWhenItIsSentTwice() throws Exception {
        // given
        String body = batch("moscow-meeting", "florida-talks");

        // when it is sent
        var first = post(web, TOKEN, HttpRequest.BodyPublishers.ofString(body));

        // then Kafka has it, and the view shows it
        assertThat(first.statusCode()).isEqualTo(202);
        assertThat(json(first)).isEqualTo(AvroJson.MAPPER.readTree("""
                {"accepted":2,"duplicates":0,"developments":[
                  {"negotiation_id":"ingest-talks","development_id":"moscow-meeting","revision":1,"result":"published"},
                  {"negotiation_id":"ingest-talks","development_id":"florida-talks","revision":1,"result":"published"}]}
                """));
        Await.until("the view holds both developments", Duration.ofSeconds(30), () -> developmentCount() == 2);

        // when it is sent again
        var second = post(web, TOKEN, HttpRequest.BodyPublishers.ofString(body));

        // then the answer is the same, and the log holds each development once
        assertThat(second.statusCode()).isEqualTo(202);
        assertThat(second.body()).isEqualTo(first.body());
        assertThat(idsOnTheLog()).containsExactlyInAnyOrder("moscow-meeting", "florida-talks");
    }

    @Test
    @Order(20)
    void shouldAnswer503WhileKafkaIsDownAndPublishOnceItIsBack() throws Exception {
        // given Kafka is down
        String body = batch("kyiv-consultations");
        kafka.stop();

        // when a development is sent
        HttpResponse<String> down;
        try {
            down = post(web, TOKEN, HttpRequest.BodyPublishers.ofString(body));
        } finally {
            kafka.start();
        }

        // then it is not accepted, and the client is told to come back
        assertThat(down.statusCode()).isEqualTo(503);
        assertThat(down.headers().firstValue("Retry-After")).contains("5");
        assertThat(json(down).get("message").asText()).contains("nothing was acknowledged");
        assertThat(json(down).get("acknowledged").asInt()).isZero();

        // when the same request is sent again once Kafka is back (retried while Parley reconnects)
        HttpResponse<String> back = postUntilNot503(body, Duration.ofSeconds(45));

        // then it is published, once, and nothing published before was lost
        assertThat(back.statusCode()).isEqualTo(202);
        assertThat(json(back).get("developments").get(0).get("result").asText()).isEqualTo("published");
        assertThat(idsOnTheLog()).containsExactlyInAnyOrder("moscow-meeting", "florida-talks", "kyiv-consultations");
        Await.until("the view holds all three developments", Duration.ofSeconds(30), () -> developmentCount() == 3);
    }

    @Test
    @Order(30)
    void shouldAnswer429WithRetryAfterOverTheRateLimit() throws Exception {
        // given a server allowing 1 write a second, in bursts of 2
        try (WebServer strict = WebServer.start(pipeline, settings(Map.of("PARLEY_RATE_LIMIT_PER_SECOND", "1")))) {
            // when one client sends more, at once
            List<HttpResponse<String>> responses = new ArrayList<>();
            for (int i = 0; i < 10; i++) {
                responses.add(post(strict, null, HttpRequest.BodyPublishers.ofString(batch("rate-limited"))));
            }

            // then the burst is served, and the rest is told when to come back
            assertThat(responses).extracting(HttpResponse::statusCode).startsWith(401, 401).contains(429);
            var limited = responses.stream().filter(r -> r.statusCode() == 429).findFirst().orElseThrow();
            assertThat(limited.headers().firstValue("Retry-After")).contains("1");
            assertThat(json(limited).get("message").asText()).startsWith("Too many requests from ");
        }
    }

    // ---- fuzzed bodies ----

    @Test
    @Order(40)
    void shouldAnswerEveryFuzzedBodyWithAJsonAnswerAndKeepServing() throws Exception {
        // given a few hundred of the unit fuzz's inputs (every one of the rarer kinds, a sample of the others), and a
        // server that reads bodies up to the default 1 MiB
        List<FuzzInputs.Input> bodies = new ArrayList<>();
        Map<String, Integer> seen = new java.util.HashMap<>();
        for (FuzzInputs.Input input : FuzzInputs.all(DevelopmentInputFuzzTest.SEED)) {
            int every = switch (input.kind()) {
                case "mutated" -> 100;
                case "random JSON", "lines" -> 30;
                case "truncated", "wrong type" -> 20;
                case "batch", "unknown field", "number", "control character" -> 5;
                case "YAML", "CSV" -> Integer.MAX_VALUE;
                default -> 1;
            };
            if (seen.merge(input.kind(), 1, Integer::sum) % every == 1 % every) {
                bodies.add(input);
            }
        }
        Map<Integer, Integer> statuses = new java.util.TreeMap<>();
        List<String> problems = new ArrayList<>();
        long accepted = 0;

        try (WebServer server = WebServer.start(pipeline, settings(Map.of("PARLEY_MAX_BODY_BYTES", "1048576")))) {
            // when each is sent
            for (FuzzInputs.Input input : bodies) {
                var response = post(server, TOKEN, HttpRequest.BodyPublishers.ofByteArray(input.bytes()));
                statuses.merge(response.statusCode(), 1, Integer::sum);

                // then each answer is 202, 400 or 413, in JSON, with a message, and a 400 lists its errors
                String problem = fuzzAnswerProblem(response);
                if (problem != null) {
                    problems.add(input + " -> " + response.statusCode() + ": " + problem);
                }
                accepted += response.statusCode() == 202 ? 1 : 0;
            }

            // and the server still answers, and the topology folded what was accepted
            assertThat(get(server, "/health").statusCode()).isEqualTo(200);
            pipeline.awaitCaughtUp(Duration.ofSeconds(60));
            assertThat(get(server, "/ready").statusCode()).isEqualTo(200);
            assertThat(pipeline.isRunning()).isTrue();
            assertThat(pipeline.status("fuzz-talks")).isPresent();
        }
        System.out.printf("Fuzzed POST %s: %d bodies, answers %s%n", DevelopmentsEndpoint.PATH, bodies.size(), statuses);
        assertThat(bodies).hasSizeGreaterThan(300);
        assertThat(accepted).isPositive();
        assertThat(problems).isEmpty();
    }

    private static String fuzzAnswerProblem(HttpResponse<String> response) {
        int status = response.statusCode();
        if (status != 202 && status != 400 && status != 413) {
            return "not 202, 400 or 413";
        }
        if (response.headers().firstValue("Content-Type").filter(type -> type.startsWith("application/json")).isEmpty()) {
            return "not JSON";
        }
        JsonNode json;
        try {
            json = AvroJson.MAPPER.readTree(response.body());
        } catch (Exception e) {
            return "a body that is not JSON: " + e.getMessage();
        }
        if (status == 202) {
            return json.get("developments").size() > 0 ? null : "202 without developments";
        }
        if (json.path("message").asText().isBlank()) {
            return "no message";
        }
        if (status == 400) {
            JsonNode errors = json.get("errors");
            if (errors == null || errors.isEmpty() || errors.size() > DevelopmentsEndpoint.MAX_LISTED_ERRORS) {
                return "400 listing " + (errors == null ? "no" : errors.size()) + " errors";
            }
            for (JsonNode error : errors) {
                if (error.path("field").asText().isBlank() || error.path("expected").asText().isBlank()
                        || error.path("message").asText().length() > DevelopmentInputFuzzTest.MAX_MESSAGE_CHARS) {
                    return "an unclear error: " + error;
                }
            }
        }
        return null;
    }

    private HttpResponse<String> get(WebServer server, String path) throws Exception {
        return OpenApiContract.matches(http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + path))
                .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString()));
    }

    // ---- helpers ----

    private static String development(String id, String date) {
        return "{\"development_id\":\"" + id + "\",\"negotiation_id\":\"" + NEGOTIATION + "\","
                + "\"occurred_on\":{\"start\":\"" + date + "\",\"precision\":\"DAY\"},\"reported_at\":\"2025-12-02T18:00:00Z\","
                + "\"type\":\"MEETING\",\"subject\":\"meeting:" + id + "\",\"summary\":\"s\",\"language\":\"fr\"}";
    }

    private static String batch(String... ids) {
        return "[" + String.join(",", java.util.Arrays.stream(ids).map(id -> development(id, "2025-12-02")).toList()) + "]";
    }

    private HttpResponse<String> post(WebServer server, String token, HttpRequest.BodyPublisher body) throws Exception {
        var request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + DevelopmentsEndpoint.PATH))
                .timeout(Duration.ofSeconds(30))
                .header("Content-Type", "application/json")
                .POST(body);
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        return OpenApiContract.matches(http.send(request.build(), HttpResponse.BodyHandlers.ofString()));
    }

    private HttpResponse<String> postUntilNot503(String body, Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            var response = post(web, TOKEN, HttpRequest.BodyPublishers.ofString(body));
            if (response.statusCode() != 503 || System.nanoTime() > deadline) {
                return response;
            }
            Thread.sleep(500);
        }
    }

    private static JsonNode json(HttpResponse<String> response) throws Exception {
        assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(v -> assertThat(v).startsWith("application/json"));
        return AvroJson.MAPPER.readTree(response.body());
    }

    private int developmentCount() {
        try {
            return pipeline.status(NEGOTIATION).map(NegotiationStatus::getDevelopmentCount).orElse(0);
        } catch (InvalidStateStoreException rebalancing) {
            return -1;
        }
    }

    private List<String> idsOnTheLog() {
        var developments = TopicSnapshot.developments(kafka.bootstrapServers(), NEGOTIATION, Duration.ofSeconds(30));
        assertThat(developments.unreadable()).isZero();
        return developments.readable().stream().map(Development::getDevelopmentId).toList();
    }
}
