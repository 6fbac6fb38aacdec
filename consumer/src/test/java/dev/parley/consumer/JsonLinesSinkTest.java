package dev.parley.consumer;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.schemas.Change;
import dev.parley.schemas.ChangeKind;
import dev.parley.schemas.StatusChange;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JsonLinesSinkTest {

    @TempDir
    Path dir;

    @Test
    void shouldWriteEachChangeOnceEvenWhenRedeliveredAfterARestart() throws Exception {
        // given two changes written, then the sink restarted
        Path file = dir.resolve("changes.jsonl");
        try (var sink = new JsonLinesSink(file)) {
            sink.accept(change(1));
            sink.accept(change(2));
        }

        // when both are delivered again, with a new one
        try (var sink = new JsonLinesSink(file)) {
            assertThat(sink.accept(change(1))).isFalse();
            assertThat(sink.accept(change(2))).isFalse();
            assertThat(sink.accept(change(3))).isTrue();
        }

        // then each version is in the file exactly once, in order
        List<String> lines = Files.readAllLines(file);
        assertThat(lines).hasSize(3);
        assertThat(lines.get(2)).contains("\"to_version\":3", "\"kind\":\"MEETING_HELD\"", "« très bonne »");
    }

    @Test
    void shouldCutALineTornByACrashAndWriteTheChangeAgain() throws Exception {
        // given a file whose last line a crash cut short
        Path file = dir.resolve("changes.jsonl");
        try (var sink = new JsonLinesSink(file)) {
            sink.accept(change(1));
        }
        Files.writeString(file, "{\"negotiation_id\":\"ukraine-peace-2025\",\"to_ver", java.nio.file.StandardOpenOption.APPEND);

        // when the sink restarts and the change is delivered again
        try (var sink = new JsonLinesSink(file)) {
            assertThat(sink.accept(change(2))).isTrue();
        }

        // then the torn line is gone and every line is whole
        List<String> lines = Files.readAllLines(file);
        assertThat(lines).hasSize(2);
        assertThat(lines.get(1)).startsWith("{").endsWith("}").contains("\"to_version\":2");
    }

    private static StatusChange change(long version) {
        return new StatusChange("ukraine-peace-2025", version - 1, version,
                List.of(new Change(ChangeKind.MEETING_HELD, "meeting:moscow", null, "{\"summary\":\"« très bonne »\"}")),
                List.of("moscow-meeting"), Instant.parse("2025-12-05T12:02:00Z"), false);
    }
}
