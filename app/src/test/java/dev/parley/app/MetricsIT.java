package dev.parley.app;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.consumer.ChangeFilter;
import dev.parley.consumer.JsonLinesSink;
import dev.parley.consumer.RetryPolicy;
import dev.parley.consumer.Subscription;
import dev.parley.localkafka.KafkaBroker;
import dev.parley.localkafka.junit.KafkaExtension;
import dev.parley.schemas.Development;
import dev.parley.schemas.json.AvroJson;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** {@code GET /metrics} of a running Parley, scraped the way Prometheus does, before and after developments come in. */
@ExtendWith(KafkaExtension.class)
class MetricsIT {

    private static final Pattern SAMPLE = Pattern.compile("^([a-zA-Z_:][a-zA-Z0-9_:]*(?:\\{[^}]*})?) (\\S+)$", Pattern.MULTILINE);

    @TempDir
    Path home;

    private final HttpClient http = HttpClient.newHttpClient();

    @Test
    void shouldCountIngestionFoldsDeliveriesAndLagAlongsideKafkaAndJvmMetrics(KafkaBroker kafka) throws Exception {
        String negotiation = "metrics-it-" + UUID.randomUUID().toString().substring(0, 8);
        AppSettings settings = AppSettings.from(Map.of("PARLEY_APPLICATION_ID", "metrics-it", "PARLEY_PORT", "0",
                "PARLEY_API_TOKEN", "test-token")).withBootstrapServers(kafka.bootstrapServers()).withHome(home);
        try (Pipeline pipeline = Pipeline.start(settings); WebServer web = WebServer.start(pipeline, settings)) {
            pipeline.subscribe(new Subscription("metrics-file", new JsonLinesSink(home.resolve("changes.jsonl")),
                    ChangeFilter.of(List.of(negotiation), List.of()), RetryPolicy.DEFAULT), Map.of());
            // caught up with the shared log first: a new application folds every other test's developments, and the
            // changes it emits meanwhile would keep the subscription's lag moving
            pipeline.awaitCaughtUp(Duration.ofSeconds(180));
            Map<String, Double> before = scrape(web);

            // when five developments come in over HTTP, and a request with one invalid development
            List<Development> seed = SeedArticle.as(negotiation).subList(0, 5);
            assertThat(post(web, "[" + String.join(",", seed.stream().map(AvroJson::toJsonString).toList()) + "]").statusCode())
                    .isEqualTo(202);
            assertThat(post(web, "[{\"negotiation_id\": \"" + negotiation + "\"}]").statusCode()).isEqualTo(400);
            Await.until("the five folded", Duration.ofSeconds(60),
                    () -> pipeline.status(negotiation).filter(view -> view.getDevelopmentCount() == 5).isPresent());
            long delivered = pipeline.status(negotiation).orElseThrow().getVersion(); // one change per version
            Await.until("every change delivered", Duration.ofSeconds(60), () -> pipeline.subscriptions().stream()
                    .anyMatch(s -> s.name().equals("metrics-file") && s.delivered() == delivered && s.lag() == 0));

            // then the scrape counts them, and says how late each delivery was
            Map<String, Double> after = scrape(web);
            String ours = "{sink=\"jsonl\",subscription=\"metrics-file\"}";
            assertThat(increase(before, after, "parley_developments_ingested_total{outcome=\"published\"}")).isEqualTo(5);
            assertThat(increase(before, after, "parley_http_requests_rejected_total")).isEqualTo(1);
            assertThat(increase(before, after, "parley_fold_seconds_count")).isGreaterThanOrEqualTo(5);
            assertThat(increase(before, after, "parley_status_changes_emitted_total")).isGreaterThanOrEqualTo(delivered);
            assertThat(after).containsEntry("parley_subscription_delivered_total" + ours, (double) delivered)
                    .containsEntry("parley_subscription_lag" + ours, 0.0)
                    .containsEntry("parley_subscription_parked_total" + ours, 0.0)
                    .containsEntry("parley_delivery_latency_seconds_count" + ours, (double) delivered);
            assertThat(after.get("parley_delivery_latency_seconds_max" + ours)).isPositive().isLessThan(60);
            // and Kafka's own metrics of the topology and of the subscription's consumer, and the JVM's
            assertThat(after.keySet()).anyMatch(name -> name.startsWith("kafka_stream_"))
                    .anyMatch(name -> name.startsWith("kafka_consumer_") && name.contains("subscription=\"metrics-file\""))
                    .anyMatch(name -> name.startsWith("jvm_memory_used_bytes"));
        }
    }

    private HttpResponse<String> post(WebServer web, String body) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + web.port() + DevelopmentsEndpoint.PATH))
                .header("Authorization", "Bearer test-token").header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    }

    /** Every sample of the Prometheus text format, by name and labels. */
    private Map<String, Double> scrape(WebServer web) throws Exception {
        var response = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + web.port() + MetricsEndpoint.PATH)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(type -> assertThat(type).startsWith("text/plain"));
        Map<String, Double> samples = new HashMap<>();
        Matcher matcher = SAMPLE.matcher(response.body());
        while (matcher.find()) {
            samples.put(matcher.group(1), Double.parseDouble(matcher.group(2)));
        }
        return samples;
    }

    private static double increase(Map<String, Double> before, Map<String, Double> after, String sample) {
        assertThat(after).containsKey(sample);
        return after.get(sample) - before.getOrDefault(sample, 0.0);
    }
}
