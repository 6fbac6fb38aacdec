package dev.parley.schemas;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.apache.avro.Schema;
import org.apache.avro.SchemaCompatibility;
import org.apache.avro.SchemaCompatibility.SchemaCompatibilityType;
import org.apache.avro.SchemaNormalization;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** The released .avsc files are the public contract: the code must match the latest, and every version must stay readable. */
class SchemaVersionsTest {

    static List<Schema> currentSchemas() {
        return List.of(Development.getClassSchema(), NegotiationStatus.getClassSchema(), StatusChange.getClassSchema());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("currentSchemas")
    void shouldHaveReleasedTheSchemaTheCodeUses(Schema current) {
        List<Schema> released = SchemaVersions.released(current.getName());

        assertThat(released).as("released versions of %s", current.getName()).isNotEmpty();
        Schema latest = released.get(released.size() - 1);
        assertThat(SchemaNormalization.toParsingForm(latest))
                .as("%s.avsc changed without a release: add it as %s.v%d.avsc under %s (never edit a released version)",
                        current.getName(), current.getName(), released.size() + 1, SchemaVersions.RELEASED)
                .isEqualTo(SchemaNormalization.toParsingForm(current));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("currentSchemas")
    void shouldKeepEveryVersionFullyTransitivelyCompatible(Schema current) {
        List<Schema> released = SchemaVersions.released(current.getName());

        // FULL_TRANSITIVE: every version reads what every other version wrote, in both directions.
        for (Schema writer : released) {
            for (Schema reader : released) {
                assertThat(SchemaCompatibility.checkReaderWriterCompatibility(reader, writer).getType())
                        .as("%s: a reader of one version cannot read a writer of another", current.getName())
                        .isEqualTo(SchemaCompatibilityType.COMPATIBLE);
            }
        }
    }
}
