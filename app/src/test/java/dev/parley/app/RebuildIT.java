package dev.parley.app;

import static dev.parley.schemas.DevelopmentBuilder.aDevelopment;
import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.localkafka.LocalKafka;
import dev.parley.localkafka.LocalKafkaSettings;
import dev.parley.producer.DevelopmentPublisher;
import dev.parley.producer.DevelopmentReader;
import dev.parley.producer.DevelopmentValidator;
import dev.parley.producer.ProducerSettings;
import dev.parley.schemas.AvroSerde;
import dev.parley.schemas.Development;
import dev.parley.schemas.NegotiationStatus;
import dev.parley.schemas.StatusChange;
import dev.parley.schemas.Topics;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** parley rebuild on a broker of its own (it deletes and recreates the derived topics). */
@Timeout(value = 3, unit = TimeUnit.MINUTES)
class RebuildIT {

    @TempDir
    Path dir;

    private LocalKafka kafka;

    @BeforeEach
    void startKafka() {
        kafka = new LocalKafka(LocalKafkaSettings.in(dir.resolve("kafka")));
        kafka.start();
    }

    @AfterEach
    void stopKafka() {
        kafka.close();
    }

    @Test
    void shouldRecomputeTheSameViewAndChangeHistoryFromTheLog() throws Exception {
        // given Parley has folded the seed article, a correction and a retraction
        Path home = dir.resolve("home");
        AppSettings settings = AppSettings.from(Map.of()).withBootstrapServers(kafka.bootstrapServers()).withHome(home);
        List<Development> log = new ArrayList<>(new DevelopmentReader(new DevelopmentValidator(Clock.systemUTC()))
                .read(Files.newBufferedReader(Path.of("..", "samples", "ukraine-peace-2025.ndjson")), "samples").developments());
        log.add(aDevelopment().id("florida-postponed").corrects("florida-talks-scheduled").meeting().in("Floride")
                .subject("meeting:florida-follow-up").occurrence(dev.parley.schemas.Occurrence.POSTPONED)
                .on("2025-12-01", dev.parley.schemas.DatePrecision.EARLY_MONTH).reportedAt("2025-12-06T09:00:00Z").build());
        log.add(aDevelopment().id("uk-criticism-withdrawn").retracts("uk-criticism").reportedAt("2025-12-06T10:00:00Z").build());
        try (Pipeline pipeline = Pipeline.start(settings);
             var publisher = DevelopmentPublisher.create(ProducerSettings.from(Map.of(), kafka.bootstrapServers()))) {
            publisher.publishAll(log);
            pipeline.awaitCaughtUp(Duration.ofSeconds(60));
        }
        Map<String, NegotiationStatus> viewsBefore = TopicSnapshot.statuses(kafka.bootstrapServers(), Duration.ofSeconds(30));
        List<StatusChange> changesBefore = changes();

        // when
        var out = new StringWriter();
        var err = new StringWriter();
        int exit = Parley.commandLine().setOut(new PrintWriter(out)).setErr(new PrintWriter(err))
                .execute("rebuild", "--bootstrap-servers", kafka.bootstrapServers(), "--home", home.toString());

        // then the view and the change history are recomputed, equal to what they were
        assertThat(exit).as(err.toString()).isZero();
        assertThat(out.toString()).contains("Rebuilt in");
        assertThat(err.toString()).contains(log.size() + " / " + log.size() + " records (100%)");
        assertThat(viewsBefore.get("ukraine-peace-2025").getMeetings()).extracting(m -> m.getOccurrence().name()).contains("POSTPONED");
        assertThat(TopicSnapshot.statuses(kafka.bootstrapServers(), Duration.ofSeconds(30))).isEqualTo(viewsBefore);
        assertThat(changes()).hasSize(changesBefore.size()).isEqualTo(changesBefore);
    }

    private List<StatusChange> changes() {
        return TopicSnapshot.read(kafka.bootstrapServers(), Topics.STATUS_CHANGES, AvroSerde.of(StatusChange.class), Duration.ofSeconds(30))
                .stream().map(ConsumerRecord::value).toList();
    }
}
