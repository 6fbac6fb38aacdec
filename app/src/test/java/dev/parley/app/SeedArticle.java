package dev.parley.app;

import dev.parley.producer.DevelopmentReader;
import dev.parley.producer.DevelopmentValidator;
import dev.parley.schemas.Development;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;

/** Test data for the HTTP queries: the seed article's developments, filed under a negotiation id of the test's own. */
final class SeedArticle {

    private SeedArticle() {
    }

    static List<Development> as(String negotiationId) {
        try (var in = Files.newBufferedReader(Path.of("..", "samples", "ukraine-peace-2025.ndjson"))) {
            var read = new DevelopmentReader(new DevelopmentValidator(Clock.systemUTC())).read(in, "samples");
            return read.developments().stream()
                    .map(d -> Development.newBuilder(d).setNegotiationId(negotiationId).build())
                    .toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
