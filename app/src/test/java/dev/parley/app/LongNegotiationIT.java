package dev.parley.app;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.parley.localkafka.KafkaBroker;
import dev.parley.localkafka.LocalKafka;
import dev.parley.localkafka.junit.KafkaExtension;
import dev.parley.producer.DevelopmentPublisher;
import dev.parley.producer.ProducerSettings;
import dev.parley.schemas.ActorRole;
import dev.parley.schemas.AvroSerde;
import dev.parley.schemas.Development;
import dev.parley.schemas.DevelopmentBuilder;
import dev.parley.schemas.DevelopmentType;
import dev.parley.schemas.NegotiationStatus;
import dev.parley.schemas.Topics;
import dev.parley.schemas.json.AvroJson;
import dev.parley.streams.StatusFold;
import dev.parley.streams.ViewBounds;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * A negotiation followed for years, on a real broker: 20,000 statements without a subject, about 700 bytes each, into
 * one negotiation while another is fed. Before views were bounded, such a negotiation's view passed Kafka's 1 MiB
 * within seconds and the topology stopped for every negotiation. And a development over the limits, which the
 * topology sends to the dead letters while it folds the rest.
 */
@ExtendWith(KafkaExtension.class)
@Timeout(value = 6, unit = TimeUnit.MINUTES)
class LongNegotiationIT {

    private static final String LONG = "long-talks-it";
    private static final String OTHER = "other-talks-it";
    private static final int STATEMENTS = 20_000;
    private static final String[] PARTIES = {"RU", "UA", "US", "EU"};
    private static final String[] ISSUES = {"territory", "guarantees"};

    @TempDir
    Path home;

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @Test
    void shouldFoldALongNegotiationAndAnotherOneStayingReadyWithASmallViewAndTheWholeHistoryReadable(KafkaBroker kafka) throws Exception {
        // given Parley, and 20,000 statements without a subject with the seed article's developments among them
        AppSettings settings = AppSettings.from(Map.of("PARLEY_APPLICATION_ID", "long-negotiation-it", "PARLEY_PORT", String.valueOf(freePort())))
                .withBootstrapServers(kafka.bootstrapServers()).withHome(home);
        List<Development> other = SeedArticle.as(OTHER);
        List<Development> all = new ArrayList<>();
        for (int i = 0; i < STATEMENTS; i++) {
            all.add(statement(i));
            if (i % 1_000 == 0 && i / 1_000 < other.size()) {
                all.add(other.get(i / 1_000));
            }
        }
        other.stream().skip(STATEMENTS / 1_000).forEach(all::add);

        try (Pipeline pipeline = Pipeline.start(settings); WebServer web = WebServer.start(pipeline, settings)) {
            pipeline.awaitCaughtUp(Duration.ofSeconds(60)); // the start-up's, which makes /ready 200
            var notReady = new ConcurrentLinkedQueue<String>();
            var readiness = watchReadiness(web.port(), notReady);

            // when they are published and folded
            try (var publisher = DevelopmentPublisher.create(ProducerSettings.from(Map.of(), kafka.bootstrapServers()))) {
                publisher.publishAll(all);
            }
            pipeline.awaitCaughtUp(Duration.ofSeconds(240));
            readiness.shutdownNow();
            readiness.awaitTermination(30, TimeUnit.SECONDS);

            // then Parley stayed ready throughout, and both negotiations are folded completely
            assertThat(notReady).as("answers of /ready other than 200 while folding").isEmpty();
            JsonNode longView = json(get(web, "/api/negotiations/" + LONG + "/status"));
            assertThat(longView.get("development_count").asInt()).isEqualTo(STATEMENTS);
            assertThat(longView.get("item_counts").get("statements").asInt()).isEqualTo(PARTIES.length * ISSUES.length);
            int counted = 0;
            for (JsonNode group : longView.get("statements")) {
                assertThat(group.get("statements")).hasSize(ViewBounds.DEFAULT.statementsShown());
                counted += group.get("statement_count").asInt();
            }
            assertThat(counted).isEqualTo(STATEMENTS);
            JsonNode otherView = json(get(web, "/api/negotiations/" + OTHER + "/status"));
            NegotiationStatus expected = StatusFold.fold(OTHER, other);
            expected.setVersion(otherView.get("version").asLong());
            assertThat(otherView).isEqualTo(AvroJson.MAPPER.readTree(AvroJson.toJsonString(expected)));

            // and the long negotiation's views on parley.status stay under the bound, up to the last one (waited for: the
            // transaction's marker can reach parley.status after the committed offsets are visible)
            var serde = AvroSerde.of(NegotiationStatus.class);
            List<byte[]> longViews = new ArrayList<>();
            Await.until("the last view of " + LONG + " on " + Topics.STATUS, Duration.ofSeconds(30), () -> {
                longViews.clear();
                TopicSnapshot.read(kafka.bootstrapServers(), Topics.STATUS, new ByteArrayDeserializer(), Duration.ofSeconds(30)).stream()
                        .filter(r -> LONG.equals(r.key())).forEach(r -> longViews.add(r.value()));
                return !longViews.isEmpty()
                        && serde.deserialize(Topics.STATUS, longViews.get(longViews.size() - 1)).getDevelopmentCount() == STATEMENTS;
            });
            assertThat(longViews).allSatisfy(bytes -> assertThat(bytes.length).isLessThan(ViewBounds.DEFAULT.maxViewBytes()));

            // and its whole history is readable, page by page: the timeline, and each group's statements
            assertThat(pagedIds(web, "/api/negotiations/" + LONG + "/timeline?", 10_000)).hasSize(STATEMENTS);
            Set<String> behindGroups = new HashSet<>();
            for (String party : PARTIES) {
                for (String issue : ISSUES) {
                    String item = URLEncoder.encode("statements:said:" + party + "/" + issue, StandardCharsets.UTF_8);
                    List<String> ids = pagedIds(web, "/api/negotiations/" + LONG + "/history?item=" + item + "&", 1_000);
                    assertThat(ids).as("statements of %s on %s", party, issue).hasSize(STATEMENTS / (PARTIES.length * ISSUES.length));
                    behindGroups.addAll(ids);
                }
            }
            assertThat(behindGroups).hasSize(STATEMENTS);
        }
    }

    /** On a broker of its own: the other tests count the dead letters of the shared one. */
    @Test
    void shouldSendADevelopmentOverTheLimitToTheDeadLettersAndFoldEveryOtherOne() throws Exception {
        try (var kafka = LocalKafka.in(home.resolve("kafka"))) {
            kafka.start();
            deadLetterOverTheLimit(kafka.bootstrapServers());
        }
    }

    private void deadLetterOverTheLimit(String bootstrapServers) throws Exception {
        // given Parley, and a development of 70 kB written by a producer that skips Parley's validation, among others
        AppSettings settings = AppSettings.from(Map.of("PARLEY_APPLICATION_ID", "limits-it", "PARLEY_PORT", String.valueOf(freePort())))
                .withBootstrapServers(bootstrapServers).withHome(home.resolve("parley"));
        String negotiation = "limits-it-talks";
        List<Development> seed = SeedArticle.as(negotiation);
        Development huge = DevelopmentBuilder.aDevelopment().negotiation(negotiation).id("huge-statement").type(DevelopmentType.STATEMENT)
                .summary("x".repeat(70_000)).build();
        try (Pipeline pipeline = Pipeline.start(settings); WebServer web = WebServer.start(pipeline, settings)) {
            // when it is on the log between the seed article's developments
            var serde = AvroSerde.of(Development.class);
            try (var producer = new org.apache.kafka.clients.producer.KafkaProducer<String, byte[]>(Map.<String, Object>of(
                    "bootstrap.servers", bootstrapServers, "max.request.size", "2000000"),
                    new org.apache.kafka.common.serialization.StringSerializer(), new org.apache.kafka.common.serialization.ByteArraySerializer())) {
                for (int i = 0; i < seed.size(); i++) {
                    if (i == seed.size() / 2) {
                        producer.send(new org.apache.kafka.clients.producer.ProducerRecord<>(Topics.DEVELOPMENTS, negotiation,
                                serde.serialize(Topics.DEVELOPMENTS, huge))).get();
                    }
                    producer.send(new org.apache.kafka.clients.producer.ProducerRecord<>(Topics.DEVELOPMENTS, negotiation,
                            serde.serialize(Topics.DEVELOPMENTS, seed.get(i)))).get();
                }
            }
            pipeline.awaitCaughtUp(Duration.ofSeconds(90));

            // then it is a dead letter naming the negotiation, the development and the limit; waited for, since the
            // transaction's marker can reach the dead-letter partition after the committed offsets are visible
            String reason = "development \"huge-statement\" of negotiation \"" + negotiation + "\" is not folded: it takes";
            Await.until("the dead letter of huge-statement", Duration.ofSeconds(30), () -> TopicSnapshot
                    .read(bootstrapServers, Topics.DEAD_LETTERS, new ByteArrayDeserializer(), Duration.ofSeconds(30)).stream()
                    .map(record -> DeadLettersCommand.header(record, "__streams.errors.message"))
                    .anyMatch(message -> message != null && message.contains(reason) && message.contains("over the limit of 65536")));
            // and every other development is folded, with Parley ready
            assertThat(get(web, "/ready").statusCode()).isEqualTo(200);
            JsonNode view = json(get(web, "/api/negotiations/" + negotiation + "/status"));
            NegotiationStatus expected = StatusFold.fold(negotiation, seed);
            expected.setVersion(view.get("version").asLong());
            assertThat(view).isEqualTo(AvroJson.MAPPER.readTree(AvroJson.toJsonString(expected)));
        }
    }

    /** Statement {@code i}: one of four parties on one of two issues, no subject, a summary of 600 characters. */
    private static Development statement(int i) {
        String party = PARTIES[i % PARTIES.length];
        return DevelopmentBuilder.aDevelopment().negotiation(LONG).id("statement-" + i).type(DevelopmentType.STATEMENT)
                .actor("Spokesperson " + party, ActorRole.OFFICIAL, party).issue(ISSUES[(i / PARTIES.length) % ISSUES.length])
                .summary("Statement " + i + ": " + "x".repeat(600)).on("2023-01-01")
                .reportedAt(java.time.Instant.parse("2023-01-01T00:00:00Z").plusSeconds(60L * i).toString()).build();
    }

    /** Every development id of a paged list, read {@code limit} at a time. */
    private List<String> pagedIds(WebServer web, String pathAndQuery, int limit) throws Exception {
        List<String> ids = new ArrayList<>();
        JsonNode page = json(get(web, pathAndQuery + "limit=" + limit));
        while (true) {
            page.get("developments").forEach(d -> ids.add(d.get("development_id").asText()));
            if (page.get("next_offset").isNull()) {
                assertThat(ids).hasSize(page.get("total").asInt());
                return ids;
            }
            page = json(get(web, pathAndQuery + "limit=" + limit + "&offset=" + page.get("next_offset").asInt()));
        }
    }

    /** Asks {@code /ready} every 200 ms, noting each answer other than 200, until shut down. */
    private ScheduledExecutorService watchReadiness(int port, ConcurrentLinkedQueue<String> notReady) {
        ScheduledExecutorService watch = Executors.newSingleThreadScheduledExecutor();
        watch.scheduleWithFixedDelay(() -> {
            try {
                var response = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/ready"))
                        .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
                if (response.statusCode() != 200) {
                    notReady.add(response.statusCode() + " " + response.body());
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt(); // shut down
            } catch (Exception e) {
                notReady.add(e.toString());
            }
        }, 0, 200, TimeUnit.MILLISECONDS);
        return watch;
    }

    private HttpResponse<String> get(WebServer web, String pathAndQuery) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + web.port() + pathAndQuery))
                .timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private static JsonNode json(HttpResponse<String> response) throws Exception {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return AvroJson.MAPPER.readTree(response.body());
    }

    private static int freePort() throws Exception {
        try (var socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }
}
