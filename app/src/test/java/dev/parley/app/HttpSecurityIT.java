package dev.parley.app;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.localkafka.KafkaBroker;
import dev.parley.localkafka.junit.KafkaExtension;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * What a browser is told by a real Parley on the run's shared broker: every kind of answer carries the security
 * headers, and no other origin is granted anything by CORS.
 */
@ExtendWith(KafkaExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(value = 3, unit = TimeUnit.MINUTES)
class HttpSecurityIT {

    private static final String TOKEN = "http-security-token";
    private static final String ELSEWHERE = "https://elsewhere.example";

    @TempDir
    static Path home;

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private Pipeline pipeline;
    private WebServer web;

    @BeforeAll
    void startParley(KafkaBroker kafka) throws Exception {
        AppSettings settings = AppSettings.from(Map.of("PARLEY_APPLICATION_ID", "http-security-it", "PARLEY_PORT", "0",
                        "PARLEY_API_TOKEN", TOKEN, "PARLEY_RATE_LIMIT_PER_SECOND", "10000"))
                .withBootstrapServers(kafka.bootstrapServers()).withHome(home);
        pipeline = Pipeline.start(settings);
        web = WebServer.start(pipeline, settings);
        Await.until("the topology answers queries", Duration.ofSeconds(90), () -> pipeline.isRunning() && pipeline.canAnswerQueries());
    }

    @AfterAll
    void stopParley() {
        if (web != null) {
            web.close();
        }
        if (pipeline != null) {
            pipeline.close();
        }
    }

    // ---- headers ----

    @Test
    void shouldSendTheSecurityHeadersWithEveryKindOfAnswer() throws Exception {
        // given one request of each kind a browser could make
        Map<String, HttpResponse<?>> answers = new LinkedHashMap<>();
        answers.put("dashboard page", send(get("/")));
        answers.put("dashboard script", send(get("/dashboard.js")));
        answers.put("API read", send(get("/api/negotiations")));
        answers.put("API read, unknown negotiation", send(get("/api/negotiations/no-such-talks/status")));
        answers.put("API read, malformed parameter", send(get("/api/negotiations/x/status?asOf=2025-13-01")));
        answers.put("API write without a token", send(post("{}", null)));
        answers.put("API write, not JSON", send(post("{\"development_id\":", TOKEN)));
        answers.put("health probe", send(get("/health")));
        answers.put("unknown path", send(get("/no/such/page")));
        answers.put("event stream asked as JSON", send(get("/api/changes").header("Accept", "application/json")));

        // and a live event stream, whose headers arrive before its first event
        try (var stream = SseReader.open(http, uri("/api/changes"), null)) {
            assertThat(stream.nextLine(Duration.ofSeconds(30))).isEqualTo(": connected");
            answers.put("event stream", stream.response);

            // then every answer, whatever its status, carries them all
            assertThat(answers).allSatisfy((kind, response) -> {
                HttpHeaders headers = response.headers();
                assertThat(headers.firstValue("Content-Security-Policy")).as(kind).contains(SecurityHeaders.CONTENT_SECURITY_POLICY);
                assertThat(headers.firstValue("X-Content-Type-Options")).as(kind).contains("nosniff");
                assertThat(headers.firstValue("X-Frame-Options")).as(kind).contains("DENY");
                assertThat(headers.firstValue("Referrer-Policy")).as(kind).contains("no-referrer");
                assertThat(headers.map().keySet()).as(kind).noneMatch(name -> name.toLowerCase().startsWith("access-control-"));
            });
        }
        assertThat(answers).extractingByKeys("dashboard page", "API read", "API read, unknown negotiation", "API write without a token",
                        "API write, not JSON", "unknown path", "event stream")
                .extracting(HttpResponse::statusCode).containsExactly(200, 200, 404, 401, 400, 404, 200);
    }

    @Test
    void shouldForbidFramingAndForeignScriptsInThePolicy() {
        // The dashboard loads its own script and style and opens an EventSource and fetches to its own origin: 'self'
        // covers all of it (DashboardIT drives the page in Chromium under this policy).
        assertThat(SecurityHeaders.CONTENT_SECURITY_POLICY)
                .contains("default-src 'self'", "script-src 'self'", "connect-src 'self'", "object-src 'none'", "frame-ancestors 'none'")
                .doesNotContain("unsafe-inline", "unsafe-eval", "*");
    }

    // ---- CORS: closed ----

    @Test
    void shouldGrantAnotherOriginNoReadOfAnAnswer() throws Exception {
        // when a page on another origin reads the API (the browser adds Origin)
        var response = send(get("/api/negotiations").header("Origin", ELSEWHERE));

        // then the server answers, but allows no origin to read the answer: the browser withholds it from the page
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Access-Control-Allow-Origin")).isEmpty();
        assertThat(response.headers().firstValue("Access-Control-Allow-Credentials")).isEmpty();
    }

    @Test
    void shouldGrantAnotherOriginNoWriteInAPreflight() throws Exception {
        // when a page on another origin asks whether it may POST a development with a token
        var preflight = send(HttpRequest.newBuilder(uri(DevelopmentsEndpoint.PATH)).timeout(Duration.ofSeconds(20))
                .method("OPTIONS", HttpRequest.BodyPublishers.noBody())
                .header("Origin", ELSEWHERE)
                .header("Access-Control-Request-Method", "POST")
                .header("Access-Control-Request-Headers", "authorization, content-type"));

        // then nothing is allowed, so the browser never sends the write
        assertThat(preflight.statusCode()).isGreaterThanOrEqualTo(400);
        assertThat(preflight.headers().map().keySet()).noneMatch(name -> name.toLowerCase().startsWith("access-control-"));
        assertThat(preflight.headers().firstValue("X-Frame-Options")).contains("DENY");
    }

    @Test
    void shouldAllowNoOriginOnAWriteThatArrivesAnyway() throws Exception {
        // when a cross-origin write arrives without a preflight (a form post cannot carry the token)
        var response = send(post("{}", null).header("Origin", ELSEWHERE));

        // then it is refused for want of a token, and nothing invites a browser to show the answer to that origin
        assertThat(response.statusCode()).isEqualTo(401);
        assertThat(response.headers().firstValue("Access-Control-Allow-Origin")).isEmpty();
    }

    // ---- helpers ----

    private URI uri(String pathAndQuery) {
        return URI.create("http://127.0.0.1:" + web.port() + pathAndQuery);
    }

    private HttpRequest.Builder get(String pathAndQuery) {
        return HttpRequest.newBuilder(uri(pathAndQuery)).timeout(Duration.ofSeconds(20)).GET();
    }

    private HttpRequest.Builder post(String body, String token) {
        var request = HttpRequest.newBuilder(uri(DevelopmentsEndpoint.PATH)).timeout(Duration.ofSeconds(30))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body));
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        return request;
    }

    private HttpResponse<String> send(HttpRequest.Builder request) throws Exception {
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }
}
