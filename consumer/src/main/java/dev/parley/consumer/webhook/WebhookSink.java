package dev.parley.consumer.webhook;

import dev.parley.consumer.RejectedChangeException;
import dev.parley.consumer.Delivery;
import dev.parley.consumer.Sink;
import dev.parley.consumer.SinkGoneException;
import dev.parley.schemas.StatusChange;
import dev.parley.schemas.json.AvroJson;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import java.net.UnknownHostException;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Flow;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Posts each status change of a negotiation to a receiver's URL as JSON, signed per Standard Webhooks,
 * so another system learns of a development's effect as soon as Parley folds it in.
 *
 * <p>One {@link #accept} is one HTTP attempt; the subscriber retries with backoff when it throws.
 * A 2xx answer means delivered; 410 Gone means the receiver wants no more ({@link SinkGoneException});
 * 400, 413, 415 and 422 refuse this one change for good ({@link RejectedChangeException}); any other
 * answer (408, 429, 5xx, a 401 or 404 while the receiver's secret or route is being fixed, a redirect),
 * a timeout or a network error is worth retrying (an {@link IOException}).
 *
 * <p>Idempotency is shared with the receiver. A webhook sink cannot ask the receiver what it already
 * has, so it returns true on every 2xx. It remembers, in memory only, the last version delivered per
 * negotiation and skips older ones, so a replay within one process posts nothing twice; after a
 * restart, or when an answer is lost on the way back, a change is posted again. Receivers dedupe on
 * {@code webhook-id} = {@code <negotiationId>:<toVersion>}, the same on every retry and replay.
 */
public final class WebhookSink implements Sink {

    public static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(5);
    public static final Duration DEFAULT_REQUEST_TIMEOUT = Duration.ofSeconds(10);

    /** Enough of a receiver's answer to say why it refused, not so much that logs fill with HTML pages. */
    static final int EXCERPT_BYTES = 300;

    private static final Logger log = LoggerFactory.getLogger(WebhookSink.class);

    /** How many negotiations' changes {@link #acceptAll} posts at once: one connection to the receiver each. */
    static final int PARALLEL_NEGOTIATIONS = 8;

    private final String name;
    private final URI target;
    private final byte[] key;
    private final Duration requestTimeout;
    private final WebhookTargets targets;
    private final HttpClient client;
    private final Clock clock;
    private final Map<String, Long> lastDelivered = new ConcurrentHashMap<>();
    private final ExecutorService posting;

    /**
     * @param name           the sink's name; its consumer group is {@code parley-sink-<name>}
     * @param target         the receiver's http(s) URL
     * @param secret         {@code whsec_<base64>}, shared with the receiver
     * @param requestTimeout how long one attempt may take, from sending to the end of the answer's excerpt
     * @param targets        which URLs are allowed; checked now and before every delivery
     * @param client         must not follow redirects (a redirect could lead to a refused address);
     *                       its connect timeout applies
     * @param clock          signs the {@code webhook-timestamp}
     * @throws IllegalArgumentException when the URL is refused, the secret malformed or the client follows redirects
     */
    public WebhookSink(String name, URI target, String secret, Duration requestTimeout, WebhookTargets targets,
                       HttpClient client, Clock clock) {
        this.name = Objects.requireNonNull(name, "name");
        this.target = Objects.requireNonNull(target, "target");
        this.key = StandardWebhooks.key(secret);
        this.requestTimeout = positive(requestTimeout);
        this.targets = Objects.requireNonNull(targets, "targets");
        this.client = Objects.requireNonNull(client, "client");
        this.clock = Objects.requireNonNull(clock, "clock");
        AtomicInteger threads = new AtomicInteger();
        this.posting = Executors.newFixedThreadPool(PARALLEL_NEGOTIATIONS, task -> {
            Thread thread = new Thread(task, "webhook-" + name + "-" + threads.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        });
        if (client.followRedirects() != HttpClient.Redirect.NEVER) {
            throw new IllegalArgumentException("Webhook sink " + name + ": the HTTP client must not follow redirects "
                    + "(a redirect could lead to an address " + WebhookTargets.class.getSimpleName() + " refuses)");
        }
        try {
            targets.check(target);
        } catch (UnknownHostException e) {
            // A DNS hiccup at start-up should not stop Parley; every delivery checks again and retries.
            log.warn("Webhook sink {}: {} does not resolve yet; deliveries will retry until it does", name, display());
        }
        log.info("Webhook sink {} posts status changes to {}{}", name, display(),
                targets.allowsPrivateTargets() ? " (private targets allowed)" : "");
    }

    /** A sink with the default timeouts (connect 5 s, request 10 s) and the system's DNS. */
    public static WebhookSink create(String name, URI target, String secret, boolean allowPrivateTargets) {
        return create(name, target, secret, allowPrivateTargets, DEFAULT_CONNECT_TIMEOUT, DEFAULT_REQUEST_TIMEOUT);
    }

    public static WebhookSink create(String name, URI target, String secret, boolean allowPrivateTargets,
                                     Duration connectTimeout, Duration requestTimeout) {
        return new WebhookSink(name, target, secret, requestTimeout,
                new WebhookTargets(WebhookTargets.DNS, allowPrivateTargets), httpClient(connectTimeout), Clock.systemUTC());
    }

    /** An HTTP client fit for webhooks: never follows redirects, gives up connecting after the timeout. */
    public static HttpClient httpClient(Duration connectTimeout) {
        return HttpClient.newBuilder()
                // One small POST per change gains nothing from HTTP/2, and cleartext h2c upgrades trip some receivers.
                .version(HttpClient.Version.HTTP_1_1)
                .followRedirects(HttpClient.Redirect.NEVER)
                .connectTimeout(positive(connectTimeout))
                .build();
    }

    @Override
    public String name() {
        return name;
    }

    public URI target() {
        return target;
    }

    /**
     * Posts the change once.
     *
     * @return true when the receiver answered 2xx; false, without posting, for a version this sink
     *         already delivered earlier in this process
     * @throws SinkGoneException        the receiver answered 410 Gone
     * @throws RejectedChangeException  the receiver refused this change for good (400, 413, 415, 422)
     * @throws IOException              worth retrying: 408, 429, 5xx, a redirect, a timeout, a network error
     * @throws IllegalArgumentException worth retrying: the host now resolves to a refused address
     */
    @Override
    public boolean accept(StatusChange change)
            throws IOException, InterruptedException, SinkGoneException, RejectedChangeException {
        String negotiation = change.getNegotiationId();
        long version = change.getToVersion();
        if (version <= lastDelivered.getOrDefault(negotiation, 0L)) {
            log.debug("Webhook sink {} already delivered {} v{}; not posting it again", name, negotiation, version);
            return false;
        }
        checkTargetStillAllowed();
        String id = webhookId(change);
        HttpResponse<String> response = post(request(id, AvroJson.toJsonBytes(change)));
        int status = response.statusCode();
        switch (classify(status)) {
            case DELIVERED -> {
                lastDelivered.merge(negotiation, version, Math::max);
                log.debug("Webhook sink {} delivered {} to {} ({})", name, id, display(), status);
                return true;
            }
            case GONE -> throw new SinkGoneException("Webhook " + display() + " answered 410 Gone to " + id
                    + ": the receiver no longer wants status changes; turn sink " + name + " back on once it does");
            case REJECTED -> throw new RejectedChangeException("Webhook " + display() + " refused " + id
                    + " with " + status + ": " + excerpt(response.body()));
            default -> throw new IOException("Webhook " + display() + " answered " + status + " to " + id
                    + " (retryable" + retryAfter(response) + "): " + excerpt(response.body())
                    + (status >= 300 && status < 400 ? " [redirects are not followed; configure the final URL]" : ""));
        }
    }

    /** Stable per change across retries and replays, so receivers dedupe on it. */
    static String webhookId(StatusChange change) {
        return change.getNegotiationId() + ":" + change.getToVersion();
    }

    enum Outcome { DELIVERED, GONE, REJECTED, RETRY }

    static Outcome classify(int status) {
        if (status >= 200 && status < 300) {
            return Outcome.DELIVERED;
        } else if (status == 410) {
            return Outcome.GONE;
        } else if (status == 400 || status == 413 || status == 415 || status == 422) {
            return Outcome.REJECTED; // the receiver read this change and will never take it
        }
        // 408, 429, 5xx; also 401, 403, 404 (a receiver's secret or route being fixed), 1xx and 3xx:
        // nothing was delivered, and retrying loses nothing while someone fixes it.
        return Outcome.RETRY;
    }

    private void checkTargetStillAllowed() throws IOException {
        try {
            targets.check(target);
        } catch (UnknownHostException e) {
            throw new IOException("Webhook " + display() + " could not be reached: its host does not resolve", e);
        }
    }

    private HttpRequest request(String id, byte[] body) {
        long timestamp = clock.instant().getEpochSecond(); // fresh per attempt, as the spec asks
        return HttpRequest.newBuilder(target)
                .timeout(requestTimeout)
                .header("Content-Type", "application/json")
                .header("User-Agent", "parley-webhook-sink")
                .header(StandardWebhooks.ID_HEADER, id)
                .header(StandardWebhooks.TIMESTAMP_HEADER, Long.toString(timestamp))
                .header(StandardWebhooks.SIGNATURE_HEADER, StandardWebhooks.sign(key, id, timestamp, body))
                .POST(HttpRequest.BodyPublishers.ofByteArray(body))
                .build();
    }

    /**
     * One attempt, bounded by the request timeout as a whole: the request's own timeout only covers
     * waiting for the headers, and a receiver could stall while sending its body.
     */
    private HttpResponse<String> post(HttpRequest request) throws IOException, InterruptedException {
        CompletableFuture<HttpResponse<String>> answer = client.sendAsync(request, info -> new Excerpt(EXCERPT_BYTES));
        try {
            return answer.get(requestTimeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            answer.cancel(true);
            throw timedOut(e);
        } catch (InterruptedException e) {
            answer.cancel(true);
            throw e;
        } catch (ExecutionException e) {
            Throwable cause = e.getCause() instanceof CompletionException c && c.getCause() != null ? c.getCause() : e.getCause();
            if (cause instanceof HttpConnectTimeoutException) {
                throw new IOException("Webhook " + display() + " could not be reached: no connection within "
                        + client.connectTimeout().map(WebhookSink::seconds).orElse("the connect timeout") + " (retryable)", cause);
            } else if (cause instanceof HttpTimeoutException) {
                throw timedOut(cause);
            }
            throw new IOException("Webhook " + display() + " could not be reached (retryable): " + cause, cause);
        }
    }

    private IOException timedOut(Throwable cause) {
        return new IOException("Webhook " + display() + " did not answer within " + seconds(requestTimeout) + " (retryable)", cause);
    }

    private static String retryAfter(HttpResponse<?> response) {
        return response.headers().firstValue("Retry-After").map(value -> "; it asks to wait " + value).orElse("");
    }

    /** A body as one short line for a message. */
    static String excerpt(String body) {
        String line = body == null ? "" : body.strip().replaceAll("\\s+", " ");
        if (line.isEmpty()) {
            return "(empty body)";
        }
        return line.length() > 200 ? line.substring(0, 200) + "…" : line;
    }

    private static String seconds(Duration duration) {
        return duration.toMillis() % 1000 == 0 ? duration.toSeconds() + " s" : duration.toMillis() + " ms";
    }

    private static Duration positive(Duration duration) {
        if (duration == null || duration.isNegative() || duration.isZero()) {
            throw new IllegalArgumentException("Webhook timeout must be positive, not " + duration);
        }
        return duration;
    }

    private String display() {
        return WebhookTargets.display(target);
    }

    /**
     * Posts different negotiations' changes side by side, up to {@link #PARALLEL_NEGOTIATIONS} at once, each
     * negotiation's in order through {@link #accept}. A change that fails stops its negotiation there: it and the ones
     * after it are left out, for the subscription to offer again one at a time, with its retries.
     */
    @Override
    public List<Delivery> acceptAll(List<StatusChange> changes) {
        Map<String, List<Integer>> byNegotiation = Sink.byNegotiation(changes);
        Delivery[] outcomes = new Delivery[changes.size()];
        Arrays.fill(outcomes, Delivery.LEFT_OUT);
        List<Callable<Void>> negotiations = new ArrayList<>();
        byNegotiation.values().forEach(indexes -> negotiations.add(() -> {
            for (int i : indexes) {
                try {
                    outcomes[i] = Delivery.of(accept(changes.get(i)));
                } catch (Exception e) {
                    log.debug("Webhook sink {}: {} left for one-at-a-time delivery: {}", name, webhookId(changes.get(i)), e.toString());
                    break;
                }
            }
            return null;
        }));
        try {
            posting.invokeAll(negotiations); // its futures' completion makes every outcome written visible here
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt(); // closing: what was not posted is offered again next time
        }
        return Arrays.asList(outcomes);
    }

    /** Stops the threads that post side by side; the HttpClient of JDK 17 has no close and frees its own once unreachable. */
    @Override
    public void close() {
        posting.shutdownNow();
    }

    @Override
    public String toString() {
        return "WebhookSink[" + name + " -> " + display() + "]"; // never the secret
    }

    /** Keeps the first bytes of an answer and drops the rest: enough to quote, never a whole page in memory. */
    static final class Excerpt implements HttpResponse.BodySubscriber<String> {

        private final int limit;
        private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        private final CompletableFuture<String> body = new CompletableFuture<>();
        private Flow.Subscription subscription;

        Excerpt(int limit) {
            this.limit = limit;
        }

        @Override
        public CompletionStage<String> getBody() {
            return body;
        }

        @Override
        public void onSubscribe(Flow.Subscription subscription) {
            this.subscription = subscription;
            subscription.request(1);
        }

        @Override
        public void onNext(List<ByteBuffer> buffers) {
            if (body.isDone()) {
                return; // items may still arrive after cancel
            }
            for (ByteBuffer buffer : buffers) {
                int take = Math.min(buffer.remaining(), limit - bytes.size());
                byte[] chunk = new byte[take];
                buffer.get(chunk);
                bytes.write(chunk, 0, take);
            }
            if (bytes.size() >= limit) {
                subscription.cancel();
                finish();
            } else {
                subscription.request(1);
            }
        }

        @Override
        public void onError(Throwable error) {
            finish(); // the status already says what happened; the excerpt is only a hint
        }

        @Override
        public void onComplete() {
            finish();
        }

        private void finish() {
            body.complete(bytes.toString(StandardCharsets.UTF_8));
        }
    }
}
