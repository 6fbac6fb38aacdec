package dev.parley.consumer;

import com.fasterxml.jackson.databind.JsonNode;
import dev.parley.schemas.StatusChange;
import dev.parley.schemas.json.AvroJson;
import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.HashMap;
import java.util.Map;

/**
 * Appends each status change as one JSON line to a file. Idempotent: it remembers the last version written
 * per negotiation (read back from the file on start), so redelivery after a crash writes nothing twice.
 */
public final class JsonLinesSink implements Sink {

    private final Path file;
    private final Map<String, Long> lastVersion = new HashMap<>();
    private final BufferedWriter out;

    public JsonLinesSink(Path file) throws IOException {
        this.file = file;
        if (file.getParent() != null) {
            Files.createDirectories(file.getParent());
        }
        if (Files.exists(file)) {
            dropTornLastLine(file);
            try (var lines = Files.lines(file, StandardCharsets.UTF_8)) {
                lines.filter(line -> !line.isBlank()).forEach(this::remember);
            }
        }
        this.out = Files.newBufferedWriter(file, StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
    }

    @Override
    public String name() {
        return "jsonl";
    }

    public Path file() {
        return file;
    }

    @Override
    public boolean accept(StatusChange change) throws IOException {
        long last = lastVersion.getOrDefault(change.getNegotiationId(), 0L);
        if (change.getToVersion() <= last) {
            return false; // already written
        }
        out.write(AvroJson.toJsonString(change));
        out.newLine();
        out.flush();
        lastVersion.put(change.getNegotiationId(), change.getToVersion());
        return true;
    }

    /** A crash mid-write leaves a last line without its newline: cut it, so the redelivered change starts a clean line. */
    private static void dropTornLastLine(Path file) throws IOException {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            long end = channel.size();
            ByteBuffer one = ByteBuffer.allocate(1);
            long keep = end;
            while (keep > 0) {
                one.clear();
                channel.read(one, keep - 1);
                if (one.get(0) == '\n') {
                    break;
                }
                keep--;
            }
            if (keep < end) {
                channel.truncate(keep);
            }
        }
    }

    private void remember(String line) {
        try {
            JsonNode json = AvroJson.MAPPER.readTree(line);
            lastVersion.merge(json.get("negotiation_id").asText(), json.get("to_version").asLong(), Math::max);
        } catch (IOException | NullPointerException e) {
            // A torn last line from a crash mid-write: the change it held is redelivered and written again.
        }
    }

    @Override
    public void close() throws IOException {
        out.close();
    }
}
