package dev.parley.producer;

import dev.parley.schemas.json.FieldError;

/** One error in an input file: where it is and what is wrong with which field. */
public record InputError(String source, int line, FieldError error) {

    /** Reads as {@code samples/x.ndjson:3: occurred_on.start: "2025-13-02" is not a date (expected YYYY-MM-DD)}. */
    public String message() {
        return source + ":" + line + ": " + error.message();
    }
}
