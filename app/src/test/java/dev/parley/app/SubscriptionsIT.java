package dev.parley.app;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.parley.consumer.ChangeFilter;
import dev.parley.consumer.RetryPolicy;
import dev.parley.consumer.Subscription;
import dev.parley.consumer.SubscriptionStatus;
import dev.parley.consumer.atom.AtomFeedSink;
import dev.parley.consumer.jdbc.TestDatabases;
import dev.parley.consumer.jdbc.DatabaseSink;
import dev.parley.consumer.webhook.WebhookSink;
import dev.parley.localkafka.KafkaBroker;
import dev.parley.localkafka.junit.KafkaExtension;
import dev.parley.producer.DevelopmentPublisher;
import dev.parley.producer.ProducerSettings;
import dev.parley.schemas.AvroSerde;
import dev.parley.schemas.ChangeKind;
import dev.parley.schemas.Development;
import dev.parley.schemas.StatusChange;
import dev.parley.schemas.Topics;
import dev.parley.schemas.json.AvroJson;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Subscriptions on the shared broker delivering to real sinks: PostgreSQL on 127.0.0.1:5432, a SQLite file, a webhook
 * receiver that checks signatures, Atom feeds and a JSON lines file. Other tests write to the same topics, so each
 * subscription here filters to this test's own negotiations.
 */
@ExtendWith(KafkaExtension.class)
@Timeout(value = 4, unit = TimeUnit.MINUTES)
class SubscriptionsIT {

    private static final Duration WAIT = Duration.ofSeconds(90);

    @TempDir
    Path home;

    private final HttpClient http = HttpClient.newHttpClient();

    @Test
    void shouldDeliverEveryChangeToEverySinkOnceEvenWhenTheWebhookFailsFirst(KafkaBroker kafka) throws Exception {
        String negotiation = "subscriptions-it-" + UUID.randomUUID().toString().substring(0, 8);
        String postgres = TestDatabases.freshPostgresqlSchema();
        AppSettings settings = AppSettings.from(Map.of("PARLEY_APPLICATION_ID", "subscriptions-it", "PARLEY_PORT", "0",
                "PARLEY_API_TOKEN", "test-token")).withBootstrapServers(kafka.bootstrapServers()).withHome(home);
        ChangeFilter ours = ChangeFilter.of(List.of(negotiation), List.of());
        try (var receiver = new WebhookReceiver(2, 0); Pipeline pipeline = Pipeline.start(settings);
             WebServer web = WebServer.start(pipeline, settings)) {
            // given subscriptions of this negotiation to each kind of sink, and one to held meetings only
            pipeline.subscribe(new Subscription("it-postgresql", DatabaseSink.open(postgres), ours, RetryPolicy.DEFAULT), Map.of());
            pipeline.subscribe(new Subscription("it-sqlite", DatabaseSink.open("jdbc:sqlite:" + home.resolve("it.db")), ours, RetryPolicy.DEFAULT), Map.of());
            pipeline.subscribe(new Subscription("it-webhook", WebhookSink.create("it-webhook", URI.create(receiver.url()),
                    WebhookReceiver.SECRET, true), ours, RetryPolicy.DEFAULT), Map.of());
            pipeline.subscribe(new Subscription("it-atom", new AtomFeedSink(pipeline.feedsFolder()), ours, RetryPolicy.DEFAULT), Map.of());
            pipeline.subscribe(new Subscription("it-meetings-held", DatabaseSink.open("jdbc:sqlite:" + home.resolve("meetings.db")),
                    ChangeFilter.of(List.of(negotiation), List.of("MEETING_HELD")), RetryPolicy.DEFAULT), Map.of());

            // when the seed article is published for the negotiation
            try (var publisher = DevelopmentPublisher.create(ProducerSettings.from(Map.of(), kafka.bootstrapServers()))) {
                publisher.publishAll(SeedArticle.as(negotiation));
            }
            pipeline.awaitCaughtUp(WAIT);
            List<StatusChange> changes = changesOf(kafka, Set.of(negotiation));
            int versions = changes.size();
            long meetingsHeld = changes.stream().filter(c -> c.getChanges().stream().anyMatch(i -> i.getKind() == ChangeKind.MEETING_HELD)).count();
            Await.until("every subscription has delivered and caught up", WAIT, () -> {
                List<SubscriptionStatus> all = pipeline.subscriptions();
                return all.size() == 5 && all.stream().allMatch(s -> s.lag() == 0 && s.delivered() == (s.name().equals("it-meetings-held") ? meetingsHeld : versions));
            });

            // then both databases hold every version once, and the status at the last one
            List<Long> expected = LongStream(versions);
            assertThat(TestDatabases.column(postgres, "SELECT version FROM status_change ORDER BY version")).isEqualTo(expected);
            assertThat(TestDatabases.column("jdbc:sqlite:" + home.resolve("it.db"), "SELECT version FROM status_change ORDER BY version")).isEqualTo(expected);
            assertThat(TestDatabases.column(postgres, "SELECT version FROM negotiation_status")).containsExactly((long) versions);
            assertThat(TestDatabases.column(postgres, "SELECT phase FROM negotiation_status")).containsExactly("DIRECT_TALKS");
            assertThat(TestDatabases.column(postgres, "SELECT item FROM negotiation_status_item ORDER BY item"))
                    .isEqualTo(TestDatabases.column("jdbc:sqlite:" + home.resolve("it.db"), "SELECT item FROM negotiation_status_item ORDER BY item"));
            assertThat(meetingsHeld).isPositive();
            assertThat(TestDatabases.column("jdbc:sqlite:" + home.resolve("meetings.db"), "SELECT count(*) FROM status_change")).containsExactly(meetingsHeld);

            // and the webhook received each change once, correctly signed, after two 503s were retried
            assertThat(receiver.badSignatures).hasValue(0);
            assertThat(new TreeSet<>(receiver.acceptedById.keySet()))
                    .isEqualTo(expected.stream().map(v -> negotiation + ":" + v).collect(Collectors.toCollection(TreeSet::new)));
            assertThat(receiver.requestIds).hasSize(versions + 2);
            JsonNode first = AvroJson.MAPPER.readTree(receiver.acceptedById.get(negotiation + ":1"));
            assertThat(first.get("negotiation_id").asText()).isEqualTo(negotiation);

            // and the Atom feed is served, newest first, and the subscriptions report no lag
            var feed = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + web.port() + "/feeds/" + negotiation + ".atom")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(feed.statusCode()).isEqualTo(200);
            assertThat(feed.headers().firstValue("Content-Type")).hasValueSatisfying(type -> assertThat(type).startsWith("application/atom+xml"));
            assertThat(feed.body()).contains("<entry>").contains("negotiation/" + negotiation + "/v" + versions + "<");
            var listed = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + web.port() + "/api/subscriptions")).build(),
                    HttpResponse.BodyHandlers.ofString());
            JsonNode webhook = find(AvroJson.MAPPER.readTree(listed.body()).get("subscriptions"), "it-webhook");
            assertThat(webhook.get("delivered").asLong()).isEqualTo(versions);
            assertThat(webhook.get("lag").asLong()).isZero();
            assertThat(webhook.get("state").asText()).isEqualTo("DELIVERING");

            // and parley subscriptions, reading the consumer groups, shows the same lag of 0 for each
            var printed = new java.io.StringWriter();
            var errors = new java.io.StringWriter();
            assertThat(Parley.commandLine().setOut(new java.io.PrintWriter(printed)).setErr(new java.io.PrintWriter(errors))
                    .execute("subscriptions", "--bootstrap-servers", kafka.bootstrapServers())).as(errors::toString).isZero();
            assertThat(printed.toString().lines()).anySatisfy(line -> assertThat(line).matches("it-webhook +0"))
                    .anySatisfy(line -> assertThat(line).matches("it-postgresql +0"));
        } finally {
            TestDatabases.dropPostgresqlSchema(postgres);
        }
    }

    @Test
    void shouldEndWithTheSameSinksWhenTheSubscriberProcessIsKilledMidStream(KafkaBroker kafka) throws Exception {
        // given the status changes of twenty negotiations, folded and waiting on the topic
        String run = UUID.randomUUID().toString().substring(0, 8);
        List<String> negotiations = IntStream.range(0, 20).mapToObj(i -> "killed-subscriber-" + run + "-" + i).toList();
        AppSettings settings = AppSettings.from(Map.of("PARLEY_APPLICATION_ID", "subscriptions-kill-it", "PARLEY_PORT", "0"))
                .withBootstrapServers(kafka.bootstrapServers()).withHome(home.resolve("pipeline"));
        List<StatusChange> changes;
        try (Pipeline pipeline = Pipeline.start(settings);
             var publisher = DevelopmentPublisher.create(ProducerSettings.from(Map.of(), kafka.bootstrapServers()))) {
            List<Development> all = new ArrayList<>();
            negotiations.forEach(id -> all.addAll(SeedArticle.as(id)));
            publisher.publishAll(all);
            pipeline.awaitCaughtUp(WAIT);
        }
        changes = changesOf(kafka, Set.copyOf(negotiations));
        Set<String> expected = changes.stream().map(c -> c.getNegotiationId() + ":" + c.getToVersion()).collect(Collectors.toCollection(TreeSet::new));
        assertThat(expected).hasSize(changes.size());

        // and a subscriber process delivering them to PostgreSQL, a JSON lines file and a slow webhook
        String postgres = TestDatabases.freshPostgresqlSchema();
        Path jsonLines = home.resolve("changes.jsonl");
        try (var receiver = new WebhookReceiver(0, 5)) {
            Path subscriptions = home.resolve("subscriptions.yaml");
            String only = negotiations.stream().collect(Collectors.joining(", ", "[", "]"));
            Files.writeString(subscriptions, "subscriptions:\n"
                    + "  - {name: kill-postgresql-" + run + ", sink: \"" + postgres + "\", negotiations: " + only + "}\n"
                    + "  - {name: kill-jsonl-" + run + ", sink: \"file:" + jsonLines + "\", negotiations: " + only + "}\n"
                    + "  - {name: kill-webhook-" + run + ", sink: \"" + receiver.url() + "\", secret: \"" + WebhookReceiver.SECRET
                    + "\", negotiations: " + only + "}\n");
            Process subscriber = startSubscriber(kafka, subscriptions);
            try {
                // when it is killed with SIGKILL a third of the way through, then started again
                try {
                    Await.until("a third of the changes delivered to the webhook", WAIT, () -> receiver.acceptedById.size() >= expected.size() / 3);
                } catch (AssertionError e) {
                    throw new AssertionError(e.getMessage() + "; the subscriber printed:\n" + Files.readString(home.resolve("subscriber.log")), e);
                }
                subscriber.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
                int deliveredBeforeKill = receiver.acceptedById.size();
                assertThat(deliveredBeforeKill).isLessThan(expected.size());
                subscriber = startSubscriber(kafka, subscriptions);
                try {
                    Await.until("every change delivered everywhere", WAIT, () -> receiver.acceptedById.size() == expected.size()
                            && TestDatabases.column(postgres, "SELECT count(*) FROM status_change").equals(List.of((long) expected.size()))
                            && Files.readAllLines(jsonLines).size() >= expected.size());
                } catch (AssertionError e) {
                    throw new AssertionError(e.getMessage() + ": webhook " + receiver.acceptedById.size() + ", PostgreSQL "
                            + TestDatabases.column(postgres, "SELECT count(*) FROM status_change") + ", file " + Files.readAllLines(jsonLines).size()
                            + " of " + expected.size() + "; the subscriber printed:\n" + Files.readString(home.resolve("subscriber.log")), e);
                }
            } finally {
                subscriber.destroy();
                subscriber.waitFor(30, TimeUnit.SECONDS);
            }

            // then every sink holds exactly the changes on the topic, each once, as a run without the kill would
            assertThat(new TreeSet<>(receiver.acceptedById.keySet())).isEqualTo(expected);
            assertThat(receiver.badSignatures).hasValue(0);
            assertThat(new TreeSet<>(TestDatabases.column(postgres, "SELECT negotiation_id || ':' || version FROM status_change"))).isEqualTo(expected);
            assertThat(TestDatabases.column(postgres, "SELECT count(*) FROM negotiation_status WHERE version = (SELECT max(version) FROM status_change c WHERE c.negotiation_id = negotiation_status.negotiation_id)"))
                    .containsExactly((long) negotiations.size());
            List<String> lines = Files.readAllLines(jsonLines);
            Set<String> inFile = new TreeSet<>();
            for (String line : lines) {
                JsonNode json = AvroJson.MAPPER.readTree(line);
                inFile.add(json.get("negotiation_id").asText() + ":" + json.get("to_version").asLong());
            }
            assertThat(lines).hasSize(expected.size());
            assertThat(inFile).isEqualTo(expected);
        } finally {
            TestDatabases.dropPostgresqlSchema(postgres);
        }
    }

    @Test
    void shouldParkWhatTheWebhookRefusesAndDeliverItOnRetry(KafkaBroker kafka) throws Exception {
        // given a webhook that refuses every change with 422, and a subscription to it
        String negotiation = "parked-it-" + UUID.randomUUID().toString().substring(0, 8);
        String name = negotiation + "-hook";
        AppSettings settings = AppSettings.from(Map.of("PARLEY_APPLICATION_ID", "parked-it", "PARLEY_PORT", "0"))
                .withBootstrapServers(kafka.bootstrapServers()).withHome(home);
        try (var receiver = new WebhookReceiver(0, 0); Pipeline pipeline = Pipeline.start(settings)) {
            receiver.refuseWith = 422;
            pipeline.subscribe(new Subscription(name, WebhookSink.create(name, URI.create(receiver.url()), WebhookReceiver.SECRET, true),
                    ChangeFilter.of(List.of(negotiation), List.of()), RetryPolicy.DEFAULT), Map.of());

            // when three developments are folded
            try (var publisher = DevelopmentPublisher.create(ProducerSettings.from(Map.of(), kafka.bootstrapServers()))) {
                publisher.publishAll(SeedArticle.as(negotiation).subList(0, 3));
            }
            pipeline.awaitCaughtUp(WAIT);
            int versions = changesOf(kafka, Set.of(negotiation)).size();
            Await.until("every change parked", WAIT, () -> pipeline.subscriptions().get(0).parked() == versions);

            // then they are parked with the receiver's answer, and listed
            String listed = runParley("parked", "--bootstrap-servers", kafka.bootstrapServers());
            assertThat(listed).contains(name).contains("refused " + negotiation + ":1").contains("422");

            // and once the receiver takes them, a retry delivers each, and a second retry nothing more
            receiver.refuseWith = 0;
            Path subscriptions = home.resolve("parked.yaml");
            Files.writeString(subscriptions, "subscriptions:\n  - {name: " + name + ", sink: \"" + receiver.url() + "\", secret: \""
                    + WebhookReceiver.SECRET + "\"}\n");
            assertThat(runParley("parked", "--retry", name, "--subscriptions", subscriptions.toString(), "--bootstrap-servers", kafka.bootstrapServers()))
                    .contains("Retried " + versions + " parked change(s) of " + name + ": " + versions + " delivered, 0 already there.");
            assertThat(new TreeSet<>(receiver.acceptedById.keySet()))
                    .isEqualTo(LongStream(versions).stream().map(v -> negotiation + ":" + v).collect(Collectors.toCollection(TreeSet::new)));
        }
    }

    @Test
    void shouldWatchHistoryFirstThenNewChangesAsTheyCome(KafkaBroker kafka) throws Exception {
        // given half the seed article folded for a negotiation
        String negotiation = "watch-it-" + UUID.randomUUID().toString().substring(0, 8);
        AppSettings settings = AppSettings.from(Map.of("PARLEY_APPLICATION_ID", "watch-it", "PARLEY_PORT", "0"))
                .withBootstrapServers(kafka.bootstrapServers()).withHome(home);
        List<Development> seed = SeedArticle.as(negotiation);
        Path output = home.resolve("watch.out");
        try (Pipeline pipeline = Pipeline.start(settings);
             var publisher = DevelopmentPublisher.create(ProducerSettings.from(Map.of(), kafka.bootstrapServers()))) {
            publisher.publishAll(seed.subList(0, 10));
            pipeline.awaitCaughtUp(WAIT);
            int before = changesOf(kafka, Set.of(negotiation)).size();

            // when parley watch follows it from the first of December, and the rest is published meanwhile
            Process watch = parley(output, "watch", negotiation, "--from", "2025-12-01", "--bootstrap-servers", kafka.bootstrapServers());
            try {
                Await.until("the history printed", WAIT, () -> changeLines(output).size() == before);
                publisher.publishAll(seed.subList(10, seed.size()));
                pipeline.awaitCaughtUp(WAIT);
                int all = changesOf(kafka, Set.of(negotiation)).size();

                // then it prints every change once, in version order: the history, then the new ones
                try {
                    Await.until("the new changes printed", WAIT, () -> changeLines(output).size() == all);
                } catch (AssertionError e) {
                    // The file is in a temporary directory that goes with the test: show what watch did print.
                    System.err.println("parley watch printed " + changeLines(output).size() + " change(s) of " + all + ":\n"
                            + Files.readString(output));
                    throw e;
                }
                assertThat(changeLines(output)).extracting(line -> line.replaceAll(".* v(\\d+) .*", "$1"))
                        .containsExactlyElementsOf(IntStream.rangeClosed(1, all).mapToObj(String::valueOf).toList());
                assertThat(Files.readString(output)).contains("Watching negotiations [" + negotiation + "], all kinds, known since 2025-12-01");
            } finally {
                watch.destroy();
                watch.waitFor(30, TimeUnit.SECONDS);
            }
        }
    }

    @Test
    void shouldReplayIntoAFreshDatabaseAndChangeNothingTheSecondTime(KafkaBroker kafka) throws Exception {
        // given the seed article folded for a negotiation
        String negotiation = "replay-it-" + UUID.randomUUID().toString().substring(0, 8);
        AppSettings settings = AppSettings.from(Map.of("PARLEY_APPLICATION_ID", "replay-it", "PARLEY_PORT", "0"))
                .withBootstrapServers(kafka.bootstrapServers()).withHome(home);
        try (Pipeline pipeline = Pipeline.start(settings);
             var publisher = DevelopmentPublisher.create(ProducerSettings.from(Map.of(), kafka.bootstrapServers()))) {
            publisher.publishAll(SeedArticle.as(negotiation));
            pipeline.awaitCaughtUp(WAIT);
        }
        int versions = changesOf(kafka, Set.of(negotiation)).size();
        String postgres = TestDatabases.freshPostgresqlSchema();
        try {
            for (String database : List.of(postgres, "jdbc:sqlite:" + home.resolve("replayed.db"))) {
                // when its history is replayed into a fresh database, twice
                String first = replay(kafka, negotiation, database);
                List<Object> rows = TestDatabases.column(database, "SELECT negotiation_id || ':' || version || ':' || replayed FROM status_change ORDER BY version");
                String second = replay(kafka, negotiation, database);

                // then the first replay writes every change, marked replayed, and the second writes nothing
                assertThat(first).contains("Replayed " + versions + " change(s) into jdbc:");
                assertThat(second).contains("Replayed 0 change(s) into jdbc:").contains("; " + versions + " the sink already had;");
                assertThat(rows).hasSize(versions).allSatisfy(row -> assertThat(row.toString()).matches(negotiation + ":\\d+:(true|1)"));
                assertThat(TestDatabases.column(database, "SELECT negotiation_id || ':' || version || ':' || replayed FROM status_change ORDER BY version")).isEqualTo(rows);
                assertThat(TestDatabases.column(database, "SELECT version FROM negotiation_status")).containsExactly((long) versions);
            }
        } finally {
            TestDatabases.dropPostgresqlSchema(postgres);
        }
    }

    private static String replay(KafkaBroker kafka, String negotiation, String database) {
        var out = new java.io.StringWriter();
        var err = new java.io.StringWriter();
        int exit = Parley.commandLine().setOut(new java.io.PrintWriter(out)).setErr(new java.io.PrintWriter(err))
                .execute("replay", "--from", "2025-12-01", "--negotiation", negotiation, "--sink", database,
                        "--bootstrap-servers", kafka.bootstrapServers());
        assertThat(exit).as(err::toString).isZero();
        return out.toString();
    }

    /** The lines of {@code parley watch} that start a change: {@code <known_at>  <negotiation> v<version> ...}. */
    private static List<String> changeLines(Path output) throws Exception {
        return Files.exists(output) ? Files.readAllLines(output).stream().filter(line -> line.matches("^\\d{4}-\\d\\d-\\d\\dT.* v\\d+ .*")).toList() : List.of();
    }

    /** {@code parley subscribe} in a JVM of its own, as an operator runs it. */
    private Process startSubscriber(KafkaBroker kafka, Path subscriptions) throws Exception {
        return parley(home.resolve("subscriber.log"), "subscribe", "--bootstrap-servers", kafka.bootstrapServers(),
                "--subscriptions", subscriptions.toString(), "--status-every", "1");
    }

    /** Runs a {@code parley} command in a JVM of its own and returns what it printed; it must succeed. */
    private String runParley(String... args) throws Exception {
        Path output = Files.createTempFile(home, "parley-", ".out");
        Process process = parley(output, args);
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).as("parley " + String.join(" ", args) + " finished").isTrue();
        String printed = Files.readString(output);
        assertThat(process.exitValue()).as(printed).isZero();
        return printed;
    }

    private Process parley(Path output, String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx256m",
                "-cp", System.getProperty("java.class.path"), Parley.class.getName()));
        command.addAll(List.of(args));
        var builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(output.toFile()));
        builder.environment().put("PARLEY_WEBHOOK_ALLOW_PRIVATE_TARGETS", "true");
        return builder.start();
    }

    private static List<StatusChange> changesOf(KafkaBroker kafka, Set<String> negotiations) {
        return TopicSnapshot.read(kafka.bootstrapServers(), Topics.STATUS_CHANGES, AvroSerde.of(StatusChange.class), WAIT).stream()
                .map(record -> record.value()).filter(change -> change != null && negotiations.contains(change.getNegotiationId())).toList();
    }

    private static List<Long> LongStream(int versions) {
        return java.util.stream.LongStream.rangeClosed(1, versions).boxed().toList();
    }

    private static JsonNode find(JsonNode subscriptions, String name) {
        for (JsonNode subscription : subscriptions) {
            if (subscription.get("name").asText().equals(name)) {
                return subscription;
            }
        }
        throw new AssertionError("no subscription " + name + " in " + subscriptions);
    }
}
