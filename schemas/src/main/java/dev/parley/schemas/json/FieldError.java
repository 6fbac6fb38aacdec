package dev.parley.schemas.json;

/**
 * One thing wrong with one field of an input record: which field, the value found and what was expected.
 * A person reads it, so a long value is shown by its start and its length: a 1 MB value is not echoed back.
 *
 * @param field    dotted path of the field, e.g. {@code occurred_on.start} or {@code actors[1].role}
 * @param value    the value as it appeared in the input (JSON text), or null when the field is missing
 * @param expected what the field must hold, e.g. {@code a date (expected YYYY-MM-DD)}
 */
public record FieldError(String field, String value, String expected) {

    /** Longest field path or value shown whole; the expectation may be twice as long. */
    public static final int MAX_SHOWN_CHARS = 200;

    public FieldError {
        field = abbreviate(field, MAX_SHOWN_CHARS);
        value = abbreviate(value, MAX_SHOWN_CHARS);
        expected = abbreviate(expected, 2 * MAX_SHOWN_CHARS);
    }

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

    /** The start of a long text and how long it was: {@code "aaaa… (1000002 characters)}. */
    private static String abbreviate(String text, int max) {
        if (text == null || text.length() <= max) {
            return text;
        }
        int end = max - 30;
        if (Character.isHighSurrogate(text.charAt(end - 1))) {
            end--; // never split a character in two
        }
        return text.substring(0, end) + "… (" + text.length() + " characters)";
    }
}
