package dev.parley.streams;

import dev.parley.schemas.NegotiationStatus;
import dev.parley.schemas.StatementState;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import org.apache.avro.Schema;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.Encoder;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificDatumWriter;

/**
 * Avro's writer for the view, reusing the bytes of each item (a meeting, a group of statements, a claim...) that the
 * view shares with the last one written for its negotiation. A busy negotiation's view runs to tens of kilobytes and
 * is published at every commit while a few of its items change: encoding it was a fifth of the stream thread's CPU.
 *
 * <p>The bytes are Avro's own: an item is a record, and a record's encoding is its fields' encodings one after the
 * other, whatever surrounds it, so its bytes can be written again as they are. Sound because a fold step never
 * changes an item in place ({@link ViewList#show} puts new items in new lists), so the same instance always has the
 * same bytes. The bytes are kept per thread, for the {@value #NEGOTIATIONS} negotiations written last.
 *
 * <p>The statements in a group are reused the same way, by instance, for the {@value #STATEMENTS} written last: a
 * group's latest 20 change by one at each new statement, and the fold makes each development's statement once.
 */
final class ViewWriter extends SpecificDatumWriter<NegotiationStatus> {

    static final int NEGOTIATIONS = 256;
    static final int STATEMENTS = 4_096;
    private static final String STATEMENT = StatementState.getClassSchema().getFullName();

    private final Set<String> itemTypes;
    private final ThreadLocal<Items> items = ThreadLocal.withInitial(() -> new Items(this::encodeStatement));

    ViewWriter() {
        super(NegotiationStatus.getClassSchema(), SpecificData.getForClass(NegotiationStatus.class));
        this.itemTypes = itemTypes(NegotiationStatus.getClassSchema());
    }

    /** The records a view's fields hold directly, alone, in a list or as an option: its items. */
    private static Set<String> itemTypes(Schema view) {
        Set<String> types = new HashSet<>();
        for (Schema.Field field : view.getFields()) {
            Schema type = field.schema();
            for (Schema option : type.getType() == Schema.Type.UNION ? type.getTypes() : List.of(type)) {
                Schema element = option.getType() == Schema.Type.ARRAY ? option.getElementType() : option;
                if (element.getType() == Schema.Type.RECORD) {
                    types.add(element.getFullName());
                }
            }
        }
        return types;
    }

    @Override
    public void write(NegotiationStatus view, Encoder out) throws IOException {
        Items written = items.get();
        written.begin(view.getNegotiationId());
        boolean complete = false;
        try {
            super.write(view, out);
            complete = true;
        } finally {
            written.end(complete);
        }
    }

    @Override
    protected void writeRecord(Schema schema, Object datum, Encoder out) throws IOException {
        if (schema.getFullName().equals(STATEMENT)) {
            out.writeFixed(items.get().statements.apply(datum));
            return;
        }
        if (!itemTypes.contains(schema.getFullName())) { // most records: an item's parts
            super.writeRecord(schema, datum, out);
            return;
        }
        Items written = items.get();
        if (!written.inView() || written.inItem) {
            super.writeRecord(schema, datum, out);
            return;
        }
        byte[] bytes = written.previous.get(datum);
        if (bytes == null) {
            written.inItem = true;
            try {
                written.buffer.reset();
                written.encoder = EncoderFactory.get().binaryEncoder(written.buffer, written.encoder);
                super.writeRecord(schema, datum, written.encoder);
                written.encoder.flush();
                bytes = written.buffer.toByteArray();
            } finally {
                written.inItem = false;
            }
        }
        written.current.put(datum, bytes);
        out.writeFixed(bytes); // the bytes as they are, no length before them
    }

    private byte[] encodeStatement(Object statement) {
        Items written = items.get();
        try {
            written.statementBuffer.reset();
            written.statementEncoder = EncoderFactory.get().binaryEncoder(written.statementBuffer, written.statementEncoder);
            super.writeRecord(StatementState.getClassSchema(), statement, written.statementEncoder);
            written.statementEncoder.flush();
            return written.statementBuffer.toByteArray();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e); // writing to memory does not fail
        }
    }

    /** One thread's items' bytes: the last view's of each recent negotiation, and those of the view being written. */
    private static final class Items {
        private static final Map<Object, byte[]> EMPTY = Map.of();
        private final Map<String, Map<Object, byte[]>> byNegotiation = new LinkedHashMap<>(64, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, Map<Object, byte[]>> eldest) {
                return size() > NEGOTIATIONS;
            }
        };
        private final ByteArrayOutputStream buffer = new ByteArrayOutputStream(1024);
        private BinaryEncoder encoder;
        private final RecentByIdentity<Object, byte[]> statements;
        private final ByteArrayOutputStream statementBuffer = new ByteArrayOutputStream(256);
        private BinaryEncoder statementEncoder;
        private String negotiation;
        private Map<Object, byte[]> previous;
        private IdentityHashMap<Object, byte[]> current;
        private boolean inItem;

        Items(Function<Object, byte[]> encodeStatement) {
            this.statements = new RecentByIdentity<>(STATEMENTS, encodeStatement);
        }

        void begin(String negotiationId) {
            negotiation = negotiationId;
            previous = byNegotiation.getOrDefault(negotiationId, EMPTY);
            current = new IdentityHashMap<>();
        }

        boolean inView() {
            return current != null;
        }

        /** Keeps the view's items for the next one, unless writing it failed half-way. */
        void end(boolean complete) {
            if (complete) {
                byNegotiation.put(negotiation, current);
            }
            negotiation = null;
            previous = null;
            current = null;
        }
    }
}
