package dev.parley.streams;

import dev.parley.schemas.Development;
import dev.parley.schemas.json.AvroJson;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** The developments of the seed article, from the sample file users load. */
final class SampleDevelopments {

    static final Path FILE = Path.of("..", "samples", "ukraine-peace-2025.ndjson");

    static List<Development> all() {
        try {
            return Files.readAllLines(FILE).stream().filter(line -> !line.isBlank()).map(SampleDevelopments::parse).toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Development parse(String line) {
        try {
            return AvroJson.fromJson(AvroJson.MAPPER.readTree(line), Development.class);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private SampleDevelopments() {
    }
}
