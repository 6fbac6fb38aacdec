package dev.parley.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
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
    void shouldNameTheLineAndByteOfAFileThatIsNotUtf8AndPublishNothing() throws Exception {
        // given a file whose third line was saved in Latin-1 ("Genève" as 47 65 6E E8 76 65)
        Path file = dir.resolve("latin1.ndjson");
        String line = "{\"development_id\":\"d%d\",\"negotiation_id\":\"n\",\"occurred_on\":{\"start\":\"2025-12-02\",\"precision\":\"DAY\"},"
                + "\"reported_at\":\"2025-12-02T18:00:00Z\",\"type\":\"MEETING\",\"summary\":\"%s\",\"language\":\"fr\"}\n";
        byte[] first = (line.formatted(1, "s") + line.formatted(2, "s")).getBytes(StandardCharsets.UTF_8);
        byte[] third = line.formatted(3, "Genève").getBytes(StandardCharsets.ISO_8859_1);
        Files.write(file, concat(first, third));
        var out = new StringWriter();
        var err = new StringWriter();

        // when
        int exit = Parley.commandLine().setOut(new PrintWriter(out)).setErr(new PrintWriter(err))
                .execute("publish", "--bootstrap-servers", "127.0.0.1:1", file.toString());

        // then
        assertThat(exit).isEqualTo(1);
        assertThat(out.toString()).isEmpty();
        assertThat(err.toString()).startsWith(file + ":3: not UTF-8 text (byte 0xE8 at byte " + (first.length + line.formatted(3, "Genève").indexOf('è') + 1)
                        + " of the input cannot start or continue a UTF-8 character)")
                .contains("Nothing published: " + file + " is not UTF-8 text.");
    }

    @Test
    void shouldReadAUtf8FileThatStartsWithAByteOrderMark() throws Exception {
        // given what some editors save: a byte order mark, then the text
        byte[] text = "{\"development_id\":\"d\"}".getBytes(StandardCharsets.UTF_8);

        // when / then the mark is not part of the text
        assertThat(PublishCommand.text(concat(new byte[] {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF}, text), "in.ndjson"))
                .isEqualTo("{\"development_id\":\"d\"}");
    }

    private static byte[] concat(byte[] first, byte[] second) {
        byte[] both = java.util.Arrays.copyOf(first, first.length + second.length);
        System.arraycopy(second, 0, both, first.length, second.length);
        return both;
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

    @Test
    void shouldPrintEveryCommandsHelpWithoutPicocliWarnings() throws Exception {
        // A bare % in a description is a format specifier to picocli: it warns on stderr and prints the text unformatted.
        var stderr = System.err;
        var warnings = new java.io.ByteArrayOutputStream();
        try {
            System.setErr(new java.io.PrintStream(warnings, true, java.nio.charset.StandardCharsets.UTF_8));
            for (String command : Parley.commandLine().getSubcommands().keySet()) {
                var out = new StringWriter();
                assertThat(Parley.commandLine().setOut(new PrintWriter(out)).execute(command, "--help")).as(command).isZero();
                assertThat(out.toString()).as(command).contains("Usage: parley " + command);
            }
        } finally {
            System.setErr(stderr);
        }
        assertThat(warnings.toString(java.nio.charset.StandardCharsets.UTF_8)).doesNotContain("picocli WARN");
    }
}
