package dev.parley.schemas;

import java.util.LinkedHashSet;
import java.util.Set;
import org.apache.avro.Schema;
import org.apache.avro.util.ClassSecurityValidator;

/**
 * Avro as Parley needs it, set up once per JVM before any record is made or read.
 *
 * <p>Trusted classes: since 1.11.4 Avro refuses to load classes named by a schema unless they are trusted,
 * which guards against schemas naming arbitrary classes; we trust exactly the named types of our own schemas.
 * Generated builders need this too (they build enum and record defaults). Decoding limits: see
 * {@link AvroLimits}; Avro reads them on its first decode, which may come from a builder's defaults.
 * So every entry point that makes or reads Parley records calls {@link #ensure()} first: the serde, the
 * JSON mapper, the fold.
 */
public final class AvroSetup {

    private static final Set<String> TRUSTED = collect(
            Development.getClassSchema(), NegotiationStatus.getClassSchema(), StatusChange.getClassSchema(), StoredItem.getClassSchema(),
            StoredView.getClassSchema());

    static {
        AvroLimits.ensureApplied();
        ClassSecurityValidator.Builder builder = ClassSecurityValidator.builder();
        TRUSTED.forEach(builder::add);
        ClassSecurityValidator.setGlobal(ClassSecurityValidator.composite(ClassSecurityValidator.getGlobal(), builder.build()));
    }

    private AvroSetup() {
    }

    /** Makes sure Avro is set up; cheap after the first call. */
    public static void ensure() {
        // The static initialiser does the work exactly once.
    }

    private static Set<String> collect(Schema... schemas) {
        Set<String> names = new LinkedHashSet<>();
        for (Schema schema : schemas) {
            collect(schema, names);
        }
        return names;
    }

    private static void collect(Schema schema, Set<String> names) {
        switch (schema.getType()) {
            case RECORD -> {
                if (names.add(schema.getFullName())) {
                    schema.getFields().forEach(field -> collect(field.schema(), names));
                }
            }
            case ENUM, FIXED -> names.add(schema.getFullName());
            case ARRAY -> collect(schema.getElementType(), names);
            case MAP -> collect(schema.getValueType(), names);
            case UNION -> schema.getTypes().forEach(type -> collect(type, names));
            default -> {
                // primitives name no class
            }
        }
    }
}
