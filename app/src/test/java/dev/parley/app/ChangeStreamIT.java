package dev.parley.app;

import static dev.parley.schemas.DevelopmentBuilder.aDevelopment;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.parley.localkafka.KafkaBroker;
import dev.parley.localkafka.junit.KafkaExtension;
import dev.parley.producer.DevelopmentPublisher;
import dev.parley.producer.ProducerSettings;
import dev.parley.schemas.Development;
import dev.parley.schemas.DevelopmentType;
import dev.parley.schemas.json.AvroJson;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The server-sent changes on the shared broker: what is on the wire, resuming with {@code Last-Event-ID}, and news text
 * that tries to forge events. Other tests write to the same topics, so each test follows its own negotiation.
 */
@ExtendWith(KafkaExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@Timeout(value = 2, unit = TimeUnit.MINUTES)
class ChangeStreamIT {

    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final int MAX_CLIENTS = 6;

    @TempDir
    static Path home;

    private Pipeline pipeline;
    private WebServer web;
    private DevelopmentPublisher publisher;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final List<SseReader> readers = new ArrayList<>();

    @BeforeAll
    void startParley(KafkaBroker kafka) throws Exception {
        AppSettings settings = AppSettings.from(Map.of("PARLEY_APPLICATION_ID", "change-stream-it", "PARLEY_PORT", "0",
                        "PARLEY_API_TOKEN", "test-token", "PARLEY_SSE_HEARTBEAT_SECONDS", "1",
                        "PARLEY_SSE_MAX_CLIENTS", String.valueOf(MAX_CLIENTS)))
                .withBootstrapServers(kafka.bootstrapServers()).withHome(home);
        pipeline = Pipeline.start(settings);
        web = WebServer.start(pipeline, settings);
        publisher = DevelopmentPublisher.create(ProducerSettings.from(Map.of(), kafka.bootstrapServers()));
    }

    @AfterAll
    void stopParley() throws Exception {
        for (SseReader reader : readers) {
            reader.close();
        }
        for (AutoCloseable started : new AutoCloseable[] {publisher, web, pipeline}) {
            if (started != null) {
                started.close();
            }
        }
    }

    @Test
    void shouldSendANewChangeAsAnEventWithItsVersionAsIdAndOneLineOfJson() throws Exception {
        // given a client following a negotiation
        String negotiation = "sse-wire-talks";
        SseReader reader = follow("/api/negotiations/" + negotiation + "/changes", null);

        // when a development about it is published
        publish(statement(negotiation, "sse-wire-1", "Une déclaration « prudente »."));

        // then it arrives as one event: an id, a name, one data line holding the change
        SseReader.Event event = reader.nextEvent(WAIT, e -> true);
        assertThat(reader.response.statusCode()).isEqualTo(200);
        assertThat(reader.response.headers().firstValue("Content-Type")).hasValueSatisfying(v -> assertThat(v).startsWith("text/event-stream"));
        assertThat(event.name()).isEqualTo("change");
        assertThat(event.dataLines()).hasSize(1);
        JsonNode change = AvroJson.MAPPER.readTree(event.data());
        assertThat(change.get("negotiation_id").asText()).isEqualTo(negotiation);
        assertThat(event.id()).isEqualTo(change.get("to_version").asText());
        assertThat(change.get("caused_by").get(0).asText()).isEqualTo("sse-wire-1");
        assertThat(event.data()).contains("« prudente »");
    }

    @Test
    void shouldSendAReconnectingClientExactlyWhatItMissed() throws Exception {
        // given a client that received the first change, then went away
        String negotiation = "sse-resume-talks";
        SseReader first = follow("/api/negotiations/" + negotiation + "/changes", null);
        publish(statement(negotiation, "sse-resume-1", "Premier."));
        String lastEventId = first.nextEvent(WAIT, e -> true).id();
        first.close();

        // when two more developments are folded while it is away, and it comes back with Last-Event-ID
        publish(statement(negotiation, "sse-resume-2", "Deuxième."));
        publish(statement(negotiation, "sse-resume-3", "Troisième."));
        awaitVersion(negotiation, Long.parseLong(lastEventId) + 2);
        SseReader again = follow("/api/negotiations/" + negotiation + "/changes", lastEventId);
        publish(statement(negotiation, "sse-resume-4", "Quatrième, en direct."));

        // then it gets the two it missed, then the live one: none twice, none lost
        List<String> causes = new ArrayList<>();
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            SseReader.Event event = again.nextEvent(WAIT, e -> true);
            ids.add(event.id());
            causes.add(AvroJson.MAPPER.readTree(event.data()).get("caused_by").get(0).asText());
        }
        long last = Long.parseLong(lastEventId);
        assertThat(ids).containsExactly(String.valueOf(last + 1), String.valueOf(last + 2), String.valueOf(last + 3));
        assertThat(causes).containsExactly("sse-resume-2", "sse-resume-3", "sse-resume-4");
    }

    @Test
    void shouldResumeTheStreamOfAllChangesFromTheOffsetsInItsEventId() throws Exception {
        // given a client of every change that received one of this negotiation's, then went away
        String negotiation = "sse-all-talks";
        SseReader first = follow("/api/changes", null);
        publish(statement(negotiation, "sse-all-1", "Un."));
        SseReader.Event seen = first.nextEvent(WAIT, e -> e.data().contains("\"" + negotiation + "\""));
        first.close();
        assertThat(seen.id()).matches("\\d+-\\d+(\\.\\d+-\\d+)*");

        // when it misses one and comes back with the position it had
        publish(statement(negotiation, "sse-all-2", "Deux."));
        SseReader again = follow("/api/changes", seen.id());
        publish(statement(negotiation, "sse-all-3", "Trois."));

        // then it gets this negotiation's next changes in order, not the one it had
        List<String> causes = new ArrayList<>();
        for (int i = 0; i < 2; i++) {
            SseReader.Event event = again.nextEvent(WAIT, e -> e.data().contains("\"" + negotiation + "\""));
            causes.add(AvroJson.MAPPER.readTree(event.data()).get("caused_by").get(0).asText());
        }
        assertThat(causes).containsExactly("sse-all-2", "sse-all-3");
    }

    @Test
    void shouldKeepNewsTextThatLooksLikeEventsInsideOneDataLine() throws Exception {
        // given a client following a negotiation
        String negotiation = "sse-forgery-talks";
        SseReader reader = follow("/api/negotiations/" + negotiation + "/changes", null);

        // when a summary tries to end the event and start a forged one
        String forged = "Ligne un.\nLigne deux.\n\ndata: forged\nid: 999\n\nevent: change";
        publish(statement(negotiation, "sse-forgery-1", forged));

        // then the change is one event with one data line, in which the text is escaped JSON
        SseReader.Event event = reader.nextEvent(WAIT, e -> true);
        assertThat(event.dataLines()).hasSize(1);
        assertThat(event.data()).contains("Ligne un.\\\\nLigne deux.\\\\n\\\\ndata: forged");
        assertThat(event.lines()).noneMatch(line -> line.startsWith("data: forged") || line.startsWith("id: 999"));
        JsonNode change = AvroJson.MAPPER.readTree(event.data());
        assertThat(change.get("changes").toString()).contains("forged");
        assertThat(AvroJson.MAPPER.readTree(change.get("changes").get(0).get("after").asText()).toString()).contains("Ligne un.\\nLigne deux.");
    }

    @Test
    void shouldSendHeartbeatCommentsOnAQuietStream() throws Exception {
        // given a client following a negotiation nobody writes about
        SseReader reader = follow("/api/negotiations/sse-quiet-talks/changes", null);

        // when / then comment lines keep coming (every second here), after the ": connected" that follow() read
        List<String> comments = new ArrayList<>();
        while (comments.size() < 2) {
            String line = reader.nextLine(Duration.ofSeconds(5));
            if (line.startsWith(":")) {
                comments.add(line);
            }
        }
        assertThat(comments).allMatch(line -> line.strip().equals(":"));
    }

    @Test
    void shouldAnswer400WithTheExpectedFormatForALastEventIdThatIsNotOneAnd406ToAClientThatTakesNoStream() throws Exception {
        // when
        var negotiation = OpenApiContract.matches(http.send(sseRequest("/api/negotiations/sse-bad-talks/changes", "twelve"),
                HttpResponse.BodyHandlers.ofString()));
        var all = OpenApiContract.matches(http.send(sseRequest("/api/changes", "0-12.1"), HttpResponse.BodyHandlers.ofString()));
        var notAStreamClient = OpenApiContract.matches(http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + web.port()
                + "/api/changes")).header("Accept", "application/json").build(), HttpResponse.BodyHandlers.ofString()));

        // then
        assertThat(negotiation.statusCode()).isEqualTo(400);
        assertThat(AvroJson.MAPPER.readTree(negotiation.body()).get("message").asText())
                .isEqualTo("Last-Event-ID: \"twelve\" is not a version of the negotiation's view"
                        + " (expected a whole number from 0, e.g. 12, as sent in an event's id)");
        assertThat(all.statusCode()).isEqualTo(400);
        assertThat(AvroJson.MAPPER.readTree(all.body()).get("message").asText())
                .startsWith("Last-Event-ID: \"0-12.1\" is not a position in the changes (\"1\" is not <partition>-<offset>;");
        assertThat(notAStreamClient.statusCode()).isEqualTo(406);
    }

    @Test
    @Order(Integer.MAX_VALUE) // last: it fills every slot
    void shouldAnswer503WithRetryAfterOnceTheClientsAreAtTheLimit() throws Exception {
        // given as many clients as allowed (some may still be held by earlier tests' closed streams)
        List<Integer> statuses = new ArrayList<>();
        HttpResponse<?> refused = null;
        for (int i = 0; i <= MAX_CLIENTS && refused == null; i++) {
            SseReader reader = follow("/api/negotiations/sse-crowded-talks/changes", null);
            statuses.add(reader.response.statusCode());
            if (reader.response.statusCode() == 503) {
                refused = reader.response;
            }
        }

        // then one more is refused, with when to come back
        assertThat(refused).as("statuses %s", statuses).isNotNull();
        assertThat(refused.headers().firstValue("Retry-After")).contains("5");
        assertThat(statuses.stream().filter(s -> s == 200).count()).isLessThanOrEqualTo(MAX_CLIENTS);
        for (SseReader reader : readers) {
            reader.close();
        }
    }

    private SseReader follow(String path, String lastEventId) throws Exception {
        SseReader reader = SseReader.open(http, URI.create("http://127.0.0.1:" + web.port() + path), lastEventId);
        readers.add(reader);
        if (reader.response.statusCode() == 200) {
            assertThat(reader.nextLine(WAIT)).as("the stream is ready").isEqualTo(": connected");
        }
        return reader;
    }

    private HttpRequest sseRequest(String path, String lastEventId) {
        return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + web.port() + path))
                .header("Accept", "text/event-stream").header("Last-Event-ID", lastEventId).GET().build();
    }

    private static Development statement(String negotiation, String id, String summary) {
        return aDevelopment().negotiation(negotiation).id(id).type(DevelopmentType.STATEMENT).subject("statement:" + id)
                .summary(summary).build();
    }

    private void publish(Development development) throws InterruptedException {
        publisher.publishAll(List.of(development));
    }

    private void awaitVersion(String negotiation, long version) throws Exception {
        Await.until("version " + version + " of " + negotiation, WAIT, () -> {
            try {
                return pipeline.status(negotiation).map(s -> s.getVersion() >= version).orElse(false);
            } catch (org.apache.kafka.streams.errors.InvalidStateStoreException restoring) {
                return false; // ask again
            }
        });
    }
}
