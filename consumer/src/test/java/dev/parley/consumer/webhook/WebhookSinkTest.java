package dev.parley.consumer.webhook;

import static dev.parley.consumer.Delivery.DELIVERED;
import static dev.parley.consumer.Delivery.LEFT_OUT;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.parley.consumer.RejectedChangeException;
import dev.parley.consumer.SinkGoneException;
import dev.parley.schemas.Change;
import dev.parley.schemas.ChangeKind;
import dev.parley.schemas.StatusChange;
import dev.parley.schemas.json.AvroJson;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicReference;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class WebhookSinkTest {

    private static final String SECRET = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
    private static final Instant NOW = Instant.parse("2025-12-02T18:00:00Z");
    private static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);

    private Receiver receiver;

    @BeforeEach
    void startReceiver() throws IOException {
        receiver = new Receiver();
    }

    @AfterEach
    void stopReceiver() {
        receiver.close();
    }

    @Test
    void shouldSignWithStandardWebhooksHeaders() throws Exception {
        // given a receiver that accepts
        var sink = sink(Duration.ofSeconds(5));

        // when a change is delivered
        boolean delivered = sink.accept(change(3));

        // then it was posted once as JSON, with a signature the receiver can check on its own
        assertThat(delivered).isTrue();
        assertThat(receiver.deliveries).hasSize(1);
        Delivery delivery = receiver.deliveries.get(0);
        assertThat(delivery.header("Content-Type")).isEqualTo("application/json");
        assertThat(delivery.header("webhook-id")).isEqualTo("ukraine-peace-2025:3");
        assertThat(delivery.header("webhook-timestamp")).isEqualTo(String.valueOf(NOW.getEpochSecond()));
        assertThat(delivery.header("webhook-signature"))
                .isEqualTo(independentSignature(SECRET, delivery.header("webhook-id"), delivery.header("webhook-timestamp"), delivery.body()));
        assertThat(delivery.body()).isEqualTo(AvroJson.toJsonString(change(3)));
        var json = AvroJson.MAPPER.readTree(delivery.body());
        assertThat(json.get("negotiation_id").asText()).isEqualTo("ukraine-peace-2025");
        assertThat(json.get("to_version").asLong()).isEqualTo(3);
        assertThat(json.get("changes").get(0).get("kind").asText()).isEqualTo("MEETING_SCHEDULED");
        assertThat(json.get("known_at").asText()).isEqualTo("2025-12-02T18:00:00Z");
    }

    @Test
    void shouldRetryWithTheSameWebhookIdAfterAServerError() throws Exception {
        // given a receiver that fails once, then accepts
        receiver.answer(503, "<html>upstream down</html>");
        receiver.answer(200, "ok");
        var sink = sink(Duration.ofSeconds(5));

        // when the change is offered twice, as the subscriber retries
        assertThatThrownBy(() -> sink.accept(change(3)))
                .isInstanceOf(IOException.class)
                .hasMessageContaining(receiver.uri().toString())
                .hasMessageContaining("503")
                .hasMessageContaining("upstream down")
                .hasMessageContaining("retryable");
        boolean delivered = sink.accept(change(3));

        // then the second attempt delivered it, under the same webhook-id, and it was accepted once
        assertThat(delivered).isTrue();
        assertThat(receiver.deliveries).extracting(d -> d.header("webhook-id"))
                .containsExactly("ukraine-peace-2025:3", "ukraine-peace-2025:3");
        assertThat(receiver.accepted).containsExactly(AvroJson.toJsonString(change(3)));
        for (Delivery delivery : receiver.deliveries) {
            assertThat(delivery.header("webhook-signature")).isEqualTo(
                    independentSignature(SECRET, delivery.header("webhook-id"), delivery.header("webhook-timestamp"), delivery.body()));
        }
    }

    @Test
    void shouldNotPostAVersionItAlreadyDelivered() throws Exception {
        // given versions 1 and 2 delivered
        var sink = sink(Duration.ofSeconds(5));
        sink.accept(change(1));
        sink.accept(change(2));

        // when version 1 is replayed, then version 3 arrives
        boolean replayed = sink.accept(change(1));
        boolean next = sink.accept(change(3));

        // then the replay is skipped without a request, and the new version goes out
        assertThat(replayed).isFalse();
        assertThat(next).isTrue();
        assertThat(receiver.deliveries).extracting(d -> d.header("webhook-id"))
                .containsExactly("ukraine-peace-2025:1", "ukraine-peace-2025:2", "ukraine-peace-2025:3");
    }

    @Test
    void shouldPostNegotiationsSideBySideEachInOrderAndLeaveOutWhatFollowsAFailure() throws Exception {
        // given a receiver that holds each of the first two requests until both have arrived, and refuses talks-b v2 once
        receiver.together = new CountDownLatch(2);
        receiver.failOnce.add("talks-b:2");
        var sink = sink(Duration.ofSeconds(10));
        List<StatusChange> changes = List.of(change("talks-a", 1), change("talks-b", 1), change("talks-a", 2),
                change("talks-b", 2), change("talks-a", 3), change("talks-b", 3));

        // when a poll's worth of changes is offered at once
        List<dev.parley.consumer.Delivery> outcomes = sink.acceptAll(changes); // not the receiver's Delivery

        // then the two negotiations were posted side by side, each in order, and talks-b stopped at its failure
        assertThat(receiver.metTogether).isTrue();
        assertThat(outcomes).containsExactly(DELIVERED, DELIVERED, DELIVERED, LEFT_OUT, DELIVERED, LEFT_OUT);
        assertThat(receiver.deliveries).extracting(d -> d.header("webhook-id")).filteredOn(id -> id.startsWith("talks-a"))
                .containsExactly("talks-a:1", "talks-a:2", "talks-a:3");
        assertThat(receiver.deliveries).extracting(d -> d.header("webhook-id")).filteredOn(id -> id.startsWith("talks-b"))
                .containsExactly("talks-b:1", "talks-b:2");
        // and what was left out is delivered one at a time afterwards, as the subscription offers it again
        assertThat(sink.accept(change("talks-b", 2))).isTrue();
        assertThat(sink.accept(change("talks-b", 3))).isTrue();
        assertThat(receiver.accepted).hasSize(6);
        sink.close();
    }

    @Test
    void shouldReportTheSinkGoneOnGone() {
        // given a receiver that says it is gone, behind a URL carrying a token
        receiver.answer(410, "endpoint disabled");
        var sink = sink(receiver.uri("?token=t0ken"), Duration.ofSeconds(5));

        // when a change is delivered, then the sink is reported gone, naming the URL but not the token
        assertThatThrownBy(() -> sink.accept(change(3)))
                .isInstanceOf(SinkGoneException.class)
                .hasMessageContaining(receiver.uri() + "?…")
                .hasMessageNotContaining("t0ken");
    }

    @Test
    void shouldRejectTheChangeOnBadRequest() throws Exception {
        // given a receiver that refuses the change
        receiver.answer(400, "{\"error\": \"unknown negotiation\"}");
        var sink = sink(Duration.ofSeconds(5));

        // when it is delivered, then that one change is rejected with the receiver's reason
        assertThatThrownBy(() -> sink.accept(change(3)))
                .isInstanceOf(RejectedChangeException.class)
                .hasMessageContaining(receiver.uri().toString())
                .hasMessageContaining("400")
                .hasMessageContaining("unknown negotiation");
        // and it is not remembered as delivered: offered again, it is posted again
        assertThat(sink.accept(change(3))).isTrue();
        assertThat(receiver.deliveries).hasSize(2);
    }

    @ParameterizedTest
    @ValueSource(ints = {408, 429, 500, 502, 302, 401, 404})
    void shouldThrowARetryableErrorOnTransientAnswers(int status) {
        // given a receiver answering with a status worth retrying (a redirect is not followed)
        receiver.answer(status, "try later", Map.of("Retry-After", "30"));
        var sink = sink(Duration.ofSeconds(5));

        // when a change is delivered, then it fails with a retryable error naming URL, status and reason
        assertThatThrownBy(() -> sink.accept(change(3)))
                .isExactlyInstanceOf(IOException.class)
                .hasMessageContaining(receiver.uri().toString())
                .hasMessageContaining(String.valueOf(status))
                .hasMessageContaining("try later")
                .hasMessageContaining("wait 30");
    }

    @Test
    void shouldQuoteOnlyTheStartOfALongErrorPage() {
        // given a receiver answering 500 with a megabyte-long error page
        receiver.answer(500, "<html><body>Internal error " + "x".repeat(1_000_000) + "</body></html>");
        var sink = sink(Duration.ofSeconds(5));

        // when a change is delivered, then the message quotes a short excerpt of it
        assertThatThrownBy(() -> sink.accept(change(3)))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("Internal error xxx")
                .hasMessageContaining("…")
                .satisfies(e -> assertThat(e.getMessage()).hasSizeLessThan(500));
    }

    @Test
    void shouldGiveUpWithinTheRequestTimeoutWhenTheReceiverNeverAnswers() {
        // given a receiver that takes the request and never answers
        receiver.neverAnswer();
        var sink = sink(Duration.ofMillis(300));

        // when a change is delivered
        long start = System.nanoTime();
        var failure = new AtomicReference<Throwable>();
        try {
            sink.accept(change(3));
        } catch (Exception e) {
            failure.set(e);
        }
        Duration took = Duration.ofNanos(System.nanoTime() - start);

        // then it fails soon after the request timeout, with a retryable error naming the URL
        assertThat(failure.get())
                .isInstanceOf(IOException.class)
                .hasMessageContaining(receiver.uri().toString())
                .hasMessageContaining("did not answer within 300 ms");
        assertThat(took).isLessThan(Duration.ofSeconds(3));
    }

    @Test
    void shouldRefuseALoopbackTargetUnlessPrivateTargetsAreAllowed() {
        // given the receiver on 127.0.0.1 and private targets not allowed
        // when a sink is built for it, then it is refused, saying how to allow it
        assertThatThrownBy(() -> WebhookSink.create("hook", receiver.uri(), SECRET, false))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(receiver.uri().toString())
                .hasMessageContaining("127.0.0.1")
                .hasMessageContaining("PARLEY_WEBHOOK_ALLOW_PRIVATE_TARGETS=true");
    }

    @Test
    void shouldCheckTheTargetAgainBeforeEachDelivery() throws Exception {
        // given a host that resolved to a public address when the sink was built
        var address = new AtomicReference<>(InetAddress.getByName("93.184.216.34"));
        var targets = new WebhookTargets(host -> new InetAddress[] {address.get()}, false);
        var sink = new WebhookSink("hook", URI.create("https://hooks.example.org/parley"), SECRET, Duration.ofSeconds(1),
                targets, WebhookSink.httpClient(Duration.ofSeconds(1)), CLOCK);

        // when its DNS now points at the cloud metadata address
        address.set(InetAddress.getByName("169.254.169.254"));

        // then the delivery is refused before anything is sent
        assertThatThrownBy(() -> sink.accept(change(3)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("169.254.169.254")
                .hasMessageContaining("PARLEY_WEBHOOK_ALLOW_PRIVATE_TARGETS=true");
    }

    @Test
    void shouldRefuseAClientThatFollowsRedirects() {
        // given a client that follows redirects (one could lead to a refused address)
        var client = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NORMAL).build();

        // when a sink is built with it, then it is refused
        assertThatThrownBy(() -> new WebhookSink("hook", receiver.uri(), SECRET, Duration.ofSeconds(1),
                new WebhookTargets(WebhookTargets.DNS, true), client, CLOCK))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("must not follow redirects");
    }

    private WebhookSink sink(Duration requestTimeout) {
        return sink(receiver.uri(), requestTimeout);
    }

    private static WebhookSink sink(URI target, Duration requestTimeout) {
        // The receiver listens on 127.0.0.1, so private targets must be allowed.
        return new WebhookSink("hook", target, SECRET, requestTimeout, new WebhookTargets(WebhookTargets.DNS, true),
                WebhookSink.httpClient(Duration.ofSeconds(2)), CLOCK);
    }

    private static StatusChange change(long version) {
        return change("ukraine-peace-2025", version);
    }

    private static StatusChange change(String negotiation, long version) {
        return StatusChange.newBuilder()
                .setNegotiationId(negotiation)
                .setFromVersion(version - 1)
                .setToVersion(version)
                .setChanges(List.of(Change.newBuilder()
                        .setKind(ChangeKind.MEETING_SCHEDULED)
                        .setItem("meeting:florida-follow-up")
                        .setBefore(null)
                        .setAfter("{\"place\":\"Floride\",\"summary\":\"« très bonne »\"}")
                        .build()))
                .setCausedBy(List.of("florida-talks-announced"))
                .setKnownAt(Instant.parse("2025-12-02T18:00:00Z"))
                .setReplayed(false)
                .build();
    }

    /** What a receiver computes per the specification, without the code under test. */
    private static String independentSignature(String secret, String id, String timestamp, String body) throws Exception {
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(Base64.getDecoder().decode(secret.substring("whsec_".length())), "HmacSHA256"));
        byte[] signed = mac.doFinal((id + "." + timestamp + "." + body).getBytes(StandardCharsets.UTF_8));
        return "v1," + Base64.getEncoder().encodeToString(signed);
    }

    record Delivery(Headers headers, String body) {
        String header(String name) {
            return headers.getFirst(name);
        }
    }

    record Answer(int status, String body, Map<String, String> headers, boolean silent) {
    }

    /** A webhook receiver on 127.0.0.1 that answers as scripted (204 when nothing is left) and records what it got. */
    static final class Receiver implements AutoCloseable {

        final List<Delivery> deliveries = new CopyOnWriteArrayList<>();
        final List<String> accepted = new CopyOnWriteArrayList<>();
        /** Webhook ids answered 503 the first time they come. */
        final java.util.Set<String> failOnce = java.util.concurrent.ConcurrentHashMap.newKeySet();
        /** When set, the requests it counts are each held until all of them have arrived (at most 5 s). */
        volatile CountDownLatch together;
        volatile boolean metTogether;
        private final Queue<Answer> answers = new ConcurrentLinkedQueue<>();
        private final CountDownLatch closing = new CountDownLatch(1);
        private final ExecutorService threads = Executors.newCachedThreadPool();
        private final HttpServer server;

        Receiver() throws IOException {
            server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
            server.setExecutor(threads); // a silent answer must not block the next request
            server.createContext("/hook", this::handle);
            server.start();
        }

        URI uri() {
            return uri("");
        }

        URI uri(String suffix) {
            return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/hook" + suffix);
        }

        void answer(int status, String body) {
            answer(status, body, Map.of());
        }

        void answer(int status, String body, Map<String, String> headers) {
            answers.add(new Answer(status, body, headers, false));
        }

        void neverAnswer() {
            answers.add(new Answer(0, "", Map.of(), true));
        }

        private void handle(HttpExchange exchange) throws IOException {
            try (exchange) {
                String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
                deliveries.add(new Delivery(exchange.getRequestHeaders(), body));
                CountDownLatch gate = together;
                if (gate != null && gate.getCount() > 0) {
                    gate.countDown();
                    metTogether = gate.await(5, java.util.concurrent.TimeUnit.SECONDS) || metTogether;
                }
                Answer answer = failOnce.remove(exchange.getRequestHeaders().getFirst("webhook-id"))
                        ? new Answer(503, "busy", Map.of(), false) : answers.poll();
                if (answer == null) {
                    answer = new Answer(204, "", Map.of(), false);
                }
                if (answer.silent()) {
                    closing.await();
                    return;
                }
                if (answer.status() / 100 == 2) {
                    accepted.add(body);
                }
                answer.headers().forEach(exchange.getResponseHeaders()::add);
                byte[] out = answer.body().getBytes(StandardCharsets.UTF_8);
                exchange.sendResponseHeaders(answer.status(), out.length == 0 ? -1 : out.length);
                if (out.length > 0) {
                    exchange.getResponseBody().write(out);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }

        @Override
        public void close() {
            closing.countDown();
            server.stop(0);
            threads.shutdownNow();
        }
    }
}
