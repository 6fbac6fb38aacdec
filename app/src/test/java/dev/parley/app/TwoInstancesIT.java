package dev.parley.app;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.parley.localkafka.LocalKafka;
import dev.parley.localkafka.LocalKafkaSettings;
import dev.parley.producer.DevelopmentPublisher;
import dev.parley.producer.ProducerSettings;
import dev.parley.schemas.Development;
import dev.parley.schemas.json.AvroJson;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
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
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.common.utils.Utils;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two Parleys sharing the work (one application id, a broker of their own, three partitions): either one answers
 * for every negotiation, from its own state or by asking the other.
 */
@Timeout(value = 3, unit = TimeUnit.MINUTES)
class TwoInstancesIT {

    private static final int PARTITIONS = 3;
    private static final int NEGOTIATIONS_PER_PARTITION = 2;

    @TempDir
    Path dir;

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @Test
    void shouldAnswerForEveryNegotiationOnEitherInstance() throws Exception {
        try (var kafka = new LocalKafka(LocalKafkaSettings.in(dir.resolve("kafka")))) {
            kafka.start();
            try {
                bothInstancesAnswerForEveryNegotiation(kafka);
            } catch (Throwable t) {
                System.err.println("TwoInstancesIT failed; the broker's " + kafka.logExcerpt());
                throw t;
            }
        }
    }

    private void bothInstancesAnswerForEveryNegotiation(LocalKafka kafka) throws Exception {
        // given two instances of one application, each with its home and HTTP port
        AppSettings settingsOfA = settings(kafka, "a");
        AppSettings settingsOfB = settings(kafka, "b");
        try (Pipeline a = Pipeline.start(settingsOfA); WebServer webOfA = WebServer.start(a, settingsOfA);
             Pipeline b = Pipeline.start(settingsOfB); WebServer webOfB = WebServer.start(b, settingsOfB)) {
            String addressOfA = "127.0.0.1:" + webOfA.port();
            String addressOfB = "127.0.0.1:" + webOfB.port();

            // and the seed article published for six negotiations, two on each partition
            List<String> negotiations = negotiationsOnEveryPartition();
            try (var publisher = DevelopmentPublisher.create(ProducerSettings.from(Map.of(), kafka.bootstrapServers()))) {
                List<Development> all = new ArrayList<>();
                negotiations.forEach(id -> all.addAll(SeedArticle.as(id)));
                publisher.publishAll(all);
            }
            int developments = SeedArticle.as(negotiations.get(0)).size();

            // when both run, have folded everything, and agree on who holds what
            a.awaitCaughtUp(Duration.ofSeconds(90));
            Await.until("both instances answer queries and agree on who holds each negotiation", Duration.ofSeconds(60),
                    () -> a.canAnswerQueries() && b.canAnswerQueries() && owners(a, negotiations).equals(owners(b, negotiations))
                            && !owners(a, negotiations).containsValue("unknown"));
            Map<String, String> owners = owners(a, negotiations);
            assertThat(Set.copyOf(owners.values())).as("instances holding a negotiation").containsExactlyInAnyOrder(addressOfA, addressOfB);

            // then each instance answers for every negotiation, the same, some from its own state, some from the other's
            Set<String> answeredForA = new HashSet<>();
            Set<String> answeredForB = new HashSet<>();
            for (String id : negotiations) {
                var fromA = get(webOfA, "/api/negotiations/" + id + "/status");
                var fromB = get(webOfB, "/api/negotiations/" + id + "/status");
                assertThat(fromA.statusCode()).as(id + " on A").isEqualTo(200);
                assertThat(fromB.statusCode()).as(id + " on B").isEqualTo(200);
                assertThat(json(fromA)).as(id).isEqualTo(json(fromB));
                assertThat(json(fromA).get("development_count").asInt()).isEqualTo(developments);
                assertThat(fromA.headers().firstValue(NegotiationsEndpoints.ANSWERED_BY)).as(id).contains(owners.get(id));
                assertThat(fromB.headers().firstValue(NegotiationsEndpoints.ANSWERED_BY)).as(id).contains(owners.get(id));
                answeredForA.add(fromA.headers().firstValue(NegotiationsEndpoints.ANSWERED_BY).orElseThrow());
                answeredForB.add(fromB.headers().firstValue(NegotiationsEndpoints.ANSWERED_BY).orElseThrow());
            }
            assertThat(answeredForA).as("who answered A's queries").containsExactlyInAnyOrder(addressOfA, addressOfB);
            assertThat(answeredForB).as("who answered B's queries").containsExactlyInAnyOrder(addressOfA, addressOfB);

            // and the timeline and the time bounds go to the owner too
            String heldByB = owners.entrySet().stream().filter(e -> e.getValue().equals(addressOfB)).findFirst().orElseThrow().getKey();
            var timeline = get(webOfA, "/api/negotiations/" + heldByB + "/timeline?from=2025-12-01&to=2025-12-31");
            assertThat(timeline.statusCode()).isEqualTo(200);
            assertThat(json(timeline).get("developments")).hasSize(developments);
            var early = get(webOfA, "/api/negotiations/" + heldByB + "/status?knownAt=2025-12-05T12:01:30Z");
            assertThat(json(early).get("development_count").asInt()).isEqualTo(2);
            assertThat(get(webOfB, "/api/negotiations/no-such-talks/status").statusCode()).isEqualTo(404);

            // and either lists all six
            for (WebServer web : List.of(webOfA, webOfB)) {
                var list = get(web, "/api/negotiations");
                assertThat(list.statusCode()).isEqualTo(200);
                assertThat(json(list).get("negotiations")).extracting(n -> n.get("negotiation_id").asText())
                        .containsExactlyElementsOf(negotiations.stream().sorted().toList());
                assertThat(json(list).get("negotiations")).allSatisfy(n -> assertThat(n.get("phase").asText()).isEqualTo("DIRECT_TALKS"));
            }
        }
    }

    private AppSettings settings(LocalKafka kafka, String name) throws Exception {
        return AppSettings.from(Map.of("PARLEY_APPLICATION_ID", "two-instances", "PARLEY_PORT", String.valueOf(freePort()),
                        "PARLEY_PARTITIONS", String.valueOf(PARTITIONS)))
                .withBootstrapServers(kafka.bootstrapServers()).withHome(dir.resolve(name));
    }

    /** Negotiation ids that the default partitioner puts on every partition, so both instances hold some. */
    private static List<String> negotiationsOnEveryPartition() {
        Map<Integer, List<String>> byPartition = new TreeMap<>();
        for (int n = 1; byPartition.values().stream().mapToInt(List::size).sum() < PARTITIONS * NEGOTIATIONS_PER_PARTITION; n++) {
            String id = "talks-" + n;
            int partition = Utils.toPositive(Utils.murmur2(id.getBytes(StandardCharsets.UTF_8))) % PARTITIONS;
            List<String> ids = byPartition.computeIfAbsent(partition, p -> new ArrayList<>());
            if (ids.size() < NEGOTIATIONS_PER_PARTITION) {
                ids.add(id);
            }
        }
        return byPartition.values().stream().flatMap(List::stream).toList();
    }

    /** Which instance holds each negotiation ({@code host:port}), as {@code pipeline} sees it from the metadata. */
    private static Map<String, String> owners(Pipeline pipeline, List<String> negotiations) {
        Map<String, String> owners = new TreeMap<>();
        for (String id : negotiations) {
            NegotiationQueries.Location location;
            try {
                location = pipeline.queryState().locate(id);
            } catch (org.apache.kafka.common.KafkaException rebalancing) {
                location = new NegotiationQueries.Unknown();
            }
            owners.put(id, location instanceof NegotiationQueries.Here ? pipeline.advertisedAddress().orElseThrow()
                    : location instanceof NegotiationQueries.There there ? there.address() : "unknown");
        }
        return owners;
    }

    private static int freePort() throws Exception {
        try (var socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    private HttpResponse<String> get(WebServer web, String pathAndQuery) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + web.port() + pathAndQuery))
                .timeout(Duration.ofSeconds(20)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private static JsonNode json(HttpResponse<String> response) throws Exception {
        assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(v -> assertThat(v).startsWith("application/json"));
        return AvroJson.MAPPER.readTree(response.body());
    }
}
