package dev.parley.schemas;

import static dev.parley.schemas.DevelopmentBuilder.aDevelopment;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.generic.GenericRecordBuilder;
import org.apache.avro.message.BinaryMessageEncoder;
import org.apache.kafka.common.errors.SerializationException;
import org.junit.jupiter.api.Test;

class AvroSerdeTest {

    private final AvroSerde<Development> serde = AvroSerde.of(Development.class);

    @Test
    void shouldReadBackWhatItWrote() {
        // given
        Development meeting = aDevelopment().meeting().in("Moscou").on("2025-12-02")
                .actor("Steve Witkoff", ActorRole.ENVOY, "US").quote("« très bonne »", "Steve Witkoff").build();

        // when
        byte[] bytes = serde.serialize(Topics.DEVELOPMENTS, meeting);

        // then
        assertThat(serde.deserialize(Topics.DEVELOPMENTS, bytes)).isEqualTo(meeting);
    }

    @Test
    void shouldWriteAvroSingleObjectEncodingThatOtherReadersRecognise() {
        byte[] bytes = serde.serialize(Topics.DEVELOPMENTS, aDevelopment().build());

        // C3 01 is the single-object marker; the next 8 bytes are the schema's CRC-64-AVRO fingerprint.
        assertThat(bytes[0]).isEqualTo((byte) 0xC3);
        assertThat(bytes[1]).isEqualTo((byte) 0x01);
        long fingerprint = org.apache.avro.SchemaNormalization.parsingFingerprint64(Development.getClassSchema());
        assertThat(java.nio.ByteBuffer.wrap(bytes, 2, 8).order(java.nio.ByteOrder.LITTLE_ENDIAN).getLong()).isEqualTo(fingerprint);
    }

    @Test
    void shouldWriteTheVeryBytesOfAvrosOwnSingleObjectEncoder() throws IOException {
        Development meeting = aDevelopment().meeting().in("Moscou").on("2025-12-02")
                .actor("Steve Witkoff", ActorRole.ENVOY, "US").quote("« très bonne »", "Steve Witkoff").build();
        var avro = new ByteArrayOutputStream();
        new BinaryMessageEncoder<Development>(org.apache.avro.specific.SpecificData.getForClass(Development.class),
                Development.getClassSchema()).encode(meeting, avro);

        assertThat(serde.serialize(Topics.DEVELOPMENTS, meeting)).isEqualTo(avro.toByteArray());
    }

    @Test
    void shouldWriteEachRecordAloneWhateverTheThreadWroteBeforeOrWritesMeanwhile() throws IOException {
        // given a large record, then a small one, on the same thread (whose buffer is kept between records)
        Development large = aDevelopment().summary("x".repeat(200_000)).build();
        Development small = aDevelopment().meeting().in("Moscou").build();
        assertThat(serde.serialize(Topics.DEVELOPMENTS, large)).isEqualTo(avrosOwn(large));
        assertThat(serde.serialize(Topics.DEVELOPMENTS, small)).isEqualTo(avrosOwn(small));

        // and a writer that serializes another record with the same serde while it writes its own
        var nesting = serde.withWriter(new org.apache.avro.specific.SpecificDatumWriter<>(Development.class) {
            @Override
            public void write(Development datum, org.apache.avro.io.Encoder out) throws IOException {
                assertThat(serde.serialize(Topics.DEVELOPMENTS, small)).isEqualTo(avrosOwn(small));
                super.write(datum, out);
            }
        });

        // then each gets exactly Avro's own bytes
        assertThat(nesting.serialize(Topics.DEVELOPMENTS, large)).isEqualTo(avrosOwn(large));
        assertThat(serde.serialize(Topics.DEVELOPMENTS, large)).isEqualTo(avrosOwn(large));
    }

    private static byte[] avrosOwn(Development development) throws IOException {
        var avro = new ByteArrayOutputStream();
        new BinaryMessageEncoder<Development>(org.apache.avro.specific.SpecificData.getForClass(Development.class),
                Development.getClassSchema()).encode(development, avro);
        return avro.toByteArray();
    }

    @Test
    void shouldPassNullThroughBothWays() {
        assertThat(serde.serialize(Topics.DEVELOPMENTS, null)).isNull();
        assertThat(serde.deserialize(Topics.DEVELOPMENTS, null)).isNull();
    }

    @Test
    void shouldReadARecordWrittenWithAnOlderSchema() throws IOException {
        // given a record written by a producer that still has an older Development (no binding, no sticking_point, no phase)
        Schema older = parse("/dev/parley/schemas/Development.older.avsc");
        GenericRecord date = new GenericRecordBuilder(older.getField("occurred_on").schema())
                .set("start", (int) java.time.LocalDate.parse("2025-12-01").toEpochDay()).set("precision", new GenericData.EnumSymbol(null, "EARLY_MONTH")).build();
        GenericRecord record = new GenericRecordBuilder(older)
                .set("development_id", "us-proposal").set("negotiation_id", "ukraine-peace-2025")
                .set("occurred_on", date).set("reported_at", 1764936000000L)
                .set("type", new GenericData.EnumSymbol(null, "PROPOSAL"))
                .set("summary", "Washington a présenté une proposition.").set("language", "fr").build();
        var out = new ByteArrayOutputStream();
        new BinaryMessageEncoder<GenericRecord>(GenericData.get(), older).encode(record, out);
        AvroSerde<Development> reader = new AvroSerde<>(Development.class, List.of(older));

        // when
        Development read = reader.deserialize(Topics.DEVELOPMENTS, out.toByteArray());

        // then the fields it had are kept and the new ones take their defaults
        assertThat(read.getDevelopmentId()).isEqualTo("us-proposal");
        assertThat(read.getOccurredOn().getStart()).hasToString("2025-12-01");
        assertThat(read.getOccurredOn().getPrecision()).isEqualTo(DatePrecision.EARLY_MONTH);
        assertThat(read.getType()).isEqualTo(DevelopmentType.PROPOSAL);
        assertThat(read.getStickingPoint()).isFalse();
        assertThat(read.getPhase()).isNull();
        assertThat(read.getQuotes()).isEmpty();
    }

    @Test
    void shouldRejectGarbageWithTheSchemaNameAndTopic() {
        byte[] garbage = "not avro at all".getBytes(java.nio.charset.StandardCharsets.UTF_8);

        assertThatThrownBy(() -> serde.deserialize(Topics.DEVELOPMENTS, garbage))
                .isInstanceOf(SerializationException.class)
                .hasMessageContaining("dev.parley.schemas.Development")
                .hasMessageContaining(Topics.DEVELOPMENTS);
    }

    @Test
    void shouldRejectARecordWithAnUnknownSchemaFingerprint() {
        byte[] bytes = serde.serialize(Topics.DEVELOPMENTS, aDevelopment().build());
        bytes[5] ^= 0x5A; // corrupt the fingerprint

        assertThatThrownBy(() -> serde.deserialize(Topics.DEVELOPMENTS, bytes))
                .isInstanceOf(SerializationException.class)
                .hasMessageContaining("dev.parley.schemas.Development")
                .hasMessageContaining("fingerprint");
    }

    @Test
    void shouldRejectATruncatedBody() {
        byte[] bytes = serde.serialize(Topics.DEVELOPMENTS, aDevelopment().build());
        byte[] truncated = java.util.Arrays.copyOf(bytes, 14);

        assertThatThrownBy(() -> serde.deserialize(Topics.DEVELOPMENTS, truncated))
                .isInstanceOf(SerializationException.class)
                .hasMessageContaining("dev.parley.schemas.Development");
    }

    @Test
    void shouldRejectAHostileLengthWithoutAllocatingIt() {
        // given a valid header and fingerprint, then a development_id claiming to be 1 GiB long
        byte[] valid = serde.serialize(Topics.DEVELOPMENTS, aDevelopment().build());
        var hostile = new ByteArrayOutputStream();
        hostile.write(valid, 0, 10);
        long length = 1L << 30;
        long zigzag = length << 1;
        while ((zigzag & ~0x7FL) != 0) {
            hostile.write((int) ((zigzag & 0x7F) | 0x80));
            zigzag >>>= 7;
        }
        hostile.write((int) zigzag);

        assertThatThrownBy(() -> serde.deserialize(Topics.DEVELOPMENTS, hostile.toByteArray()))
                .isInstanceOf(SerializationException.class)
                .hasMessageContaining("dev.parley.schemas.Development")
                .hasMessageContaining("exceeds maximum allowed");
    }

    private static Schema parse(String resource) throws IOException {
        try (InputStream in = AvroSerdeTest.class.getResourceAsStream(resource)) {
            return new Schema.Parser().parse(in);
        }
    }
}
