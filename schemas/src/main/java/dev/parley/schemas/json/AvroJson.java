package dev.parley.schemas.json;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.io.SerializedString;
import com.fasterxml.jackson.core.json.JsonWriteFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.ObjectWriter;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.ser.std.StdSerializer;
import com.fasterxml.jackson.databind.util.TokenBuffer;
import java.time.Instant;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import java.util.regex.Pattern;
import org.apache.avro.LogicalTypes;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificRecord;
import dev.parley.schemas.AvroLimits;
import dev.parley.schemas.AvroSetup;

/**
 * Plain JSON for Parley's Avro records, in both directions, driven by the schema alone.
 *
 * <p>The JSON is what people write and read: field names as in the {@code .avsc}, a nullable field is
 * its value or null, enums are their symbols, dates are {@code YYYY-MM-DD}, timestamps ISO-8601 instants.
 * (Avro's own JSON encoding wraps union values in type names, which nobody wants to type.)
 * Reading collects every field error so a user fixes a record in one go, and refuses what the binary
 * encoding cannot carry or its readers would refuse ({@link AvroLimits}): a date beyond Avro's int days, an
 * instant beyond epoch milliseconds, a string or a list over the limits. Instants keep millisecond
 * precision, as {@code timestamp-millis} stores them, so what is read is exactly what is written.
 * Text is refused when it holds a control character other than tab and line breaks (NUL is refused by
 * PostgreSQL's TEXT and JSONB, escape sequences are obeyed by the terminals {@code parley watch} prints to)
 * or half of a surrogate pair (which UTF-8 cannot encode: it would be written as '?').
 */
public final class AvroJson {

    public static final ObjectMapper MAPPER = new ObjectMapper();
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    /**
     * Reads exactly one JSON value, as an input must be: whatever follows it (a second object, stray text) is an
     * error rather than silently ignored, as {@link #MAPPER}'s {@code readTree} would.
     */
    public static final ObjectReader ONE_VALUE = MAPPER.reader().with(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
    /**
     * {@link #write} as Jackson's serializer of every record, so text and bytes are written with Jackson's own recycled
     * buffers: a StringWriter grows a synchronized StringBuffer by copies, and a change's JSON is often 10 kB. As bytes,
     * a character beyond the BMP is written as UTF-8 too, not as an escaped surrogate pair, so both say the same.
     */
    private static final ObjectWriter RECORDS = new ObjectMapper(JsonFactory.builder()
            .enable(JsonWriteFeature.COMBINE_UNICODE_SURROGATES_IN_UTF8).build()).registerModule(new SimpleModule("parley-avro-json")
            .addSerializer(SpecificRecord.class, new StdSerializer<>(SpecificRecord.class) {
                @Override
                public void serialize(SpecificRecord record, JsonGenerator json, SerializerProvider provider) throws java.io.IOException {
                    @SuppressWarnings("unchecked")
                    var known = (Function<SpecificRecord, String>) provider.getAttribute(KNOWN);
                    write(json, record.getSchema(), record, known == null ? NOTHING_KNOWN : known);
                }
            })).writer();

    private static final String KNOWN = "parley.known-json";
    private static final Function<SpecificRecord, String> NOTHING_KNOWN = record -> null;

    private AvroJson() {
    }

    /** A parse error as a person reads it: the parser's own words, without the parts about Java types. */
    public static String problem(JsonProcessingException e) {
        if (e instanceof MismatchedInputException && e.getOriginalMessage().startsWith("Trailing token")) {
            return "something follows the JSON value; expected nothing more";
        }
        return e.getOriginalMessage();
    }

    // ---- Avro -> JSON ----

    public static ObjectNode toJson(SpecificRecord record) {
        // The same writer as the text, into Jackson's token buffer, read back as a tree.
        try (TokenBuffer tokens = new TokenBuffer(MAPPER, false)) {
            write(tokens, record.getSchema(), record);
            return MAPPER.readTree(tokens.asParser());
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e); // a token buffer does not fail
        }
    }

    /** The same JSON as {@link #toJson}, as text, written straight out: the fold names every change this way. */
    public static String toJsonString(SpecificRecord record) {
        try {
            return RECORDS.writeValueAsString(record);
        } catch (JsonProcessingException e) {
            throw new java.io.UncheckedIOException(e); // writing to memory does not fail
        }
    }

    /**
     * {@link #toJsonString(SpecificRecord)}, writing the JSON {@code known} gives for a record inside the one written as
     * it is (null: none known): for the fold, which writes a group of statements it has mostly written before. Made
     * once, used for every record.
     */
    public static Function<SpecificRecord, String> jsonWriter(Function<SpecificRecord, String> known) {
        ObjectWriter writer = RECORDS.withAttribute(KNOWN, known);
        return record -> {
            try {
                return writer.writeValueAsString(record);
            } catch (JsonProcessingException e) {
                throw new java.io.UncheckedIOException(e); // writing to memory does not fail
            }
        };
    }

    /** The same JSON as {@link #toJsonString}, as UTF-8 bytes, for a body or a stream: no String in between. */
    public static byte[] toJsonBytes(SpecificRecord record) {
        try {
            return RECORDS.writeValueAsBytes(record);
        } catch (JsonProcessingException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static void write(JsonGenerator json, Schema schema, Object value) throws java.io.IOException {
        write(json, schema, value, NOTHING_KNOWN);
    }

    private static void write(JsonGenerator json, Schema schema, Object value, Function<SpecificRecord, String> known)
            throws java.io.IOException {
        writeOrNull(json, WRITERS.computeIfAbsent(schema, s -> writerOf(s, new IdentityHashMap<>())), value, known);
    }

    /**
     * A writer per schema, made once: a tree of small writers, one per node of the schema. One recursive method that
     * switched on the schema's type at every value, with Jackson's code inlined into it for three kinds of generator, was
     * compiled by C2 ten or eleven times in a run of the pipeline (8 to 11 s of compilation, JFR); these, 0.9 s.
     */
    private static final Map<Schema, NodeWriter> WRITERS = new ConcurrentHashMap<>();

    /** Writes one non-null value of a schema node. */
    private interface NodeWriter {
        void write(JsonGenerator json, Object value, Function<SpecificRecord, String> known) throws java.io.IOException;
    }

    /** The writer of a schema node; {@code records} holds the records' writers made so far, so a recursive schema ends. */
    private static NodeWriter writerOf(Schema schema, Map<Schema, RecordWriter> records) {
        return switch (schema.getType()) {
            case RECORD -> {
                RecordWriter record = records.get(schema);
                if (record == null) {
                    record = new RecordWriter(schema.getFields());
                    records.put(schema, record);
                    for (Schema.Field field : schema.getFields()) {
                        record.values[field.pos()] = writerOf(field.schema(), records);
                    }
                }
                yield record;
            }
            case UNION -> unionWriter(schema, records);
            case ARRAY -> {
                NodeWriter item = writerOf(schema.getElementType(), records);
                yield (json, value, known) -> {
                    json.writeStartArray();
                    for (Object element : (Iterable<?>) value) {
                        writeOrNull(json, item, element, known);
                    }
                    json.writeEndArray();
                };
            }
            case MAP -> {
                NodeWriter entryValue = writerOf(schema.getValueType(), records);
                yield (json, value, known) -> {
                    json.writeStartObject();
                    for (Map.Entry<?, ?> entry : ((Map<?, ?>) value).entrySet()) {
                        json.writeFieldName(entry.getKey().toString());
                        writeOrNull(json, entryValue, entry.getValue(), known);
                    }
                    json.writeEndObject();
                };
            }
            case INT -> (json, value, known) -> {
                if (value instanceof LocalDate date) {
                    json.writeString(date.toString());
                } else {
                    json.writeNumber((Integer) value);
                }
            };
            case LONG -> (json, value, known) -> {
                if (value instanceof Instant instant) {
                    json.writeString(isoInstant(instant));
                } else {
                    json.writeNumber((Long) value);
                }
            };
            case BOOLEAN -> (json, value, known) -> json.writeBoolean((Boolean) value);
            case FLOAT -> (json, value, known) -> json.writeNumber((Float) value);
            case DOUBLE -> (json, value, known) -> json.writeNumber((Double) value);
            default -> (json, value, known) -> json.writeString(value.toString()); // STRING, ENUM
        };
    }

    /** A nullable field (null or one type) is written as that type, null being written by whoever holds it. */
    private static NodeWriter unionWriter(Schema union, Map<Schema, RecordWriter> records) {
        List<Schema> types = union.getTypes();
        List<Schema> notNull = types.stream().filter(type -> type.getType() != Schema.Type.NULL).toList();
        if (notNull.size() == 1) {
            return writerOf(notNull.get(0), records);
        }
        List<NodeWriter> branches = new ArrayList<>(types.size());
        for (Schema type : types) {
            branches.add(writerOf(type, records));
        }
        return (json, value, known) -> branches.get(GenericData.get().resolveUnion(union, value)).write(json, value, known);
    }

    private static void writeOrNull(JsonGenerator json, NodeWriter writer, Object value, Function<SpecificRecord, String> known)
            throws java.io.IOException {
        if (value == null) {
            json.writeNull();
        } else {
            writer.write(json, value, known);
        }
    }

    /** A record as an object of its fields, or as the JSON {@code known} gives for it when it is inside another. */
    private static final class RecordWriter implements NodeWriter {
        private final SerializedString[] names;
        private final NodeWriter[] values; // by field position, filled in once this writer is known (a field may be this record)

        RecordWriter(List<Schema.Field> fields) {
            names = fields.stream().map(field -> new SerializedString(field.name())).toArray(SerializedString[]::new);
            values = new NodeWriter[fields.size()];
        }

        @Override
        public void write(JsonGenerator json, Object value, Function<SpecificRecord, String> known) throws java.io.IOException {
            var record = (SpecificRecord) value;
            String written = json.getOutputContext().inRoot() ? null : known.apply(record);
            if (written != null) {
                json.writeRawValue(written);
                return;
            }
            json.writeStartObject();
            for (int i = 0; i < names.length; i++) {
                json.writeFieldName(names[i]);
                writeOrNull(json, values[i], record.get(i), known);
            }
            json.writeEndObject();
        }
    }

    /**
     * {@link Instant#toString()}'s text ("2025-12-02T18:00:00Z", a fraction only when there is one, in groups of three
     * digits), written by hand for years 0 to 9999: Java's formatter was a twentieth of the stream thread's CPU, in
     * the JSON of every change.
     */
    static String isoInstant(Instant instant) {
        long seconds = instant.getEpochSecond();
        long days = Math.floorDiv(seconds, 86_400);
        int secondOfDay = (int) Math.floorMod(seconds, 86_400);
        LocalDate date = LocalDate.ofEpochDay(days);
        if (date.getYear() < 0 || date.getYear() > 9999) {
            return instant.toString();
        }
        StringBuilder text = new StringBuilder(30).append(date).append('T');
        twoDigits(text, secondOfDay / 3600).append(':');
        twoDigits(text, secondOfDay / 60 % 60).append(':');
        twoDigits(text, secondOfDay % 60);
        int nanos = instant.getNano();
        if (nanos > 0) {
            String fraction = Integer.toString(1_000_000_000 + nanos).substring(1);
            int digits = nanos % 1_000_000 == 0 ? 3 : nanos % 1_000 == 0 ? 6 : 9;
            text.append('.').append(fraction, 0, digits);
        }
        return text.append('Z').toString();
    }

    private static StringBuilder twoDigits(StringBuilder text, int value) {
        return text.append((char) ('0' + value / 10)).append((char) ('0' + value % 10));
    }

    // ---- JSON -> Avro ----

    /** Reads a record of the given generated type, or throws with every field error found. */
    public static <T extends SpecificRecord> T fromJson(JsonNode json, Class<T> type) {
        AvroSetup.ensure();
        SpecificData model = SpecificData.getForClass(type);
        List<FieldError> errors = new ArrayList<>();
        Object record = new Reader(model, errors).read(model.getSchema(type), json, "");
        if (!errors.isEmpty()) {
            throw new InvalidRecordException(errors);
        }
        return type.cast(record);
    }

    private record Reader(SpecificData model, List<FieldError> errors) {

        Object read(Schema schema, JsonNode json, String path) {
            return switch (schema.getType()) {
                case RECORD -> readRecord(schema, json, path);
                case UNION -> readUnion(schema, json, path);
                case ARRAY -> readArray(schema, json, path);
                case STRING -> json.isTextual() ? readString(json, path) : fail(path, json, "a string");
                case BOOLEAN -> json.isBoolean() ? json.booleanValue() : fail(path, json, "true or false");
                case ENUM -> readEnum(schema, json, path);
                case INT -> schema.getLogicalType() instanceof LogicalTypes.Date
                        ? readDate(json, path)
                        : json.canConvertToInt() && json.isIntegralNumber() ? json.intValue() : fail(path, json, "a whole number");
                case LONG -> schema.getLogicalType() instanceof LogicalTypes.TimestampMillis
                        ? readInstant(json, path)
                        : json.canConvertToLong() && json.isIntegralNumber() ? json.longValue() : fail(path, json, "a whole number");
                case DOUBLE, FLOAT -> json.isNumber() ? json.doubleValue() : fail(path, json, "a number");
                default -> fail(path, json, "supported (" + schema.getType() + " fields cannot be read from JSON)");
            };
        }

        private Object readRecord(Schema schema, JsonNode json, String path) {
            if (!json.isObject()) {
                return fail(path.isEmpty() ? "record" : path, json, "an object");
            }
            Object record = model.newRecord(null, schema);
            for (Schema.Field field : schema.getFields()) {
                String fieldPath = path.isEmpty() ? field.name() : path + "." + field.name();
                JsonNode value = json.get(field.name());
                if (value != null) {
                    int errorsBefore = errors.size();
                    Object read = read(field.schema(), value, fieldPath);
                    if (errors.size() == errorsBefore) { // never put a failed (null) value into a primitive field
                        model.setField(record, field.name(), field.pos(), read);
                    }
                } else if (field.hasDefaultValue()) {
                    // getDefaultValue hands out a cached instance; copy it so records never share a list.
                    model.setField(record, field.name(), field.pos(), model.deepCopy(field.schema(), model.getDefaultValue(field)));
                } else {
                    errors.add(new FieldError(fieldPath, null, describe(field.schema())));
                }
            }
            for (Iterator<String> names = json.fieldNames(); names.hasNext(); ) {
                String name = names.next();
                if (schema.getField(name) == null) {
                    String shown = SIMPLE_NAME.matcher(name).matches() ? name : NODES.textNode(name).toString(); // "" or "a b" visible
                    errors.add(new FieldError(path.isEmpty() ? shown : path + "." + shown, json.get(name).toString(),
                            "a known field (expected one of " + schema.getFields().stream().map(Schema.Field::name).toList() + ")"));
                }
            }
            return record;
        }

        private Object readUnion(Schema schema, JsonNode json, String path) {
            boolean nullable = schema.getTypes().stream().anyMatch(s -> s.getType() == Schema.Type.NULL);
            if (json.isNull()) {
                return nullable ? null : fail(path, json, describe(schema));
            }
            Schema branch = schema.getTypes().stream().filter(s -> s.getType() != Schema.Type.NULL).findFirst().orElseThrow();
            return read(branch, json, path);
        }

        private Object readString(JsonNode json, String path) {
            String text = json.textValue();
            if (utf8Length(text) > AvroLimits.MAX_STRING_BYTES) {
                return fail(path, json, "a string of at most " + AvroLimits.MAX_STRING_BYTES + " bytes in UTF-8 (this one has "
                        + utf8Length(text) + ")");
            }
            for (int i = 0; i < text.length(); i++) {
                char c = text.charAt(i);
                if (isControl(c)) {
                    return fail(path, json, "text (expected no control character but tab and line breaks; U+"
                            + String.format("%04X", (int) c) + " at character " + (i + 1) + ")");
                }
                if (Character.isSurrogate(c)) {
                    if (Character.isHighSurrogate(c) && i + 1 < text.length() && Character.isLowSurrogate(text.charAt(i + 1))) {
                        i++; // a pair: one character beyond U+FFFF, e.g. an emoji
                    } else {
                        return fail(path, json, "text (expected Unicode characters; half of a surrogate pair, U+"
                                + String.format("%04X", (int) c) + ", at character " + (i + 1) + ")");
                    }
                }
            }
            return text;
        }

        private static boolean isControl(char c) {
            return c < 0x20 ? c != '\t' && c != '\n' && c != '\r' : c >= 0x7F && c <= 0x9F;
        }

        private Object readArray(Schema schema, JsonNode json, String path) {
            if (!json.isArray()) {
                return fail(path, json, "a list");
            }
            if (json.size() > AvroLimits.MAX_COLLECTION_ITEMS) {
                return fail(path, json, "a list of at most " + AvroLimits.MAX_COLLECTION_ITEMS + " items (this one has " + json.size() + ")");
            }
            List<Object> items = new ArrayList<>(json.size());
            for (int i = 0; i < json.size(); i++) {
                items.add(read(schema.getElementType(), json.get(i), path + "[" + i + "]"));
            }
            return items;
        }

        private Object readEnum(Schema schema, JsonNode json, String path) {
            if (json.isTextual() && schema.hasEnumSymbol(json.textValue())) {
                return model.createEnum(json.textValue(), schema);
            }
            return fail(path, json, "one of " + String.join(", ", schema.getEnumSymbols()));
        }

        private Object readDate(JsonNode json, String path) {
            LocalDate date;
            try {
                date = LocalDate.parse(json.asText());
            } catch (DateTimeParseException e) {
                return fail(path, json, "a date (expected YYYY-MM-DD)");
            }
            // Avro's date is an int of days since 1970-01-01: beyond it, the date would be written as another one.
            if (date.isBefore(FIRST_DATE) || date.isAfter(LAST_DATE)) {
                return fail(path, json, "a date (expected YYYY-MM-DD from " + FIRST_DATE + " to " + LAST_DATE + ")");
            }
            return date;
        }

        private Object readInstant(JsonNode json, String path) {
            try {
                Instant instant = Instant.parse(json.asText());
                // timestamp-millis keeps milliseconds: beyond a long of them the instant cannot be written at all.
                return Instant.ofEpochMilli(instant.toEpochMilli());
            } catch (DateTimeParseException | ArithmeticException e) {
                return fail(path, json, "an instant (expected ISO-8601 UTC, e.g. 2025-12-02T18:00:00Z)");
            }
        }

        private Object fail(String path, JsonNode json, String expected) {
            errors.add(new FieldError(path, json.toString(), expected));
            return null;
        }
    }

    /** A field name shown as it is in a path; any other is shown as a JSON string, so an empty or spaced name is visible. */
    private static final Pattern SIMPLE_NAME = Pattern.compile("[\\p{L}\\p{N}_$-]+");
    private static final LocalDate FIRST_DATE = LocalDate.ofEpochDay(Integer.MIN_VALUE);
    private static final LocalDate LAST_DATE = LocalDate.ofEpochDay(Integer.MAX_VALUE);

    /** Bytes of the string in UTF-8, counted without encoding it. */
    private static long utf8Length(String text) {
        if ((long) text.length() * 3 <= AvroLimits.MAX_STRING_BYTES) {
            return text.length(); // short enough whatever it holds; the exact length does not matter then
        }
        long bytes = 0;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c < 0x80) {
                bytes += 1;
            } else if (c < 0x800) {
                bytes += 2;
            } else if (Character.isHighSurrogate(c) && i + 1 < text.length() && Character.isLowSurrogate(text.charAt(i + 1))) {
                bytes += 4;
                i++;
            } else {
                bytes += 3;
            }
        }
        return bytes;
    }

    private static String describe(Schema schema) {
        return switch (schema.getType()) {
            case RECORD -> "an object";
            case ARRAY -> "a list";
            case ENUM -> "one of " + String.join(", ", schema.getEnumSymbols());
            case UNION -> "null or " + describe(schema.getTypes().stream().filter(s -> s.getType() != Schema.Type.NULL).findFirst().orElseThrow());
            case INT -> schema.getLogicalType() instanceof LogicalTypes.Date ? "a date (YYYY-MM-DD)" : "a whole number";
            case LONG -> schema.getLogicalType() instanceof LogicalTypes.TimestampMillis ? "an ISO-8601 instant" : "a whole number";
            case BOOLEAN -> "true or false";
            default -> "a " + schema.getType().getName();
        };
    }
}
