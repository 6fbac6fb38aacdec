package dev.parley.schemas;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.apache.avro.Schema;
import org.apache.avro.SchemaNormalization;
import org.junit.jupiter.api.Test;
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
        assertThat(SchemaVersions.incompatibilities(SchemaVersions.released(current.getName())))
                .as("%s: released versions must read each other (FULL_TRANSITIVE)", current.getName()).isEmpty();
    }

    @Test
    void shouldKeepTwoReleasedVersionsOfDevelopment() {
        assertThat(SchemaVersions.released("Development")).hasSize(2);
        assertThat(SchemaVersions.released("Development").get(1).getField("title")).isNotNull();
    }

    @Test
    void shouldCatchANewVersionThatOlderReadersCannotRead() {
        // given a "v3" that adds a required field with no default: v3 readers cannot read v1 or v2 records
        List<Schema> released = SchemaVersions.released("Development");
        Schema v2 = released.get(released.size() - 1);
        Schema v3 = new Schema.Parser().parse(v2.toString().replace(
                "{\"name\":\"title\"", "{\"name\":\"confidence\",\"type\":\"string\"},{\"name\":\"title\""));
        List<Schema> withV3 = new java.util.ArrayList<>(released);
        withV3.add(v3);

        // when / then
        assertThat(SchemaVersions.incompatibilities(withV3)).isNotEmpty()
                .allSatisfy(problem -> assertThat(problem).contains("READER_FIELD_MISSING_DEFAULT").contains("confidence"));
    }
}
