package dev.parley.app;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.parley.consumer.jdbc.TestDatabases;
import dev.parley.localkafka.LocalKafka;
import dev.parley.localkafka.LocalKafkaSettings;
import dev.parley.producer.DevelopmentValidator;
import dev.parley.schemas.AvroSerde;
import dev.parley.schemas.Development;
import dev.parley.schemas.StatusChange;
import dev.parley.schemas.Topics;
import dev.parley.schemas.json.AvroJson;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ListOffsetsOptions;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.ConfigResource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The reliability issue's fault injection: the broker and Parley run as child JVMs on a broker of each test's own, a
 * feed publishes thousands of developments while processes are killed (SIGKILL), stopped (SIGTERM) and paused
 * (SIGSTOP), and {@link FaultOracle} then checks that nothing was lost or duplicated, in the topics and in every
 * sink. The table of what was injected and what the oracle found is printed at the end (and kept in docs/faults.md).
 */
// A guard against a hang, not a measure: every wait inside has a deadline of its own (WAIT). The kill scenario runs through
// six of them; on this 2-core machine it took 133 s one morning and 253 s an hour later (the same code, the machine twice
// as slow by the benchmark's CPU per development), more than 200 s (this bound's earlier value) on a slow CI day.
@Timeout(value = 15, unit = TimeUnit.MINUTES)
class FaultSuiteIT {

    /**
     * How long a recovery may take before the scenario fails. What the suite proves is that nothing is lost or duplicated;
     * how long recovery took is reported, not judged. Parley's recovery after a kill (a JVM started, corrupted tasks restored
     * from the changelogs, the backlog folded) took 19 to 26 s one morning here and 43 to 54 s an hour later, the same code;
     * twice in the next hour it ran past the 90 s this was.
     */
    private static final Duration WAIT = Duration.ofSeconds(180);
    private static final int NEGOTIATIONS = 20;
    private static final int PER_SECOND = 50;
    private static final int KILLS = 3;
    private static final String TOKEN = "fault-token";
    private static final Duration PAUSE = Duration.ofSeconds(15);
    private static final List<Row> TABLE = new CopyOnWriteArrayList<>();

    @TempDir
    Path dir;

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    /** One line of the report: a scenario, its scale, what was injected, how long recovery took, what the oracle found. */
    record Row(String scenario, int developments, String faults, String recovery, int lost, int duplicated) {
    }

    @AfterAll
    static void printTable() {
        StringBuilder table = new StringBuilder("\nFault suite\n\n| scenario | developments | faults injected | recovery | lost | duplicated |\n|---|---:|---|---|---:|---:|\n");
        TABLE.forEach(row -> table.append("| ").append(row.scenario()).append(" | ").append(String.format("%,d", row.developments()))
                .append(" | ").append(row.faults()).append(" | ").append(row.recovery()).append(" | ").append(row.lost())
                .append(" | ").append(row.duplicated()).append(" |\n"));
        System.out.println(table);
    }

    // ---- Parley and a sink process killed, local state deleted ----

    @Test
    void shouldLoseAndDuplicateNothingWhenParleyAndASubscriberAreKilledAndStateIsDeleted() throws Exception {
        long began = System.nanoTime();
        try (var kafka = new LocalKafka(LocalKafkaSettings.in(dir.resolve("kafka")));
             var receiverOfUp = new WebhookReceiver(0, 0); var receiverOfSubscriber = new WebhookReceiver(0, 0)) {
            kafka.start();
            String postgresOfUp = TestDatabases.freshPostgresqlSchema();
            String postgresOfSubscriber = TestDatabases.freshPostgresqlSchema();
            Path home = dir.resolve("up");
            try (Admin admin = admin(kafka)) {
                // given Parley with long transactions delivering to PostgreSQL, a file and a webhook (it publishes the seed
                // article's developments on its first start: ordinary input for the oracle)
                Files.createDirectories(home);
                Files.writeString(home.resolve("subscriptions.yaml"), "subscriptions:\n  - {name: hook, sink: \"" + receiverOfUp.url()
                        + "\", secret: \"" + WebhookReceiver.SECRET + "\"}\n");
                int port = ParleyProcess.freePort();
                Map<String, String> env = upEnv(kafka, "fault-kill", postgresOfUp, Map.of("KAFKA_COMMIT_INTERVAL_MS", "5000"));
                // and a subscriber process of its own delivering to PostgreSQL, a file and a webhook
                Path subscriptions = dir.resolve("subscriber.yaml");
                Path fileOfSubscriber = dir.resolve("subscriber-changes.jsonl");
                Files.writeString(subscriptions, "subscriptions:\n"
                        + "  - {name: fault-postgresql, sink: \"" + postgresOfSubscriber + "\"}\n"
                        + "  - {name: fault-file, sink: \"file:" + fileOfSubscriber + "\"}\n"
                        + "  - {name: fault-hook, sink: \"" + receiverOfSubscriber.url() + "\", secret: \"" + WebhookReceiver.SECRET + "\"}\n");
                List<String> subscriberGroups = List.of("parley-sink-fault-postgresql", "parley-sink-fault-file", "parley-sink-fault-hook");
                try (var up = ParleyProcess.up(home, port, env).start();
                     var subscriber = new ParleyProcess("parley subscribe", dir.resolve("subscriber.log"),
                             Map.of("PARLEY_WEBHOOK_ALLOW_PRIVATE_TARGETS", "true"), "subscribe", "--bootstrap-servers",
                             kafka.bootstrapServers(), "--subscriptions", subscriptions.toString());
                     var feed = new ContinuousFeed(kafka.bootstrapServers(), new Workload(7, NEGOTIATIONS, "killed-talks-"), PER_SECOND)) {
                    awaitHealthy(up, port);
                    // and a feed of developments, and the subscriber process
                    feed.start();
                    subscriber.start();
                    phase(began, "Parley and the subscriber started");

                    // when, three times, the subscriber is killed while it writes, and Parley in the middle of a transaction
                    List<Long> inFlightAtKill = new ArrayList<>();
                    List<Long> unconfirmedAtKill = new ArrayList<>();
                    List<Duration> upRecovery = new ArrayList<>();
                    List<Duration> subscriberRecovery = new ArrayList<>();
                    for (int kill = 1; kill <= KILLS; kill++) {
                        long rows = rowCount(postgresOfSubscriber);
                        Await.until("the subscriber writing to PostgreSQL (kill " + kill + ")", WAIT, () -> rowCount(postgresOfSubscriber) > rows);
                        subscriber.kill();
                        unconfirmedAtKill.add(rowCount(postgresOfSubscriber) - changesBelow(kafka, committed(admin, subscriberGroups.get(0))));
                        long subscriberRestart = System.nanoTime();
                        Map<TopicPartition, Long> changesAtRestart = ends(admin, Topics.STATUS_CHANGES, IsolationLevel.READ_COMMITTED);
                        subscriber.start();

                        Await.until("Parley in the middle of a transaction that wrote changes (kill " + kill + ")", WAIT,
                                () -> up.get(port, "/health") == 200 && inFlight(admin) > 0);
                        inFlightAtKill.add(inFlight(admin));
                        up.kill();
                        long upRestart = System.nanoTime();
                        Map<TopicPartition, Long> developmentsAtRestart = ends(admin, Topics.DEVELOPMENTS, IsolationLevel.READ_UNCOMMITTED);
                        up.start();

                        // then each catches up with what was there when it was started again
                        Duration[] recovered = new Duration[2];
                        Await.until("Parley and the subscriber caught up after kill " + kill, WAIT, () -> {
                            if (recovered[0] == null && committedPast(admin, "fault-kill", developmentsAtRestart)) {
                                recovered[0] = Duration.ofNanos(System.nanoTime() - upRestart);
                            }
                            if (recovered[1] == null && subscriberGroups.stream().allMatch(group -> committedPast(admin, group, changesAtRestart))) {
                                recovered[1] = Duration.ofNanos(System.nanoTime() - subscriberRestart);
                            }
                            return recovered[0] != null && recovered[1] != null;
                        });
                        upRecovery.add(recovered[0]);
                        subscriberRecovery.add(recovered[1]);
                        phase(began, "kill " + kill + " recovered");
                    }
                    List<Development> acknowledged = feed.stop(WAIT);
                    awaitEverythingDelivered(admin, "fault-kill", Stream.concat(Stream.of("parley-sink-database", "parley-sink-jsonl",
                            "parley-sink-hook"), subscriberGroups.stream()).toList());
                    phase(began, "everything delivered");

                    // when Parley is stopped, its local state deleted, and it is started again
                    Set<String> negotiations = negotiations(port);
                    Map<String, JsonNode> before = views(port, negotiations);
                    assertThat(before).as("views before the state is deleted").hasSizeGreaterThan(NEGOTIATIONS).doesNotContainValue(null);
                    up.stop();
                    Path state = home.resolve("streams");
                    assertThat(state).isDirectory();
                    deleteRecursively(state);
                    long restart = System.nanoTime();
                    up.start();

                    // then it restores every view from the changelogs, equal to what it was
                    Await.until("every view restored", WAIT, () -> up.get(port, "/ready") == 200 && views(port, negotiations).equals(before));
                    Duration restored = Duration.ofNanos(System.nanoTime() - restart);
                    assertThat(state).isDirectory();
                    awaitEverythingDelivered(admin, "fault-kill", List.of("parley-sink-database", "parley-sink-jsonl", "parley-sink-hook"));
                    phase(began, "state restored");

                    // and the oracle finds every development once in every view, every change once in the topic and every sink
                    FaultOracle.Summary summary = withSinks(new FaultOracle(kafka.bootstrapServers()).acknowledged(acknowledged),
                            postgresOfUp, home.resolve("changes.jsonl"), receiverOfUp, "up")
                            .sink(FaultOracle.database("subscriber PostgreSQL", postgresOfSubscriber))
                            .sink(FaultOracle.jsonLines("subscriber file", fileOfSubscriber))
                            .sink(FaultOracle.webhook("subscriber webhook", receiverOfSubscriber))
                            .check();
                    phase(began, "oracle");
                    assertThat(inFlightAtKill).as("changes in Parley's open transaction at each kill").allMatch(n -> n > 0);
                    assertThat(unconfirmedAtKill).as("rows written to PostgreSQL but not committed on Kafka at each kill of the subscriber")
                            .anyMatch(n -> n > 0);
                    TABLE.add(new Row("`parley up` SIGKILL in the middle of a transaction (commit interval 5 s), restarted, feed running",
                            summary.developments(), KILLS + " kills; changes in the open transaction: " + join(inFlightAtKill),
                            seconds(upRecovery), summary.lost(), summary.duplicated()));
                    TABLE.add(new Row("`parley subscribe` (PostgreSQL, file, webhook) SIGKILL between writing and committing offsets",
                            summary.developments(), KILLS + " kills; rows written, offsets not committed: " + join(unconfirmedAtKill),
                            seconds(subscriberRecovery), summary.lost(), summary.duplicated()));
                    TABLE.add(new Row("local state deleted while `parley up` was stopped, restored from the changelogs",
                            summary.developments(), "1 deletion; " + before.size() + " views equal before and after",
                            seconds(List.of(restored)), summary.lost(), summary.duplicated()));
                } catch (Throwable t) {
                    System.err.println("FaultSuiteIT failed; parley up printed:\n" + new ParleyProcess("", home.resolve("up.log"), Map.of()).lastLines(200)
                            + "\nthe subscriber printed:\n" + new ParleyProcess("", dir.resolve("subscriber.log"), Map.of()).lastLines(30)
                            + "\nthe broker's " + kafka.logExcerpt());
                    throw t;
                }
            } finally {
                TestDatabases.dropPostgresqlSchema(postgresOfUp);
                TestDatabases.dropPostgresqlSchema(postgresOfSubscriber);
                System.out.printf("Parley and subscriber kills, state deletion: %d s%n", TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - began));
            }
        }
    }

    // ---- The broker stopped, killed and paused ----

    @Test
    void shouldLoseNothingAndNeverAcceptUnwrittenDevelopmentsWhenTheBrokerIsKilledOrPaused() throws Exception {
        brokerFaults(false);
    }

    /**
     * The same with the broker stopped gracefully (SIGTERM), which loses nothing either. A single Kafka 4.4 broker's
     * controlled shutdown leaves its partitions without a leader, and its KRaft metadata cache then answers "no endpoint"
     * instead of "no node" for them, so the transaction coordinator takes them for deleted topics and can complete a
     * transaction the topology was committing without writing its markers. Such a transaction hangs: read_committed
     * readers stop at it. Parley finds and aborts it on its own topics ({@link HangingTransactions}; the table says how
     * many it aborted), and on the partition of {@code __consumer_offsets} that holds the topology's group when its
     * producer is provably the topology's. One there whose producer no coordinator knows it only reports: the topology
     * would then wait for stable offsets until an operator aborts it, and this test would fail. A transaction hung in one
     * run of three when this scenario was written; none did in the ten runs made while writing {@link HangingTransactions},
     * so an abort by Parley has been seen in {@link HangingTransactionsIT} (on hanging transactions made by hand), not
     * here yet.
     */
    @Test
    void shouldLoseNothingWhenTheBrokerIsStoppedGracefully() throws Exception {
        brokerFaults(true);
    }

    /**
     * The broker paused (SIGSTOP) then killed (SIGKILL), or else stopped (SIGTERM), while a feed publishes and Parley folds.
     *
     * <p>The broker and its controller share one process here, and a single broker hits the same problem (see above) whenever
     * the controller fences it while a transaction completes. So the broker's session with its controller is set around
     * each fault, as an operator of a single broker would: longer than the pause (30 s), so that it does not fence itself
     * on resuming (the pause still outlasts every client timeout, which is what the scenario is about); and short after
     * the kill (3 s), since a restarted broker registers again only once its previous incarnation is fenced, which with
     * the default 9 s comes just as the coordinator rolls back the transactions the kill left open.
     */
    private void brokerFaults(boolean stopGracefully) throws Exception {
        long began = System.nanoTime();
        Path data = dir.resolve("kafka");
        // Transactions of at most 20 s (the topology's last 10 s), so a transaction left hanging is old enough for Parley
        // to abort within the wait for recovery, rather than after Kafka's default 15 minutes.
        var broker = LocalKafkaSettings.in(data).withBrokerProperty(HangingTransactions.MAX_TIMEOUT_CONFIG, "20000");
        var pausable = broker.withBrokerProperty("broker.session.timeout.ms", "30000");
        var quickToRegisterAgain = broker.withBrokerProperty("broker.session.timeout.ms", "3000")
                .withBrokerProperty("broker.heartbeat.interval.ms", "1000");
        try (var first = new LocalKafka(stopGracefully ? broker : pausable);
             var second = new LocalKafka(stopGracefully ? broker : quickToRegisterAgain);
             var receiver = new WebhookReceiver(0, 0)) {
            first.start();
            LocalKafka kafka = first;
            String postgres = TestDatabases.freshPostgresqlSchema();
            Path home = dir.resolve("up");
            Files.createDirectories(home);
            Files.writeString(home.resolve("subscriptions.yaml"), "subscriptions:\n  - {name: hook, sink: \"" + receiver.url()
                    + "\", secret: \"" + WebhookReceiver.SECRET + "\"}\n");
            int port = ParleyProcess.freePort();
            // Producer timeouts of seconds (the HTTP writes' and the topology's), so a pause of 15 s outlasts them and the
            // topology's transaction timeout (10 s).
            Map<String, String> env = upEnv(first, "fault-broker", postgres,
                    Map.of("KAFKA_DELIVERY_TIMEOUT_MS", "6000", "KAFKA_REQUEST_TIMEOUT_MS", "3000"));
            Path file = writeDevelopmentsFile(dir.resolve("developments.ndjson"), new Workload(11, 5, "file-talks-"), 1000);
            List<Development> fromFile = read(file);
            try (Admin admin = admin(first);
                 // requests that time out within the pause, so the feed's producer retries them: the broker gets both the
                 // request it held while paused and the retry, and idempotence must keep one
                 var feed = new ContinuousFeed(first.bootstrapServers(), new Workload(13, NEGOTIATIONS, "broker-talks-"), PER_SECOND,
                         Map.of("KAFKA_REQUEST_TIMEOUT_MS", "4000"));
                 var up = ParleyProcess.up(home, port, env)) {
                try {
                    // given a file published before Parley ever ran: the publisher creates the topics as Parley's own
                    assertThat(publish(kafka, file)).contains("Published " + fromFile.size() + " development(s)");
                    assertThat(admin.describeTopics(List.of(Topics.DEVELOPMENTS)).allTopicNames().get().get(Topics.DEVELOPMENTS).partitions())
                            .hasSize(3);
                    var log = new ConfigResource(ConfigResource.Type.TOPIC, Topics.DEVELOPMENTS);
                    assertThat(admin.describeConfigs(List.of(log)).all().get().get(log).get("retention.ms").value()).isEqualTo("-1");
                    // and a feed, and Parley delivering to PostgreSQL, a file and a webhook
                    feed.start();
                    up.start();
                    awaitHealthy(up, port);
                    phase(began, "Parley started");

                    // when the broker is paused (SIGSTOP) for longer than the producer and transaction timeouts while HTTP clients write
                    Paused paused = null;
                    Duration resumed = null;
                    if (!stopGracefully) {
                        awaitFolding(admin, "fault-broker");
                        paused = pauseWhileWritingOverHttp(kafka, port);
                        resumed = awaitCaughtUpSince(admin, "fault-broker", paused.resumedAt());
                        phase(began, "recovered from SIGSTOP");
                    }
                    long replacedAfterPause = threadsReplaced(home);

                    // and killed (SIGKILL), or else stopped (SIGTERM), while developments are published and folded, then
                    // started again, and the same file is published a second time while Parley recovers, adding nothing
                    awaitFolding(admin, "fault-broker");
                    if (stopGracefully) {
                        first.stop();
                    } else {
                        first.kill();
                    }
                    long restart = System.nanoTime();
                    kafka = second;
                    kafka.start();
                    assertThat(publish(kafka, file)).contains(": 0 published, " + fromFile.size() + " already on the log");
                    Duration restarted = awaitCaughtUpSince(admin, "fault-broker", restart);
                    long replacedAfterRestart = threadsReplaced(home) - replacedAfterPause;
                    List<String> hangingLines = hangingTransactionLines(home);
                    long hangingAborted = hangingLines.stream().filter(line -> line.contains("Aborted a hanging transaction")).count();
                    System.out.printf("Broker %s: recovered in %.1f s; hanging transactions aborted by Parley: %d; it printed:%n  %s%n",
                            stopGracefully ? "SIGTERM" : "SIGKILL", restarted.toMillis() / 1000.0, hangingAborted, String.join("\n  ", hangingLines));
                    phase(began, "recovered from " + (stopGracefully ? "SIGTERM" : "SIGKILL"));

                    // then no write was acknowledged while Kafka could not have written it
                    List<Answer> answers = paused == null ? List.of() : paused.answers();
                    long pausedAt = paused == null ? 0 : paused.pausedAt();
                    long resumedAt = paused == null ? 0 : paused.resumedAt();
                    List<Answer> duringPause = answers.stream().filter(a -> a.sentAt() > pausedAt && a.answeredAt() < resumedAt).toList();
                    if (paused != null) {
                        // 503 (Kafka did not acknowledge in time), 429 (the feed's retries met the rate limit) or no answer: never 2xx
                        assertThat(duringPause).as("HTTP writes answered while the broker was paused").isNotEmpty()
                                .allSatisfy(a -> assertThat(a.status()).as("answer to a write while the broker was paused").isIn(503, 429, -1));
                    }
                    // and sending again what was refused publishes each development once
                    List<Development> refused = answers.stream().filter(a -> a.status() != 202).flatMap(a -> a.batch().stream()).toList();
                    Set<String> loggedDespite503 = onLog(kafka, refused);
                    phase(began, "log read for " + refused.size() + " refused");
                    List<Development> overHttp = new ArrayList<>(answers.stream().filter(a -> a.status() == 202)
                            .flatMap(a -> a.batch().stream()).toList());
                    for (Answer answer : answers) {
                        if (answer.status() != 202) {
                            assertThat(postUntilAccepted(port, answer.batch())).isEqualTo(202);
                            overHttp.addAll(answer.batch());
                        }
                    }
                    phase(began, "refused sent again");
                    List<Development> acknowledged = new ArrayList<>(feed.stop(WAIT));
                    phase(began, "feed stopped, resent " + feed.resent());
                    acknowledged.addAll(fromFile);
                    acknowledged.addAll(overHttp);
                    awaitEverythingDelivered(admin, "fault-broker", List.of("parley-sink-database", "parley-sink-jsonl", "parley-sink-hook"));
                    phase(began, "everything delivered");

                    // and the oracle finds nothing lost or duplicated in the views, the changes and the sinks
                    FaultOracle oracle = withSinks(new FaultOracle(kafka.bootstrapServers()).acknowledged(acknowledged), postgres,
                            home.resolve("changes.jsonl"), receiver, "up");
                    FaultOracle.Summary summary = oracle.check();
                    phase(began, "oracle");
                    Map<String, Long> repeatedBySource = oracle.repeatedOnLog().stream()
                            .collect(Collectors.groupingBy(id -> id.replaceFirst("-talks-.*", ""), TreeMap::new, Collectors.counting()));
                    System.out.println("Developments on the log more than once, by source: " + repeatedBySource);
                    assertThat(timesOnLog(kafka, overHttp)).as("developments written over HTTP, times on the log")
                            .allSatisfy((id, times) -> assertThat(times).isOne());
                    assertThat(timesOnLog(kafka, fromFile)).as("developments of the file published twice, times on the log")
                            .allSatisfy((id, times) -> assertThat(times).isOne());
                    // Not asserted, counted: the log of record may hold one of the feed's developments twice although its idempotent
                    // producer reported no failure (seen once here, 3 developments across a broker's SIGTERM and restart). That is
                    // why the fold takes a development id and revision it has as nothing: the oracle above found every view,
                    // change and sink entry once.
                    long retries = feed.producerRetries();

                    String fault = stopGracefully ? "SIGTERM" : "SIGKILL";
                    if (paused != null) {
                        TABLE.add(new Row("broker SIGSTOP for " + PAUSE.toSeconds() + " s (producer timeouts 6 s, transaction timeout 10 s), "
                                + "HTTP writes meanwhile", summary.developments(), "1 pause; " + replacedAfterPause + " topology thread(s) replaced; "
                                + duringPause.size() + " writes answered during it: " + statuses(duringPause) + ", none 2xx; " + loggedDespite503.size()
                                + " refused developments written anyway, each once on the log after being sent again",
                                seconds(List.of(resumed)), summary.lost(), summary.duplicated()));
                    }
                    TABLE.add(new Row("broker " + fault + " while developments are published and folded, restarted", summary.developments(),
                            "1 " + (stopGracefully ? "stop" : "kill") + "; " + replacedAfterRestart + " topology thread(s) replaced; "
                                    + hangingAborted + " hanging transaction(s) aborted",
                            seconds(List.of(restarted)), summary.lost(), summary.duplicated()));
                    TABLE.add(new Row("producer retries (the feed's requests time out during the faults) and the same file of "
                            + String.format("%,d", fromFile.size()) + " developments published twice, the second time while Parley recovers",
                            summary.developments(), retries + " retries, " + feed.resent() + " sends repeated by the feed, "
                            + repeatedBySource.getOrDefault("broker", 0L) + " of its developments twice on the log; the file's "
                            + fromFile.size() + " twice on the log, once in views, changes and sinks", "–", summary.lost(), summary.duplicated()));
                } catch (Throwable t) {
                    System.err.println("FaultSuiteIT failed; parley up printed:\n" + up.lastLines(200) + "\nthe broker's " + kafka.logExcerpt());
                    throw t;
                }
            } finally {
                TestDatabases.dropPostgresqlSchema(postgres);
                System.out.printf("Broker faults: %d s%n", TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - began));
            }
        }
    }

    // ---- the broker paused while HTTP clients write ----

    /** One HTTP write: when it was sent and answered (nanoTime), the status (-1: no answer), what it carried. */
    record Answer(long sentAt, long answeredAt, int status, List<Development> batch) {
    }

    record Paused(long pausedAt, long resumedAt, List<Answer> answers) {
    }

    /** Pauses the broker for {@link #PAUSE} while three clients write batches over HTTP, then resumes it. */
    private Paused pauseWhileWritingOverHttp(LocalKafka kafka, int port) throws Exception {
        List<Workload> clients = List.of(new Workload(17, 1, "http-talks-a-"), new Workload(19, 1, "http-talks-b-"), new Workload(23, 1, "http-talks-c-"));
        List<Answer> answers = new CopyOnWriteArrayList<>();
        // A first write acknowledged, so the HTTP producer is connected when the broker stops.
        List<Development> first = batch(clients.get(0));
        assertThat(postUntilAccepted(port, first)).isEqualTo(202);
        answers.add(new Answer(0, 0, 202, first));
        signal(kafka.pid(), "STOP");
        long pausedAt = System.nanoTime();
        var resumedAt = new java.util.concurrent.atomic.AtomicLong();
        var resumed = new java.util.concurrent.CountDownLatch(1);
        List<Thread> threads = new ArrayList<>();
        for (Workload client : clients) {
            Thread thread = new Thread(() -> {
                while (resumedAt.get() == 0) {
                    List<Development> batch = batch(client);
                    long sent = System.nanoTime();
                    int status = post(port, batch);
                    answers.add(new Answer(sent, System.nanoTime(), status, batch));
                    if (status == 429 || status == 503) {
                        // Backing off as the answer's Retry-After asks (1 s), or until the broker resumes: refused at once
                        // (a rate limit, a topology thread being replaced), a spinning client once made 5,000 writes,
                        // whose resending then outlasted the test's timeout.
                        awaitQuietly(resumed, Duration.ofSeconds(1));
                    }
                }
            }, "http-writer");
            threads.add(thread);
        }
        threads.forEach(Thread::start);
        Thread.sleep(PAUSE.toMillis()); // the fault itself: the broker stays paused this long
        signal(kafka.pid(), "CONT");
        resumedAt.set(System.nanoTime());
        resumed.countDown();
        for (Thread thread : threads) {
            thread.join(60_000);
        }
        return new Paused(pausedAt, resumedAt.get(), List.copyOf(answers));
    }

    private static void awaitQuietly(java.util.concurrent.CountDownLatch latch, Duration atMost) {
        try {
            latch.await(atMost.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static List<Development> batch(Workload client) {
        List<Development> batch = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            batch.add(client.next());
        }
        return batch;
    }

    /** The status of {@code POST /api/developments} with the batch, -1 when no answer came within 30 s. */
    private int post(int port, List<Development> batch) {
        String body = batch.stream().map(AvroJson::toJsonString).collect(Collectors.joining(",", "[", "]"));
        try {
            return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + DevelopmentsEndpoint.PATH))
                    .timeout(Duration.ofSeconds(30)).header("Content-Type", "application/json").header("Authorization", "Bearer " + TOKEN)
                    .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.discarding()).statusCode();
        } catch (java.io.IOException e) {
            return -1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
    }

    /** Sends the batch again, as a client told 503 does, until it is accepted; the last status. */
    private int postUntilAccepted(int port, List<Development> batch) throws Exception {
        int[] status = new int[1];
        Await.until("a write over HTTP accepted", WAIT, () -> (status[0] = post(port, batch)) == 202 || status[0] / 100 == 4);
        return status[0];
    }

    private static void signal(long pid, String signal) throws Exception {
        Process kill = new ProcessBuilder("kill", "-" + signal, String.valueOf(pid)).inheritIO().start();
        assertThat(kill.waitFor(10, TimeUnit.SECONDS)).isTrue();
        assertThat(kill.exitValue()).as("kill -" + signal + " " + pid).isZero();
    }

    // ---- waiting on Kafka ----

    private static Admin admin(LocalKafka kafka) {
        return Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers(),
                AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, "10000", AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, "5000"));
    }

    private static Map<TopicPartition, Long> ends(Admin admin, String topic, IsolationLevel isolation) throws Exception {
        Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
        admin.describeTopics(List.of(topic)).allTopicNames().get(10, TimeUnit.SECONDS).get(topic).partitions()
                .forEach(p -> latest.put(new TopicPartition(topic, p.partition()), OffsetSpec.latest()));
        Map<TopicPartition, Long> ends = new HashMap<>();
        admin.listOffsets(latest, new ListOffsetsOptions(isolation)).all().get(10, TimeUnit.SECONDS)
                .forEach((partition, info) -> ends.put(partition, info.offset()));
        return ends;
    }

    private static Map<TopicPartition, Long> committed(Admin admin, String group) throws Exception {
        Map<TopicPartition, Long> committed = new HashMap<>();
        Map<TopicPartition, OffsetAndMetadata> offsets = admin.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata().get(10, TimeUnit.SECONDS);
        offsets.forEach((partition, offset) -> {
            if (offset != null) {
                committed.put(partition, offset.offset());
            }
        });
        return committed;
    }

    /** Whether the group has committed at least {@code target} on every partition; false while Kafka cannot say. */
    private static boolean committedPast(Admin admin, String group, Map<TopicPartition, Long> target) {
        try {
            Map<TopicPartition, Long> committed = committed(admin, group);
            return target.entrySet().stream().allMatch(e -> e.getValue() == 0 || committed.getOrDefault(e.getKey(), 0L) >= e.getValue());
        } catch (Exception unavailable) {
            return false;
        }
    }

    /** Records of open transactions on {@code parley.status-changes}: the high watermark minus the last stable offset. */
    private static long inFlight(Admin admin) {
        try {
            Map<TopicPartition, Long> written = ends(admin, Topics.STATUS_CHANGES, IsolationLevel.READ_UNCOMMITTED);
            Map<TopicPartition, Long> stable = ends(admin, Topics.STATUS_CHANGES, IsolationLevel.READ_COMMITTED);
            return written.entrySet().stream().mapToLong(e -> e.getValue() - stable.get(e.getKey())).sum();
        } catch (Exception unavailable) {
            return 0;
        }
    }

    /** How many committed changes lie below the offsets a subscription committed. */
    private static long changesBelow(LocalKafka kafka, Map<TopicPartition, Long> committed) {
        return TopicSnapshot.read(kafka.bootstrapServers(), Topics.STATUS_CHANGES, AvroSerde.of(StatusChange.class), WAIT).stream()
                .filter(r -> r.offset() < committed.getOrDefault(new TopicPartition(r.topic(), r.partition()), 0L)).count();
    }

    /** Until the topology's committed offsets move: it folds what the feed sends. */
    private static void awaitFolding(Admin admin, String applicationId) throws Exception {
        Map<TopicPartition, Long> now = ends(admin, Topics.DEVELOPMENTS, IsolationLevel.READ_UNCOMMITTED);
        Await.until("the topology folding the feed", WAIT, () -> committedPast(admin, applicationId, now));
    }

    /** From {@code since} (nanoTime) until the topology has committed past every development on the log now. */
    private static Duration awaitCaughtUpSince(Admin admin, String applicationId, long since) throws Exception {
        var target = new java.util.concurrent.atomic.AtomicReference<Map<TopicPartition, Long>>();
        Await.until("the topology caught up", WAIT, () -> {
            if (target.get() == null) {
                try {
                    target.set(ends(admin, Topics.DEVELOPMENTS, IsolationLevel.READ_UNCOMMITTED));
                } catch (Exception brokerNotBackYet) {
                    return false;
                }
            }
            return committedPast(admin, applicationId, target.get());
        });
        return Duration.ofNanos(System.nanoTime() - since);
    }

    /** Until the topology has folded the whole log and every subscription has delivered every change. */
    private static void awaitEverythingDelivered(Admin admin, String applicationId, List<String> subscriptionGroups) throws Exception {
        Map<TopicPartition, Long> developments = ends(admin, Topics.DEVELOPMENTS, IsolationLevel.READ_UNCOMMITTED);
        Await.until("the topology folding the whole log", WAIT, () -> committedPast(admin, applicationId, developments));
        Map<TopicPartition, Long> changes = ends(admin, Topics.STATUS_CHANGES, IsolationLevel.READ_COMMITTED);
        Await.until("every subscription delivering every change", WAIT,
                () -> subscriptionGroups.stream().allMatch(group -> committedPast(admin, group, changes)));
    }

    // ---- Parley ----

    private static Map<String, String> upEnv(LocalKafka kafka, String applicationId, String database, Map<String, String> kafkaSettings) {
        Map<String, String> env = new HashMap<>(Map.of("PARLEY_BOOTSTRAP_SERVERS", kafka.bootstrapServers(), "PARLEY_APPLICATION_ID", applicationId,
                "PARLEY_DATABASE_URL", database, "PARLEY_API_TOKEN", TOKEN, "PARLEY_WEBHOOK_ALLOW_PRIVATE_TARGETS", "true",
                "PARLEY_RATE_LIMIT_PER_SECOND", "1000"));
        env.putAll(kafkaSettings);
        return env;
    }

    private static void awaitHealthy(ParleyProcess up, int port) throws Exception {
        try {
            Await.until("parley up healthy", WAIT, () -> up.get(port, "/health") == 200);
        } catch (AssertionError e) {
            throw new AssertionError(e.getMessage() + "; it printed:\n" + up.lastLines(40), e);
        }
    }

    /** The built-in sinks of {@code parley up}: its database, its JSON lines file and the webhook its subscriptions file names. */
    private static FaultOracle withSinks(FaultOracle oracle, String database, Path changes, WebhookReceiver receiver, String of) throws Exception {
        return oracle.sink(FaultOracle.database(of + " PostgreSQL", database)).sink(FaultOracle.jsonLines(of + " file", changes))
                .sink(FaultOracle.webhook(of + " webhook", receiver));
    }

    /** The negotiations {@code parley up} knows, from {@code GET /api/negotiations}. */
    private Set<String> negotiations(int port) throws Exception {
        var response = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/api/negotiations"))
                .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        Set<String> negotiations = new java.util.TreeSet<>();
        AvroJson.MAPPER.readTree(response.body()).get("negotiations").forEach(n -> negotiations.add(n.get("negotiation_id").asText()));
        return negotiations;
    }

    /** Each negotiation's view as {@code parley up} answers it over HTTP, from its own state. */
    private Map<String, JsonNode> views(int port, Set<String> negotiations) throws Exception {
        Map<String, JsonNode> views = new TreeMap<>();
        for (String negotiation : negotiations) {
            var response = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/api/negotiations/" + negotiation + "/status"))
                    .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
            views.put(negotiation, response.statusCode() == 200 ? AvroJson.MAPPER.readTree(response.body()) : null);
        }
        return views;
    }

    /** Changes in a database sink; 0 before its sink has created the table. */
    private static long rowCount(String database) throws Exception {
        try {
            return (Long) TestDatabases.column(database, "SELECT count(*) FROM status_change").get(0);
        } catch (java.sql.SQLException noTableYet) {
            return 0;
        }
    }

    /** How many times {@code parley up} replaced a failed topology thread, from what it printed. */
    private static long threadsReplaced(Path home) throws Exception {
        try (Stream<String> lines = Files.lines(home.resolve("up.log"))) {
            return lines.filter(line -> line.contains("Status topology thread failed")).count();
        }
    }

    /** What {@code parley up} printed about hanging transactions: how often it looks, what it aborted, what it left. */
    private static List<String> hangingTransactionLines(Path home) throws Exception {
        try (Stream<String> lines = Files.lines(home.resolve("up.log"))) {
            return lines.filter(line -> line.contains(" " + HangingTransactions.class.getSimpleName() + " - ")).toList();
        }
    }

    // ---- files and the log ----

    /** {@code count} generated developments as NDJSON, valid for {@code parley publish}. */
    private static Path writeDevelopmentsFile(Path file, Workload workload, int count) throws Exception {
        var validator = new DevelopmentValidator(Clock.systemUTC());
        List<String> lines = new ArrayList<>();
        while (lines.size() < count) {
            Development d = workload.next();
            if (validator.validate(d).isEmpty()) {
                lines.add(AvroJson.toJsonString(d));
            }
        }
        Files.write(file, lines, StandardCharsets.UTF_8);
        return file;
    }

    private static List<Development> read(Path file) throws Exception {
        try (var in = Files.newBufferedReader(file)) {
            var result = new dev.parley.producer.DevelopmentReader(new DevelopmentValidator(Clock.systemUTC())).read(in, file.toString());
            assertThat(result.errors()).isEmpty();
            return result.developments();
        }
    }

    private static String publish(LocalKafka kafka, Path file) {
        var out = new StringWriter();
        var err = new StringWriter();
        int exit = Parley.commandLine().setOut(new PrintWriter(out)).setErr(new PrintWriter(err))
                .execute("publish", file.toString(), "--bootstrap-servers", kafka.bootstrapServers());
        assertThat(exit).as("parley publish: " + err).isZero();
        return out.toString();
    }

    /** Which of these developments are on the log (by negotiation, id and revision). */
    private static Set<String> onLog(LocalKafka kafka, List<Development> developments) {
        return timesOnLog(kafka, developments).entrySet().stream().filter(e -> e.getValue() > 0).map(Map.Entry::getKey).collect(Collectors.toSet());
    }

    /** How many times each of these developments is on the log. */
    private static Map<String, Long> timesOnLog(LocalKafka kafka, List<Development> developments) {
        Map<String, Long> times = new TreeMap<>();
        developments.forEach(d -> times.put(FaultOracle.identity(d), 0L));
        for (var record : TopicSnapshot.read(kafka.bootstrapServers(), Topics.DEVELOPMENTS, AvroSerde.of(Development.class), WAIT)) {
            times.computeIfPresent(FaultOracle.identity(record.value()), (id, n) -> n + 1);
        }
        return times;
    }

    private static void deleteRecursively(Path path) throws Exception {
        try (Stream<Path> all = Files.walk(path)) {
            for (Path p : all.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }

    private static void phase(long began, String what) {
        System.out.printf("FaultSuiteIT %5.1f s: %s%n", (System.nanoTime() - began) / 1e9, what);
    }

    private static String join(List<Long> values) {
        return values.stream().map(String::valueOf).collect(Collectors.joining(", "));
    }

    private static String seconds(List<Duration> durations) {
        return durations.stream().map(d -> String.format("%.1f s", d.toMillis() / 1000.0)).collect(Collectors.joining(", "));
    }

    /** How many answers had each status, as "503 × 2, no answer × 1". */
    private static String statuses(List<Answer> answers) {
        return answers.stream().collect(java.util.stream.Collectors.groupingBy(Answer::status, java.util.TreeMap::new,
                        java.util.stream.Collectors.counting()))
                .entrySet().stream().map(e -> (e.getKey() == -1 ? "no answer" : e.getKey().toString()) + " × " + e.getValue())
                .collect(java.util.stream.Collectors.joining(", "));
    }
}
