package dev.parley.schemas;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import org.apache.avro.AvroRuntimeException;
import org.apache.avro.Schema;
import org.apache.avro.message.BinaryMessageDecoder;
import org.apache.avro.SchemaNormalization;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificDatumWriter;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serializer;

/**
 * Kafka serde for Parley's Avro records in Avro's single-object encoding (header, schema fingerprint, body),
 * so any Avro implementation can read the topics with the {@code .avsc} files alone.
 *
 * <p>Records written with any released version of the schema are read: the decoder knows every version
 * from {@link SchemaVersions} and resolves them to the current one. Null stays null (tombstones).
 */
public final class AvroSerde<T extends SpecificRecord> implements Serde<T>, Serializer<T>, Deserializer<T> {

    private final Schema schema;
    private final byte[] header;
    private final SpecificDatumWriter<T> writer;
    private final ThreadLocal<Output> outputs = new ThreadLocal<>();
    private final BinaryMessageDecoder<T> decoder;

    AvroSerde(Class<T> type, List<Schema> readableVersions) {
        AvroSetup.ensure();
        SpecificData model = SpecificData.getForClass(type);
        this.schema = model.getSchema(type);
        this.header = singleObjectHeader(schema);
        this.writer = new SpecificDatumWriter<>(schema, model);
        this.decoder = new BinaryMessageDecoder<>(model, schema);
        readableVersions.forEach(decoder::addSchema);
    }

    private AvroSerde(AvroSerde<T> serde, SpecificDatumWriter<T> writer) {
        this.schema = serde.schema;
        this.header = serde.header;
        this.writer = writer;
        this.decoder = serde.decoder;
    }

    /**
     * The same serde, writing the body through {@code writer} (one that reuses bytes it wrote before, say), set to this
     * serde's schema: the bytes must be those Avro's own writer gives.
     */
    public AvroSerde<T> withWriter(SpecificDatumWriter<T> writer) {
        writer.setSchema(schema);
        return new AvroSerde<>(this, writer);
    }

    /** A serde for the generated type that reads every released version of its schema. */
    public static <T extends SpecificRecord> AvroSerde<T> of(Class<T> type) {
        return new AvroSerde<>(type, SchemaVersions.released(SpecificData.getForClass(type).getSchema(type).getName()));
    }

    @Override
    public byte[] serialize(String topic, T data) {
        if (data == null) {
            return null;
        }
        // Taken, not borrowed: a serialize within a serialize on this thread (a writer that encodes a part with another
        // serde, say) gets a buffer of its own.
        Output out = outputs.get();
        outputs.set(null);
        if (out == null) {
            out = new Output();
        }
        try {
            out.write(header);
            // Avro's BinaryMessageEncoder writes the body byte by byte into the stream, and ByteArrayOutputStream takes a
            // lock per byte: for a 50 kB view that was most of its cost. A buffered encoder writes the same bytes in blocks.
            out.encoder = EncoderFactory.get().binaryEncoder(out, out.encoder);
            writer.write(data, out.encoder);
            out.encoder.flush();
            return out.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (RuntimeException e) {
            throw new SerializationException("Cannot write " + schema.getFullName() + " to " + topic + ": " + e.getMessage(), e);
        } finally {
            out.reset();
            if (out.capacity() <= Output.KEPT_BYTES) {
                outputs.set(out);
            }
        }
    }

    /**
     * A thread's buffer and encoder, kept between records: a fresh buffer doubled its way up to each view's size,
     * allocating twice the view before the copy that is sent.
     */
    private static final class Output extends ByteArrayOutputStream {

        /** A thread keeps a buffer up to this size; a larger record's is dropped after it. */
        static final int KEPT_BYTES = 1 << 20;

        BinaryEncoder encoder;

        Output() {
            super(1024);
        }

        int capacity() {
            return buf.length;
        }
    }

    /** Avro's single-object encoding starts with the marker C3 01, then the schema's 64-bit fingerprint, little-endian. */
    private static byte[] singleObjectHeader(Schema schema) {
        long fingerprint = SchemaNormalization.parsingFingerprint64(schema);
        byte[] header = new byte[10];
        header[0] = (byte) 0xC3;
        header[1] = (byte) 0x01;
        for (int i = 0; i < 8; i++) {
            header[2 + i] = (byte) (fingerprint >>> (8 * i));
        }
        return header;
    }

    @Override
    public T deserialize(String topic, byte[] data) {
        if (data == null) {
            return null;
        }
        try {
            return decoder.decode(data);
        } catch (IOException | AvroRuntimeException | IndexOutOfBoundsException | NegativeArraySizeException e) {
            // Garbage, a schema fingerprint we have never released, or a truncated body: say which and where.
            throw new SerializationException("Cannot read a " + schema.getFullName() + " from " + topic
                    + " (" + data.length + " bytes): " + e.getMessage(), e);
        }
    }

    @Override
    public Serializer<T> serializer() {
        return this;
    }

    @Override
    public Deserializer<T> deserializer() {
        return this;
    }

    @Override
    public void configure(java.util.Map<String, ?> configs, boolean isKey) {
        // Nothing to configure: the schema comes from the generated class.
    }

    @Override
    public void close() {
        // Nothing to release; Serde, Serializer and Deserializer all declare close().
    }
}
