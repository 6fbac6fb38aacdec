package dev.parley.schemas;

import static dev.parley.schemas.DevelopmentBuilder.aDevelopment;
import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.schemas.json.AvroJson;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.avro.Schema;
import org.apache.avro.SchemaNormalization;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.message.BinaryMessageDecoder;
import org.junit.jupiter.api.Test;

/** Development v1 records stay readable by v2 code, and v1 readers read what v2 writes. */
class SchemaEvolutionTest {

    private final AvroSerde<Development> serde = AvroSerde.of(Development.class);
    private final List<Schema> released = SchemaVersions.released("Development");

    @Test
    void shouldReadRecordsWrittenWithVersionOneAsTheSameDevelopments() throws Exception {
        // given the seed article as v1 wrote it to the topic
        List<byte[]> v1Records = V1Fixtures.records();
        long v1Fingerprint = SchemaNormalization.parsingFingerprint64(released.get(0));
        assertThat(v1Records).allSatisfy(bytes -> assertThat(fingerprint(bytes)).isEqualTo(v1Fingerprint));

        // when the current (v2) serde reads them
        List<Development> read = v1Records.stream().map(bytes -> serde.deserialize(Topics.DEVELOPMENTS, bytes)).toList();

        // then they are the sample developments, with v2's new field at its default
        List<String> sample = Files.readAllLines(Path.of("..", "samples", "ukraine-peace-2025.ndjson"));
        assertThat(read).hasSize(sample.size());
        for (int i = 0; i < sample.size(); i++) {
            assertThat(read.get(i)).isEqualTo(AvroJson.fromJson(AvroJson.MAPPER.readTree(sample.get(i)), Development.class));
            assertThat(read.get(i).getTitle()).isNull();
        }
    }

    @Test
    void shouldLetAVersionOneReaderReadWhatVersionTwoWrites() throws Exception {
        // given a development with a title, written by v2
        Development withTitle = Development.newBuilder(aDevelopment().id("moscow").meeting().in("Moscou").build())
                .setTitle("Rencontre à Moscou").build();
        byte[] v2Bytes = serde.serialize(Topics.DEVELOPMENTS, withTitle);

        // when a reader that only knows v1 as its own schema (and the released versions as writers) reads it
        var v1Reader = new BinaryMessageDecoder<GenericRecord>(GenericData.get(), released.get(0));
        released.forEach(v1Reader::addSchema);
        GenericRecord read = v1Reader.decode(v2Bytes);

        // then it sees its own fields, and simply not the new one
        assertThat(read.getSchema().getField("title")).isNull();
        assertThat(read.get("development_id")).hasToString("moscow");
        assertThat(read.get("place")).hasToString("Moscou");
    }

    private static long fingerprint(byte[] bytes) {
        return java.nio.ByteBuffer.wrap(bytes, 2, 8).order(java.nio.ByteOrder.LITTLE_ENDIAN).getLong();
    }

}
