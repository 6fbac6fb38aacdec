package dev.parley.schemas.json;

/**
 * One thing wrong with one field of an input record: which field, the value found and what was expected.
 *
 * @param field    dotted path of the field, e.g. {@code occurred_on.start} or {@code actors[1].role}
 * @param value    the value as it appeared in the input (JSON text), or null when the field is missing
 * @param expected what the field must hold, e.g. {@code a date (expected YYYY-MM-DD)}
 */
public record FieldError(String field, String value, String expected) {

    /** Reads as {@code occurred_on.start: "2025-13-02" is not a date (expected YYYY-MM-DD)}. */
    public String message() {
        return value == null
                ? field + ": missing (expected " + expected + ")"
                : field + ": " + value + " is not " + expected;
    }

    @Override
    public String toString() {
        return message();
    }
}
