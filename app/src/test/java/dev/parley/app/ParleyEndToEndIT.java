package dev.parley.app;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.parley.localkafka.KafkaBroker;
import dev.parley.localkafka.junit.KafkaExtension;
import dev.parley.producer.DevelopmentPublisher;
import dev.parley.producer.DevelopmentReader;
import dev.parley.producer.DevelopmentValidator;
import dev.parley.producer.ProducerSettings;
import dev.parley.schemas.AvroSerde;
import dev.parley.schemas.DecisionStatus;
import dev.parley.schemas.NegotiationStatus;
import dev.parley.schemas.Phase;
import dev.parley.schemas.Standing;
import dev.parley.schemas.StatusChange;
import dev.parley.schemas.Topics;
import dev.parley.schemas.json.AvroJson;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** The whole pipeline on a real broker: publish the seed article, read the status, the changes and the file sink. */
@ExtendWith(KafkaExtension.class)
@Timeout(value = 3, unit = TimeUnit.MINUTES)
class ParleyEndToEndIT {

    private static final String NEGOTIATION = "ukraine-peace-2025";
    /** A development of the seed negotiation that a broken producer filed under another key. */
    private static final dev.parley.schemas.Development MISFILED = dev.parley.schemas.DevelopmentBuilder.aDevelopment()
            .id("misfiled-meeting").meeting().in("Genève").on("2025-12-08").reportedAt("2025-12-08T10:00:00Z").build();

    @TempDir
    Path home;

    @Test
    void shouldTurnTheSeedArticleIntoAStatusChangesAndAJsonLinesFile(KafkaBroker kafka) throws Exception {
        // given Parley running on the broker
        AppSettings settings = AppSettings.from(Map.of("PARLEY_APPLICATION_ID", "parley-e2e"))
                .withBootstrapServers(kafka.bootstrapServers()).withHome(home);
        try (Pipeline pipeline = Pipeline.start(settings)) {
            pipeline.subscribe(new dev.parley.consumer.JsonLinesSink(pipeline.changesFile()), Map.of());

            // when garbage lands on the log of record, then the sample file is published
            try (var raw = new org.apache.kafka.clients.producer.KafkaProducer<String, byte[]>(Map.of(
                    "bootstrap.servers", kafka.bootstrapServers()), new org.apache.kafka.common.serialization.StringSerializer(),
                    new org.apache.kafka.common.serialization.ByteArraySerializer())) {
                raw.send(new org.apache.kafka.clients.producer.ProducerRecord<>(Topics.DEVELOPMENTS, NEGOTIATION,
                        "garbage, not a development".getBytes(StandardCharsets.UTF_8))).get();
                // and a valid development filed under the wrong key
                raw.send(new org.apache.kafka.clients.producer.ProducerRecord<>(Topics.DEVELOPMENTS, "wrong-key",
                        AvroSerde.of(dev.parley.schemas.Development.class).serialize(Topics.DEVELOPMENTS, MISFILED))).get();
            }
            var read = new DevelopmentReader(new DevelopmentValidator(Clock.systemUTC()))
                    .read(Files.newBufferedReader(Path.of("..", "samples", "ukraine-peace-2025.ndjson")), "samples");
            try (var publisher = DevelopmentPublisher.create(ProducerSettings.from(Map.of(), kafka.bootstrapServers()))) {
                publisher.publishAll(read.developments());
            }
            pipeline.awaitCaughtUp(Duration.ofSeconds(60));

            // then the status topic holds the view of the talks
            NegotiationStatus status = TopicSnapshot.statuses(kafka.bootstrapServers(), Duration.ofSeconds(30)).get(NEGOTIATION);
            assertThat(status.getDevelopmentCount()).isEqualTo(read.developments().size());
            assertThat(status.getPhase().getPhase()).isEqualTo(Phase.DIRECT_TALKS);
            assertThat(status.getDecision().getStatus()).isEqualTo(DecisionStatus.NONE_ANNOUNCED);
            assertThat(status.getClaims()).singleElement().extracting(c -> c.getStanding()).isEqualTo(Standing.CONTESTED);
            assertThat(pipeline.status(NEGOTIATION)).contains(status);

            // and the change topic holds one change per version, in order
            List<StatusChange> changes = readChanges(kafka.bootstrapServers(), status.getVersion());
            assertThat(changes).extracting(StatusChange::getToVersion)
                    .containsExactlyElementsOf(java.util.stream.LongStream.rangeClosed(1, status.getVersion()).boxed().toList());

            // and the JSON-lines sink wrote each of them once
            List<JsonNode> lines = awaitLines(pipeline.changesFile(), (int) status.getVersion()).stream()
                    .filter(line -> NEGOTIATION.equals(line.get("negotiation_id").asText())).toList();
            assertThat(lines).extracting(line -> line.get("to_version").asLong())
                    .containsExactlyElementsOf(changes.stream().map(StatusChange::getToVersion).toList());
            assertThat(Files.readString(pipeline.changesFile(), StandardCharsets.UTF_8)).contains("Pokrovsk");

            // and the command line shows the same view and the timeline, read from the topics
            var out = new java.io.StringWriter();
            int exit = Parley.commandLine().setOut(new java.io.PrintWriter(out))
                    .execute("status", NEGOTIATION, "--bootstrap-servers", kafka.bootstrapServers());
            assertThat(exit).isZero();
            assertThat(out.toString()).contains("- prise de la ville de Pokrovsk: contested");
            var early = new java.io.StringWriter();
            exit = Parley.commandLine().setOut(new java.io.PrintWriter(early))
                    .execute("status", NEGOTIATION, "--known-at", "2025-12-05T12:01:30Z", "--bootstrap-servers", kafka.bootstrapServers());
            assertThat(exit).isZero();
            assertThat(early.toString()).contains("as known at 2025-12-05T12:01:30Z").contains("Phase:    consultations")
                    .contains("(version 0, 2 developments");
            var earlyJson = new java.io.StringWriter();
            exit = Parley.commandLine().setOut(new java.io.PrintWriter(earlyJson)).setErr(new java.io.PrintWriter(new java.io.StringWriter()))
                    .execute("status", NEGOTIATION, "--known-at", "2025-12-05T12:01:30Z", "--json", "-b", kafka.bootstrapServers());
            assertThat(exit).isZero();
            assertThat(AvroJson.MAPPER.readTree(earlyJson.toString()).get("development_count").asInt()).as("stdout of --json, for jq").isEqualTo(2);
            var timeline = new java.io.StringWriter();
            exit = Parley.commandLine().setOut(new java.io.PrintWriter(timeline))
                    .execute("timeline", NEGOTIATION, "--bootstrap-servers", kafka.bootstrapServers());
            assertThat(exit).isZero();
            assertThat(timeline.toString().lines().filter(line -> line.startsWith("early December 2025")))
                    .hasSize(read.developments().size())
                    .first().asString().contains("proposal").contains("[us-proposal]");

            // and the history replays into a fresh file, each change once, marked as replayed; again, nothing changes
            Path replayFile = home.resolve("replay.jsonl");
            var replay = new java.io.StringWriter();
            exit = Parley.commandLine().setOut(new java.io.PrintWriter(replay)).setErr(new java.io.PrintWriter(new java.io.StringWriter()))
                    .execute("replay", "--from", "2025-12-05", "--to", "2025-12-05", "--negotiation", NEGOTIATION,
                            "--sink", "file:" + replayFile, "--bootstrap-servers", kafka.bootstrapServers());
            assertThat(exit).isZero();
            assertThat(replay.toString()).contains("Replayed " + status.getVersion() + " change(s) into file:" + replayFile + "; 0 the sink already had");
            assertThat(Files.readAllLines(replayFile)).hasSize((int) status.getVersion()).allSatisfy(line -> assertThat(line).contains("\"replayed\":true"));
            var again = new java.io.StringWriter();
            Parley.commandLine().setOut(new java.io.PrintWriter(again)).setErr(new java.io.PrintWriter(new java.io.StringWriter()))
                    .execute("replay", "--from", "2025-12-01", "--negotiation", NEGOTIATION, "--sink", "file:" + replayFile,
                            "--bootstrap-servers", kafka.bootstrapServers());
            assertThat(again.toString()).contains("Replayed 0 change(s)").contains(status.getVersion() + " the sink already had");

            // and the garbage is a dead letter that says why, and did not stop anything
            var deadLetters = new java.io.StringWriter();
            exit = Parley.commandLine().setOut(new java.io.PrintWriter(deadLetters))
                    .execute("dead-letters", "--bootstrap-servers", kafka.bootstrapServers());
            assertThat(exit).isZero();
            assertThat(deadLetters.toString())
                    .contains("error:   org.apache.kafka.common.errors.SerializationException")
                    .contains("Cannot read a dev.parley.schemas.Development from parley.developments")
                    .contains("value:   \"garbage, not a development\"")
                    .contains("record key \"wrong-key\" is not the development's negotiation_id")
                    .contains("2 dead letter(s) on parley.dead-letters.");

            // and the misfiled one, re-published, lands in the view; the garbage cannot be
            String misfiled = deadLetters.toString().lines().filter(line -> line.startsWith("#"))
                    .filter(line -> line.contains("key \"wrong-key\"")).findFirst().orElseThrow().split("\\s+")[0].substring(1);
            String garbage = deadLetters.toString().lines().filter(line -> line.startsWith("#"))
                    .filter(line -> line.contains("key \"" + NEGOTIATION + "\"")).findFirst().orElseThrow().split("\\s+")[0].substring(1);
            var err = new java.io.StringWriter();
            assertThat(Parley.commandLine().setOut(new java.io.PrintWriter(new java.io.StringWriter())).setErr(new java.io.PrintWriter(err))
                    .execute("dead-letters", "--republish", garbage, "--bootstrap-servers", kafka.bootstrapServers())).isEqualTo(1);
            assertThat(err.toString()).contains("still cannot be read");
            assertThat(Parley.commandLine().setOut(new java.io.PrintWriter(new java.io.StringWriter()))
                    .execute("dead-letters", "--republish", misfiled, "--bootstrap-servers", kafka.bootstrapServers())).isZero();
            Await.until("the re-published development in the view", Duration.ofSeconds(30),
                    () -> pipeline.status(NEGOTIATION).orElseThrow().getDevelopmentCount() > status.getDevelopmentCount());
            assertThat(pipeline.status(NEGOTIATION).orElseThrow().getMeetings()).extracting(m -> m.getPlace()).contains("Genève");
        }
    }

    @Test
    void shouldPublishABusyNegotiationsViewOncePerCommitAndEachOfItsChanges(KafkaBroker kafka) throws Exception {
        // given Parley running, and 600 developments of one negotiation (late ones and corrections among them)
        AppSettings settings = AppSettings.from(Map.of("PARLEY_APPLICATION_ID", "parley-e2e-busy"))
                .withBootstrapServers(kafka.bootstrapServers()).withHome(home);
        Workload workload = new Workload(7, 1, "busy-talks-");
        List<dev.parley.schemas.Development> developments = new ArrayList<>();
        for (int i = 0; i < 600; i++) {
            developments.add(workload.next());
        }
        String negotiation = developments.get(0).getNegotiationId();
        try (Pipeline pipeline = Pipeline.start(settings)) {
            // when they are published in one burst
            try (var publisher = DevelopmentPublisher.create(ProducerSettings.from(Map.of(), kafka.bootstrapServers()))) {
                publisher.publishAll(developments);
            }
            pipeline.awaitCaughtUp(Duration.ofSeconds(120));

            // then every change is on its topic, versions 1..v, and the latest view is the fold of them all, in memory
            var inMemory = dev.parley.streams.StatusFold.inMemory();
            developments.forEach(inMemory::apply);
            NegotiationStatus expected = inMemory.view(negotiation);
            List<StatusChange> changes = TopicSnapshot.read(kafka.bootstrapServers(), Topics.STATUS_CHANGES,
                            AvroSerde.of(StatusChange.class).deserializer(), Duration.ofSeconds(30)).stream()
                    .filter(record -> negotiation.equals(record.key())).map(record -> record.value()).toList();
            assertThat(changes).extracting(StatusChange::getToVersion)
                    .containsExactlyElementsOf(java.util.stream.LongStream.rangeClosed(1, expected.getVersion()).boxed().toList());
            var views = TopicSnapshot.read(kafka.bootstrapServers(), Topics.STATUS,
                    AvroSerde.of(NegotiationStatus.class).deserializer(), Duration.ofSeconds(30)).stream()
                    .filter(record -> negotiation.equals(record.key())).map(record -> record.value()).toList();
            assertThat(views).isNotEmpty().last().isEqualTo(expected);
            assertThat(pipeline.status(negotiation)).contains(expected);
            // and the view went out once per commit, not once per development (600 commits would take a minute at least)
            assertThat(views).as("views published on %s", Topics.STATUS).hasSizeLessThan(developments.size() / 4);
            System.out.printf("%d developments, %d changes, %d views published%n", developments.size(), changes.size(), views.size());
        }
    }

    private static List<StatusChange> readChanges(String bootstrapServers, long expected) {
        Map<String, Object> config = Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ConsumerConfig.GROUP_ID_CONFIG, "e2e-check", ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        List<StatusChange> changes = new ArrayList<>();
        try (var consumer = new KafkaConsumer<>(config, new StringDeserializer(), AvroSerde.of(StatusChange.class))) {
            consumer.subscribe(List.of(Topics.STATUS_CHANGES));
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (changes.size() < expected && System.nanoTime() < deadline) {
                consumer.poll(Duration.ofMillis(200)).forEach(r -> {
                    if (NEGOTIATION.equals(r.key())) {
                        changes.add(r.value());
                    }
                });
            }
        }
        return changes;
    }

    private static List<JsonNode> awaitLines(Path file, int expected) throws Exception {
        Await.until(expected + " lines in " + file, Duration.ofSeconds(30),
                () -> Files.exists(file) && Files.readAllLines(file, StandardCharsets.UTF_8).size() >= expected);
        List<JsonNode> json = new ArrayList<>();
        for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
            json.add(AvroJson.MAPPER.readTree(line));
        }
        return json;
    }
}
