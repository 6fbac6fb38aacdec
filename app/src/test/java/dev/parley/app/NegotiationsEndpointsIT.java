package dev.parley.app;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.parley.localkafka.KafkaBroker;
import dev.parley.localkafka.junit.KafkaExtension;
import dev.parley.producer.DevelopmentPublisher;
import dev.parley.producer.ProducerSettings;
import dev.parley.schemas.DatePrecision;
import dev.parley.schemas.Development;
import dev.parley.schemas.DevelopmentBuilder;
import dev.parley.schemas.EventDate;
import dev.parley.schemas.Operation;
import dev.parley.schemas.json.AvroJson;
import dev.parley.streams.StatusFold;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
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
 * The read side of the HTTP API on one Parley and the run's shared broker (its own application id and negotiation
 * id, since the topics are shared): a history with a late report, a correction and a revision, queried on both
 * time axes and compared with the reference fold of the same developments.
 */
@ExtendWith(KafkaExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(value = 3, unit = TimeUnit.MINUTES)
class NegotiationsEndpointsIT {

    private static final String TALKS = "queries-it-talks";

    @TempDir
    static Path home;

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final List<Development> published = new ArrayList<>();
    private Pipeline pipeline;
    private WebServer web;

    @BeforeAll
    void startParleyAndPublishAHistory(KafkaBroker kafka) throws Exception {
        AppSettings settings = AppSettings.from(Map.of("PARLEY_APPLICATION_ID", "queries-it", "PARLEY_PORT", String.valueOf(freePort())))
                .withBootstrapServers(kafka.bootstrapServers()).withHome(home);
        pipeline = Pipeline.start(settings);
        web = WebServer.start(pipeline, settings);

        List<Development> seed = SeedArticle.as(TALKS);
        published.addAll(seed);
        // Reported on the 9th, after everything else, about the 28th of November: before everything else.
        published.add(DevelopmentBuilder.aDevelopment().negotiation(TALKS).id("geneva-preparation").meeting()
                .subject("meeting:geneva-preparation").in("Genève").on("2025-11-28").reportedAt("2025-12-09T08:00:00Z").build());
        // On the 8th, the Florida talks turn out to be in Miami.
        Development florida = byId(seed, "florida-talks-scheduled");
        published.add(Development.newBuilder(florida).setDevelopmentId("florida-talks-corrected").setOperation(Operation.CORRECT)
                .setSupersedes(florida.getDevelopmentId()).setPlace("Miami").setReportedAt(Instant.parse("2025-12-08T10:00:00Z")).build());
        // On the 10th, a second revision of the Moscow meeting names the Kremlin: the state keeps only that revision.
        Development moscow = byId(seed, "moscow-meeting");
        published.add(Development.newBuilder(moscow).setRevision(2).setPlace("Moscou (Kremlin)")
                .setOccurredOn(new EventDate(LocalDate.parse("2025-12-02"), DatePrecision.DAY))
                .setReportedAt(Instant.parse("2025-12-10T09:00:00Z")).build());
        try (var publisher = DevelopmentPublisher.create(ProducerSettings.from(Map.of(), kafka.bootstrapServers()))) {
            publisher.publishAll(published);
        }
        pipeline.awaitCaughtUp(Duration.ofSeconds(90));
        Await.until("the status store answers queries", Duration.ofSeconds(30), pipeline::canAnswerQueries);
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

    @Test
    void shouldAnswerAsOfAndKnownAtExactlyAsTheReferenceFoldOfTheSameDevelopments() throws Exception {
        // given bounds before, between and after the late report, the correction and the revision
        List<String> asOfs = Arrays.asList(null, "2025-11-27", "2025-11-30", "2025-12-01", "2025-12-02", "2025-12-31");
        List<String> knownAts = Arrays.asList(null, "2025-12-05T12:01:30Z", "2025-12-08T12:00:00Z", "2025-12-09T12:00:00Z",
                "2025-12-11T00:00:00Z");

        for (String asOf : asOfs) {
            for (String knownAt : knownAts) {
                if (asOf == null && knownAt == null) {
                    continue; // the current view, below
                }
                // when
                var response = get("/api/negotiations/" + TALKS + "/status?" + (asOf == null ? "" : "asOf=" + asOf)
                        + (asOf != null && knownAt != null ? "&" : "") + (knownAt == null ? "" : "knownAt=" + knownAt));

                // then
                assertThat(response.statusCode()).as("asOf %s, knownAt %s", asOf, knownAt).isEqualTo(200);
                assertThat(json(response)).as("asOf %s, knownAt %s", asOf, knownAt).isEqualTo(asJson(StatusFold.asOf(TALKS,
                        published, asOf == null ? null : LocalDate.parse(asOf), knownAt == null ? null : Instant.parse(knownAt))));
            }
        }
    }

    @Test
    void shouldShowWhatWasKnownThenBeforeTheLateReportTheCorrectionAndTheRevision() throws Exception {
        // when
        JsonNode before = json(get("/api/negotiations/" + TALKS + "/status?asOf=2025-12-31&knownAt=2025-12-07T00:00:00Z"));
        JsonNode after = json(get("/api/negotiations/" + TALKS + "/status?asOf=2025-12-31&knownAt=2025-12-11T00:00:00Z"));
        JsonNode lateOnly = json(get("/api/negotiations/" + TALKS + "/status?asOf=2025-11-30"));

        // then
        assertThat(places(before)).containsExactly("Moscou", "Floride");
        assertThat(places(after)).containsExactly("Genève", "Miami", "Moscou (Kremlin)");
        assertThat(lateOnly.get("development_count").asInt()).isEqualTo(1);
        assertThat(places(lateOnly)).containsExactly("Genève");
    }

    @Test
    void shouldAnswerTheCurrentViewAsTheTopologyHoldsIt() throws Exception {
        // when
        var response = get("/api/negotiations/" + TALKS + "/status");

        // then
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(json(response)).isEqualTo(asJson(pipeline.status(TALKS).orElseThrow()));
        assertThat(json(response).get("development_count").asInt()).isEqualTo(published.size() - 2); // the corrected one, the old revision
    }

    @Test
    void shouldListTheTimelineInEventOrderWithSourcesWithinFromAndTo() throws Exception {
        // when
        JsonNode all = json(get("/api/negotiations/" + TALKS + "/timeline"));
        JsonNode november = json(get("/api/negotiations/" + TALKS + "/timeline?from=2025-11-01&to=2025-11-30"));

        // then
        List<String> expected = StatusFold.inForce(published).stream().map(Development::getDevelopmentId).toList();
        assertThat(all.get("developments")).extracting(d -> d.get("development_id").asText()).containsExactlyElementsOf(expected);
        assertThat(expected).first().isEqualTo("geneva-preparation");
        assertThat(all.get("developments")).allSatisfy(d -> assertThat(d.get("sources")).isNotEmpty());
        assertThat(november.get("developments")).extracting(d -> d.get("development_id").asText()).containsExactly("geneva-preparation");
    }

    @Test
    void shouldListTheNegotiationWithItsPhaseAndLastChange() throws Exception {
        // when
        JsonNode list = json(get("/api/negotiations"));

        // then
        var status = pipeline.status(TALKS).orElseThrow();
        assertThat(list.get("negotiations")).filteredOn(n -> n.get("negotiation_id").asText().equals(TALKS)).singleElement()
                .satisfies(n -> {
                    assertThat(n.get("phase").asText()).isEqualTo("DIRECT_TALKS");
                    assertThat(n.get("version").asLong()).isEqualTo(status.getVersion());
                    assertThat(n.get("known_at").asText()).isEqualTo("2025-12-10T09:00:00Z");
                });
    }

    @Test
    void shouldAnswer404ForAnUnknownNegotiationAnd400ForAMalformedDate() throws Exception {
        // when
        var unknown = get("/api/negotiations/no-such-talks/status?asOf=2025-12-01");
        var malformed = get("/api/negotiations/" + TALKS + "/status?asOf=2025-13-01");

        // then
        assertThat(unknown.statusCode()).isEqualTo(404);
        assertThat(json(unknown).get("message").asText()).isEqualTo("No negotiation \"no-such-talks\".");
        assertThat(malformed.statusCode()).isEqualTo(400);
        assertThat(malformed.body()).isEqualTo("{\"message\":\"asOf: \\\"2025-13-01\\\" is not a date (expected YYYY-MM-DD)\"}");
    }

    @Test
    void shouldAnswerJsonWithTheRightStatusForAPathOrAMethodTheApiDoesNotHave() throws Exception {
        // when
        // (neither answer can be in the OpenAPI file: it lists the paths and methods the API has)
        var unknownPath = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + web.port() + "/api/no-such-thing"))
                .timeout(Duration.ofSeconds(20)).build(), HttpResponse.BodyHandlers.ofString());
        var wrongMethod = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + web.port() + DevelopmentsEndpoint.PATH))
                .DELETE().timeout(Duration.ofSeconds(20)).build(), HttpResponse.BodyHandlers.ofString());

        // then
        assertThat(unknownPath.statusCode()).isEqualTo(404);
        assertThat(json(unknownPath).get("message").asText()).startsWith("No such path: /api/no-such-thing");
        assertThat(wrongMethod.statusCode()).isEqualTo(405);
        assertThat(wrongMethod.headers().firstValue("Allow")).hasValueSatisfying(allow -> assertThat(allow).contains("POST"));
        assertThat(json(wrongMethod).get("message").asText()).startsWith("DELETE is not a method of " + DevelopmentsEndpoint.PATH);
    }

    @Test
    void shouldBeHealthyAndReady() throws Exception {
        assertThat(get("/health").statusCode()).isEqualTo(200);
        assertThat(get("/ready").statusCode()).isEqualTo(200);
    }

    // ---- helpers ----

    private static Development byId(List<Development> developments, String id) {
        return developments.stream().filter(d -> d.getDevelopmentId().equals(id)).findFirst().orElseThrow();
    }

    private static List<String> places(JsonNode status) {
        List<String> places = new ArrayList<>();
        status.get("meetings").forEach(m -> places.add(m.get("place").asText()));
        return places;
    }

    private static int freePort() throws Exception {
        try (var socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    private HttpResponse<String> get(String pathAndQuery) throws Exception {
        return OpenApiContract.matches(http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + web.port() + pathAndQuery))
                .timeout(Duration.ofSeconds(20)).build(), HttpResponse.BodyHandlers.ofString()));
    }

    /** The JSON a record reads as, parsed as a response is: numbers compare by value, not by Java type. */
    private static JsonNode asJson(org.apache.avro.specific.SpecificRecord record) throws Exception {
        return AvroJson.MAPPER.readTree(AvroJson.toJsonString(record));
    }

    private static JsonNode json(HttpResponse<String> response) throws Exception {
        assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(v -> assertThat(v).startsWith("application/json"));
        return AvroJson.MAPPER.readTree(response.body());
    }
}
