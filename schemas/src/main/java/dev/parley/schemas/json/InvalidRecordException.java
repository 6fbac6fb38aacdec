package dev.parley.schemas.json;

import java.util.List;
import java.util.stream.Collectors;

/** An input record that does not fit its schema, with every field error found (not only the first). */
public final class InvalidRecordException extends RuntimeException {

    private final transient List<FieldError> errors;

    public InvalidRecordException(List<FieldError> errors) {
        super(errors.stream().map(FieldError::message).collect(Collectors.joining("; ")));
        this.errors = List.copyOf(errors);
    }

    public List<FieldError> errors() {
        return errors;
    }
}
