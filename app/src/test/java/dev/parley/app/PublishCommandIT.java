package dev.parley.app;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.localkafka.KafkaBroker;
import dev.parley.localkafka.junit.KafkaExtension;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** parley publish on a real broker: what lands on the log, and what the user is told. */
@ExtendWith(KafkaExtension.class)
@Timeout(value = 2, unit = TimeUnit.MINUTES)
class PublishCommandIT {

    @TempDir
    Path dir;

    @Test
    void shouldPublishTheValidRecordsOnceAndReportTheRejectedOnes(KafkaBroker kafka) throws Exception {
        // given a CSV with a valid row, the same row again, and an invalid one
        Path file = dir.resolve("mixed.csv");
        Files.writeString(file, """
                development_id,negotiation_id,occurred_on,reported_at,type,summary,language
                ok,publish-it,2025-12-02,2025-12-02T18:00:00Z,MEETING,Rencontre,fr
                ok,publish-it,2025-12-02,2025-12-02T18:00:00Z,MEETING,Rencontre,fr
                bad,publish-it,2025-12-02,2025-12-02T18:00:00Z,MEETNG,s,fr
                """);
        Path report = dir.resolve("rejects.txt");
        var out = new StringWriter();
        var err = new StringWriter();

        // when
        int exit = Parley.commandLine().setOut(new PrintWriter(out)).setErr(new PrintWriter(err))
                .execute("publish", "--skip-invalid", "--rejects", report.toString(), "--bootstrap-servers", kafka.bootstrapServers(),
                        file.toString());

        // then
        assertThat(exit).as(err.toString()).isZero();
        assertThat(out.toString()).contains("1 published, 0 already on the log, 1 duplicate(s) in the input, 1 rejected.");
        assertThat(Files.readAllLines(report)).singleElement().asString().startsWith(file + ":4: type (column 5): \"MEETNG\" is not one of");
        assertThat(TopicSnapshot.developments(kafka.bootstrapServers(), "publish-it", Duration.ofSeconds(30)).readable())
                .extracting(d -> d.getDevelopmentId()).containsExactly("ok");
    }

    @Test
    void shouldPublishNothingAgainWhenTheSameFileIsPublishedTwiceButANewRevision(KafkaBroker kafka) throws Exception {
        // given the seed article's developments, as a negotiation of this test's own, published once
        String negotiation = "publish-twice-it";
        List<String> lines = Files.readAllLines(Path.of("..", "samples", "ukraine-peace-2025.ndjson")).stream()
                .map(line -> line.replace("\"ukraine-peace-2025\"", "\"" + negotiation + "\"")).toList();
        Path file = Files.write(dir.resolve("twice.ndjson"), lines);
        var first = publish(kafka, file);
        assertThat(first.out()).as(first.err()).contains(": 23 published, 0 already on the log");

        // when the same file is published again, as a script run twice does
        var second = publish(kafka, file);

        // then the log does not grow, and the summary says why
        assertThat(second.exit()).as(second.err()).isZero();
        assertThat(second.out()).contains(": 0 published, 23 already on the log");
        assertThat(TopicSnapshot.developments(kafka.bootstrapServers(), negotiation, Duration.ofSeconds(30)).readable()).hasSize(23);

        // and a new revision of one of them is published
        String moscow = lines.stream().filter(line -> line.contains("\"moscow-meeting\"")).findFirst().orElseThrow();
        Path revised = Files.writeString(dir.resolve("revised.ndjson"), "{\"revision\":2," + moscow.substring(1) + "\n");
        var third = publish(kafka, revised);
        assertThat(third.out()).as(third.err()).contains(": 1 published, 0 already on the log");
        assertThat(TopicSnapshot.developments(kafka.bootstrapServers(), negotiation, Duration.ofSeconds(30)).readable()).hasSize(24);
    }

    private record Run(int exit, String out, String err) {
    }

    private static Run publish(KafkaBroker kafka, Path file) {
        var out = new StringWriter();
        var err = new StringWriter();
        int exit = Parley.commandLine().setOut(new PrintWriter(out)).setErr(new PrintWriter(err))
                .execute("publish", "-b", kafka.bootstrapServers(), file.toString());
        return new Run(exit, out.toString(), err.toString());
    }
}
