package dev.parley.app;

import static dev.parley.schemas.DevelopmentBuilder.aDevelopment;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.parley.schemas.Development;
import dev.parley.schemas.json.AvroJson;
import dev.parley.streams.StatusFold;
import io.javalin.Javalin;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The HTTP mapping of the queries, on real HTTP servers over state in memory: no Kafka here. */
class NegotiationsEndpointsTest {

    private static final Development MEETING = aDevelopment().negotiation("geneva-talks").id("geneva").meeting()
            .subject("meeting:geneva").in("Genève").on("2025-12-10").reportedAt("2025-12-06T09:00:00Z").build();

    private final HttpClient http = HttpClient.newHttpClient();
    private final List<Javalin> servers = new ArrayList<>();

    @AfterEach
    void stopServers() {
        servers.forEach(Javalin::stop);
    }

    @Test
    void shouldNameTheParameterAndTheExpectedFormatWith400WhenADateIsMalformed() throws Exception {
        // given
        int port = serve(new InMemoryNegotiationState(), Optional.empty());

        // when / then
        assertBadRequest(port, "/api/negotiations/geneva-talks/status?asOf=2025-13-01",
                "asOf: \"2025-13-01\" is not a date (expected YYYY-MM-DD)");
        assertBadRequest(port, "/api/negotiations/geneva-talks/status?asOf=2025-12-01&knownAt=yesterday",
                "knownAt: \"yesterday\" is not an instant (expected ISO-8601 UTC, e.g. 2025-12-04T08:00:00Z)");
        assertBadRequest(port, "/api/negotiations/geneva-talks/timeline?from=2025-12",
                "from: \"2025-12\" is not a date (expected YYYY-MM-DD)");
        assertBadRequest(port, "/api/negotiations/geneva-talks/timeline?from=2025-12-05&to=2025-12-01",
                "to: \"2025-12-01\" is before from \"2025-12-05\" (expected a day on or after from)");
        assertBadRequest(port, "/api/negotiations?scope=everywhere",
                "scope: \"everywhere\" is not a scope (expected local, or no scope for every instance)");
    }

    @Test
    void shouldAnswer404ForAnUnknownNegotiation() throws Exception {
        // given
        int port = serve(new InMemoryNegotiationState(), Optional.empty());

        // when
        var response = get(port, "/api/negotiations/nowhere-talks/status", false);

        // then
        assertThat(response.statusCode()).isEqualTo(404);
        assertThat(json(response).get("message").asText()).isEqualTo("No negotiation \"nowhere-talks\".");
    }

    @Test
    void shouldAnswer503WithRetryAfterWhileTheStateCannotAnswer() throws Exception {
        // given
        var state = new InMemoryNegotiationState();
        state.storesOpen = false;
        int port = serve(state, Optional.empty());

        // when
        var status = get(port, "/api/negotiations/geneva-talks/status", false);
        var list = get(port, "/api/negotiations", false);

        // then
        for (var response : List.of(status, list)) {
            assertThat(response.statusCode()).isEqualTo(503);
            assertThat(response.headers().firstValue("Retry-After")).contains("1");
            assertThat(json(response).get("message").asText()).startsWith("Cannot answer now: ").endsWith("Try again in 1 s.");
        }
    }

    @Test
    void shouldForwardAQueryOnceToTheInstanceThatHoldsTheNegotiation() throws Exception {
        // given instance B holds the negotiation, and A knows it
        var stateOfB = new InMemoryNegotiationState();
        stateOfB.holds("geneva-talks", StatusFold.fold("geneva-talks", List.of(MEETING)), List.of(MEETING));
        int portOfB = freePort();
        serve(stateOfB, Optional.of("127.0.0.1:" + portOfB), portOfB);
        var stateOfA = new InMemoryNegotiationState();
        stateOfA.location = new NegotiationQueries.There("127.0.0.1:" + portOfB);
        int portOfA = serve(stateOfA, Optional.of("127.0.0.1:" + freePort()));

        // when
        var status = get(portOfA, "/api/negotiations/geneva-talks/status?asOf=2025-12-31", false);
        var timeline = get(portOfA, "/api/negotiations/geneva-talks/timeline", false);

        // then B answered, through A
        assertThat(status.statusCode()).isEqualTo(200);
        assertThat(status.headers().firstValue(NegotiationsEndpoints.ANSWERED_BY)).contains("127.0.0.1:" + portOfB);
        assertThat(json(status)).isEqualTo(asJson(StatusFold.asOf("geneva-talks", List.of(MEETING), java.time.LocalDate.parse("2025-12-31"), null)));
        assertThat(json(timeline).get("developments")).hasSize(1);
        assertThat(json(timeline).get("developments").get(0).get("place").asText()).isEqualTo("Genève");
    }

    @Test
    void shouldAnswer503RatherThanForwardAForwardedQueryAgain() throws Exception {
        // given B believes A holds the negotiation (the instances disagree while the work is shared out again)
        var stateOfB = new InMemoryNegotiationState();
        stateOfB.location = new NegotiationQueries.There("127.0.0.1:1");
        int portOfB = serve(stateOfB, Optional.of("127.0.0.1:" + freePort()));

        // when A forwards a query to B
        var response = get(portOfB, "/api/negotiations/geneva-talks/status", true);

        // then B does not send it on
        assertThat(response.statusCode()).isEqualTo(503);
        assertThat(response.headers().firstValue("Retry-After")).contains("1");
        assertThat(json(response).get("message").asText()).contains("\"geneva-talks\" is moving between instances");
    }

    @Test
    void shouldAnswer503WhenTheInstanceThatHoldsTheNegotiationDoesNotAnswer() throws Exception {
        // given
        var state = new InMemoryNegotiationState();
        int gone = freePort();
        state.location = new NegotiationQueries.There("127.0.0.1:" + gone);
        int port = serve(state, Optional.of("127.0.0.1:" + freePort()));

        // when
        var response = get(port, "/api/negotiations/geneva-talks/timeline", false);

        // then
        assertThat(response.statusCode()).isEqualTo(503);
        assertThat(response.headers().firstValue("Retry-After")).contains("1");
        assertThat(json(response).get("message").asText()).contains("instance 127.0.0.1:" + gone + ", which holds negotiation \"geneva-talks\", did not answer");
    }

    @Test
    void shouldListTheNegotiationsOfEveryInstance() throws Exception {
        // given A holds one negotiation, B another
        var stateOfB = new InMemoryNegotiationState();
        stateOfB.holds("geneva-talks", StatusFold.fold("geneva-talks", List.of(MEETING)), List.of(MEETING));
        int portOfB = freePort();
        serve(stateOfB, Optional.of("127.0.0.1:" + portOfB), portOfB);
        Development other = aDevelopment().negotiation("abu-dhabi-talks").id("abu-dhabi").meeting().subject("meeting:abu-dhabi")
                .in("Abou Dhabi").on("2025-12-12").reportedAt("2025-12-12T18:00:00Z").build();
        var stateOfA = new InMemoryNegotiationState();
        stateOfA.holds("abu-dhabi-talks", StatusFold.fold("abu-dhabi-talks", List.of(other)), List.of(other));
        stateOfA.others = List.of("127.0.0.1:" + portOfB);
        int portOfA = serve(stateOfA, Optional.of("127.0.0.1:" + freePort()));

        // when
        var all = get(portOfA, "/api/negotiations", false);
        var local = get(portOfA, "/api/negotiations?scope=local", false);

        // then
        assertThat(all.statusCode()).isEqualTo(200);
        assertThat(json(all)).isEqualTo(AvroJson.MAPPER.readTree("""
                {"negotiations":[
                  {"negotiation_id":"abu-dhabi-talks","phase":null,"version":0,"known_at":"2025-12-12T18:00:00Z","development_count":1},
                  {"negotiation_id":"geneva-talks","phase":null,"version":0,"known_at":"2025-12-06T09:00:00Z","development_count":1}]}
                """));
        assertThat(json(local).get("negotiations")).extracting(n -> n.get("negotiation_id").asText()).containsExactly("abu-dhabi-talks");
    }

    @Test
    void shouldAnswer503RatherThanAnIncompleteListWhenAnInstanceDoesNotAnswer() throws Exception {
        // given
        var state = new InMemoryNegotiationState();
        int gone = freePort();
        state.others = List.of("127.0.0.1:" + gone);
        int port = serve(state, Optional.of("127.0.0.1:" + freePort()));

        // when
        var response = get(port, "/api/negotiations", false);

        // then
        assertThat(response.statusCode()).isEqualTo(503);
        assertThat(json(response).get("message").asText()).contains("instance 127.0.0.1:" + gone + " did not answer").contains("incomplete");
    }

    // ---- helpers ----

    private int serve(NegotiationQueries.State state, Optional<String> self) {
        return serve(state, self, 0);
    }

    /** The query routes as {@link WebServer} maps them. */
    private int serve(NegotiationQueries.State state, Optional<String> self, int port) {
        var endpoints = new NegotiationsEndpoints(new NegotiationQueries(state), self);
        Javalin server = Javalin.create(config -> config.showJavalinBanner = false)
                .get("/api/negotiations", endpoints::list)
                .get("/api/negotiations/{id}/status", endpoints::status)
                .get("/api/negotiations/{id}/timeline", endpoints::timeline)
                .start("127.0.0.1", port);
        servers.add(server);
        return server.port();
    }

    private static int freePort() throws Exception {
        try (var socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    private HttpResponse<String> get(int port, String pathAndQuery, boolean forwarded) throws Exception {
        var request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + pathAndQuery)).timeout(Duration.ofSeconds(20));
        if (forwarded) {
            request.header(NegotiationsEndpoints.FORWARDED, "1");
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private void assertBadRequest(int port, String pathAndQuery, String message) throws Exception {
        var response = get(port, pathAndQuery, false);
        assertThat(response.statusCode()).as(pathAndQuery).isEqualTo(400);
        assertThat(json(response)).isEqualTo(AvroJson.MAPPER.createObjectNode().put("message", message));
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
