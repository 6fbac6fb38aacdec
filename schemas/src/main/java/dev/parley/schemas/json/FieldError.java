package dev.parley.schemas.json;

/**
 * One thing wrong with one field of an input record: which field, the value found and what was expected.
 * A person reads it, so a long value is shown by its start and its length (a 1 MB value is not echoed back),
 * and it stays on one line: a control character or line break in it is shown as {@code \u000A}, so an input
 * cannot end an error line in a terminal or a rejects file and forge another.
 *
 * @param field    dotted path of the field, e.g. {@code occurred_on.start} or {@code actors[1].role}
 * @param value    the value as it appeared in the input (JSON text), or null when the field is missing
 * @param expected what the field must hold, e.g. {@code a date (expected YYYY-MM-DD)}
 */
public record FieldError(String field, String value, String expected) {

    /** Longest field path or value shown whole; the expectation may be twice as long. */
    public static final int MAX_SHOWN_CHARS = 200;

    public FieldError {
        field = oneLine(abbreviate(field, MAX_SHOWN_CHARS));
        value = oneLine(abbreviate(value, MAX_SHOWN_CHARS));
        expected = oneLine(abbreviate(expected, 2 * MAX_SHOWN_CHARS));
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

    private static String oneLine(String text) {
        if (text == null || text.chars().noneMatch(FieldError::breaksLines)) {
            return text;
        }
        StringBuilder escaped = new StringBuilder(text.length() + 16);
        text.chars().forEach(c -> {
            if (breaksLines(c)) {
                escaped.append(String.format("\\u%04X", c));
            } else {
                escaped.append((char) c);
            }
        });
        return escaped.toString();
    }

    private static boolean breaksLines(int c) {
        return c < 0x20 || c >= 0x7F && c <= 0x9F || c == 0x2028 || c == 0x2029;
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
