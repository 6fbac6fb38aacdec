package dev.parley.schemas;

/**
 * Bounds on what a record read from a topic may claim: a hostile or corrupt length prefix must fail fast with
 * an error, not allocate gigabytes. Avro reads these system properties once, on its first decode, so they are
 * set before any Parley serde exists; a value given on the command line (-D...) wins.
 */
public final class AvroLimits {

    /** Longest string: a development's summary is a paragraph, not a book. */
    public static final int MAX_STRING_BYTES = 1 << 20;
    public static final int MAX_BYTES = 1 << 20;
    /** Most items in one array or map (actors, quotes, sources, lineage...). */
    public static final int MAX_COLLECTION_ITEMS = 10_000;
    /**
     * Largest development, encoded: the producer refuses a larger one and the topology sends it to the dead letters,
     * so that the items showing a development (a group shows three statements) and the changes carrying them stay
     * far below Kafka's 1 MiB a record.
     */
    public static final int MAX_DEVELOPMENT_BYTES = 64 * 1024;

    static {
        setIfAbsent("org.apache.avro.limits.string.maxLength", MAX_STRING_BYTES);
        setIfAbsent("org.apache.avro.limits.bytes.maxLength", MAX_BYTES);
        setIfAbsent("org.apache.avro.limits.collectionItems.maxLength", MAX_COLLECTION_ITEMS);
    }

    private AvroLimits() {
    }

    /** Makes sure the limits are set; cheap after the first call. */
    static void ensureApplied() {
        // The static initialiser does the work exactly once.
    }

    private static void setIfAbsent(String property, int value) {
        if (System.getProperty(property) == null) {
            System.setProperty(property, String.valueOf(value));
        }
    }
}
