package dev.parley.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PublishCommandTest {

    @TempDir
    Path dir;

    @Test
    void shouldPublishNothingAndNameLineFieldAndValueWhenARecordIsInvalid() throws Exception {
        // given a file whose second development has an impossible date
        Path file = dir.resolve("bad.ndjson");
        Files.writeString(file, """
                {"development_id":"ok","negotiation_id":"n","occurred_on":{"start":"2025-12-02","precision":"DAY"},"reported_at":"2025-12-02T18:00:00Z","type":"MEETING","summary":"s","language":"fr"}
                {"development_id":"bad","negotiation_id":"n","occurred_on":{"start":"2025-13-02","precision":"DAY"},"reported_at":"2025-12-02T18:00:00Z","type":"MEETING","summary":"s","language":"fr"}
                """);
        var out = new StringWriter();
        var err = new StringWriter();

        // when, with no Kafka anywhere near: validation happens before any connection
        int exit = Parley.commandLine().setOut(new PrintWriter(out)).setErr(new PrintWriter(err))
                .execute("publish", "--bootstrap-servers", "127.0.0.1:1", file.toString());

        // then
        assertThat(exit).isEqualTo(1);
        assertThat(out.toString()).isEmpty();
        assertThat(err.toString()).contains(file + ":2: occurred_on.start: \"2025-13-02\" is not a date (expected YYYY-MM-DD)")
                .contains("Nothing published: 1 error(s) in 1 record(s)");
    }

    @Test
    void shouldNameLineAndColumnOfAnInvalidCsvDateAndPublishNothing() throws Exception {
        Path file = dir.resolve("bad.csv");
        Files.writeString(file, """
                development_id,negotiation_id,occurred_on,reported_at,type,summary,language
                ok,n,2025-12-02,2025-12-02T18:00:00Z,MEETING,s,fr
                bad,n,2025-12-32,2025-12-02T18:00:00Z,MEETING,s,fr
                """);
        var err = new StringWriter();

        int exit = Parley.commandLine().setOut(new PrintWriter(new StringWriter())).setErr(new PrintWriter(err))
                .execute("publish", "--bootstrap-servers", "127.0.0.1:1", file.toString());

        assertThat(exit).isEqualTo(1);
        assertThat(err.toString()).contains(file + ":3: occurred_on (column 3): \"2025-12-32\" is not a date (expected YYYY-MM-DD)");
    }

    @Test
    void shouldExplainEveryCommandWithAnExample() {
        for (String command : new String[] {"up", "publish", "status", "timeline", "dead-letters"}) {
            var out = new StringWriter();
            int exit = Parley.commandLine().setOut(new PrintWriter(out)).execute(command, "--help");

            assertThat(exit).isZero();
            assertThat(out.toString()).contains("Usage: parley " + command).contains("Example");
        }
    }
}
