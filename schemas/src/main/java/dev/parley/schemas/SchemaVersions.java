package dev.parley.schemas;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import org.apache.avro.Schema;
import org.apache.avro.SchemaCompatibility;

/**
 * Every released version of each Parley schema, as standalone {@code .avsc} files on the classpath
 * ({@code dev/parley/schemas/released/<Name>.v<N>.avsc}), oldest first.
 *
 * <p>A released version is never edited or removed: records written with it stay on the topics forever.
 */
public final class SchemaVersions {

    static final String RELEASED = "/dev/parley/schemas/released/";

    private SchemaVersions() {
    }

    /**
     * What breaks FULL_TRANSITIVE compatibility among versions of one schema: every version must read what
     * every other wrote, both ways. Empty when they are compatible.
     */
    public static List<String> incompatibilities(List<Schema> versions) {
        List<String> problems = new ArrayList<>();
        for (int w = 0; w < versions.size(); w++) {
            for (int r = 0; r < versions.size(); r++) {
                var result = SchemaCompatibility.checkReaderWriterCompatibility(versions.get(r), versions.get(w)).getResult();
                if (result.getCompatibility() != SchemaCompatibility.SchemaCompatibilityType.COMPATIBLE) {
                    problems.add("v" + (r + 1) + " cannot read v" + (w + 1) + ": " + result.getIncompatibilities().stream()
                            .map(i -> i.getType() + " at " + i.getLocation() + " (" + i.getMessage() + ")").toList());
                }
            }
        }
        return problems;
    }

    /** The released versions of the named schema (e.g. "Development"), version 1 first. */
    public static List<Schema> released(String name) {
        List<Schema> versions = new ArrayList<>();
        for (int v = 1; ; v++) {
            try (InputStream in = SchemaVersions.class.getResourceAsStream(RELEASED + name + ".v" + v + ".avsc")) {
                if (in == null) {
                    return versions;
                }
                versions.add(new Schema.Parser().parse(in));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }
}
