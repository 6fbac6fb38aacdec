package dev.parley.app;

import dev.parley.producer.DevelopmentPublisher;
import dev.parley.producer.DevelopmentValidator;
import dev.parley.producer.ProducerSettings;
import io.javalin.Javalin;
import io.javalin.http.Context;
import io.javalin.http.MethodNotAllowedResponse;
import io.javalin.http.NotFoundResponse;
import java.io.IOException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.clients.producer.ProducerConfig;

/**
 * Parley's HTTP side: health and readiness, the negotiations' views and timelines as JSON (see docs/openapi.yaml), and
 * writes of developments. Reads answer at once and never wait for state; a write waits only for Kafka's
 * acknowledgement, with a deadline.
 */
final class WebServer implements AutoCloseable {

    private final Javalin app;
    private final DevelopmentPublisher publisher;
    private final ApiToken token;
    private final MetricsEndpoint metrics;

    private WebServer(Javalin app, DevelopmentPublisher publisher, ApiToken token, MetricsEndpoint metrics) {
        this.app = app;
        this.publisher = publisher;
        this.token = token;
        this.metrics = metrics;
    }

    /** Serves on {@code settings.httpHost()} and {@code settings.httpPort()} (0: any free port, see {@link #port()}). */
    static WebServer start(Pipeline pipeline, AppSettings settings) throws IOException {
        ApiToken token = ApiToken.resolve(settings.apiToken(), settings.home(), new SecureRandom());
        ProducerSettings producerSettings = httpProducerSettings(settings);
        var publisher = DevelopmentPublisher.create(producerSettings);
        var metrics = new MetricsEndpoint(pipeline.streams());
        try {
            var intake = new DevelopmentIntake(publisher, pipeline::development, acknowledgementTimeout(producerSettings));
            var developments = new DevelopmentsEndpoint(token, RateLimiter.perSecond(settings.rateLimitPerSecond()),
                    settings.maxBodyBytes(), new DevelopmentValidator(Clock.systemUTC()), intake);
            var subscriptions = new SubscriptionsEndpoints(pipeline::subscriptions, pipeline.feedsFolder());
            var negotiations = new NegotiationsEndpoints(new NegotiationQueries(pipeline.queryState()), pipeline.advertisedAddress());
            Javalin app = Javalin.create(config -> {
                        config.showJavalinBanner = false;
                        config.http.prefer405over404 = true; // a path that exists, asked with another method
                    })
                    // Every answer, the dashboard's, the API's, errors and event streams alike; no CORS plugin, so no
                    // other origin is ever allowed to read an answer or to send a write from a browser.
                    .before(SecurityHeaders::apply)
                    .get("/health", ctx -> {
                        if (pipeline.isRunning()) {
                            ctx.result("ok");
                        } else {
                            notReady(ctx);
                        }
                    })
                    .get("/ready", ctx -> {
                        if (pipeline.isReady()) {
                            ctx.result("ready");
                        } else {
                            notReady(ctx);
                        }
                    })
                    .get("/api/negotiations", negotiations::list)
                    .get("/api/negotiations/{id}/status", negotiations::status)
                    .get("/api/negotiations/{id}/timeline", negotiations::timeline)
                    .get("/api/negotiations/{id}/history", negotiations::itemHistory)
                    .post(DevelopmentsEndpoint.PATH, developments)
                    .get("/api/subscriptions", subscriptions::list)
                    .get("/feeds/{file}", subscriptions::feed)
                    .get(MetricsEndpoint.PATH, metrics)
                    // Every API answer is JSON, the routing's own refusals too.
                    .exception(NotFoundResponse.class, (e, ctx) -> routingRefusal(ctx, 404, "No such path: " + ctx.path()
                            + " (the API is described in docs/openapi.yaml)"))
                    .exception(MethodNotAllowedResponse.class, (e, ctx) -> {
                        String allowed = e.getDetails().getOrDefault("availableMethods", "");
                        ctx.header("Allow", allowed);
                        routingRefusal(ctx, 405, ctx.method() + " is not a method of " + ctx.path() + " (allowed: " + allowed + ")");
                    })
                    .start(settings.httpHost(), settings.httpPort());
            Dashboard.register(app, settings); // the page at / and its live changes (server-sent events)
            return new WebServer(app, publisher, token, metrics);
        } catch (RuntimeException e) {
            metrics.close();
            publisher.close();
            throw e;
        }
    }

    /**
     * The publisher's settings for HTTP writes: someone waits on the other end of the request, so Kafka gets seconds,
     * not a minute, to acknowledge before the answer is 503. A {@code KAFKA_*} variable still wins.
     */
    static ProducerSettings httpProducerSettings(AppSettings settings) {
        Map<String, String> env = new HashMap<>(settings.env());
        env.putIfAbsent("KAFKA_CLIENT_ID", "parley-http");
        env.putIfAbsent("KAFKA_MAX_BLOCK_MS", "5000");
        env.putIfAbsent("KAFKA_REQUEST_TIMEOUT_MS", "5000");
        env.putIfAbsent("KAFKA_DELIVERY_TIMEOUT_MS", "15000");
        return ProducerSettings.from(env, settings.kafka());
    }

    /** A little longer than the producer's own delivery timeout, so its error, which says why, usually comes first. */
    static Duration acknowledgementTimeout(ProducerSettings settings) {
        long deliveryTimeoutMs = Long.parseLong(settings.toKafkaProperties().getProperty(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG));
        return Duration.ofMillis(deliveryTimeoutMs).plusSeconds(1);
    }

    int port() {
        return app.port();
    }

    /** The file holding the API token; empty when it was given in {@code PARLEY_API_TOKEN}. */
    Optional<java.nio.file.Path> apiTokenFile() {
        return token.file();
    }

    /** Under {@code /api/}, a JSON message; elsewhere (the dashboard, feeds), plain text. */
    private static void routingRefusal(Context ctx, int status, String message) {
        ctx.status(status);
        if (ctx.path().startsWith("/api/")) {
            ctx.json(Map.of("message", message));
        } else {
            ctx.result(message);
        }
    }

    private static void notReady(Context ctx) {
        ctx.status(503).header("Retry-After", "1").result("Parley is starting; try again in a second");
    }

    /** Stops taking requests, then lets the publisher finish what it sent (bounded by its delivery timeout). */
    @Override
    public void close() {
        try {
            app.stop();
        } finally {
            metrics.close();
            publisher.close();
        }
    }
}
