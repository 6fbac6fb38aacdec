package dev.parley.producer;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.TextNode;
import dev.parley.schemas.Development;
import dev.parley.schemas.json.AvroJson;
import dev.parley.schemas.json.FieldError;
import dev.parley.schemas.json.InvalidRecordException;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.Reader;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads newline-delimited JSON developments (one object per line, fields as in {@code Development.avsc})
 * and checks each one, collecting every error with its line rather than stopping at the first.
 */
public final class DevelopmentReader {

    private final DevelopmentValidator validator;

    public DevelopmentReader(DevelopmentValidator validator) {
        this.validator = validator;
    }

    /** What a file held: the valid developments in file order, and every error found. */
    public record Result(List<Development> developments, List<InputError> errors) {
        public boolean isValid() {
            return errors.isEmpty();
        }
    }

    public Result read(Reader input, String source) throws IOException {
        List<Development> developments = new ArrayList<>();
        List<InputError> errors = new ArrayList<>();
        var lines = new BufferedReader(input);
        int lineNumber = 0;
        for (String line; (line = lines.readLine()) != null; ) {
            lineNumber++;
            if (line.isBlank()) {
                continue;
            }
            int at = lineNumber;
            try {
                JsonNode json = AvroJson.MAPPER.readTree(line);
                Development development = AvroJson.fromJson(json, Development.class);
                List<FieldError> problems = validator.validate(development);
                if (problems.isEmpty()) {
                    developments.add(development);
                } else {
                    problems.forEach(problem -> errors.add(new InputError(source, at, problem)));
                }
            } catch (JsonProcessingException e) {
                errors.add(new InputError(source, at, new FieldError("line", abbreviate(line),
                        "a JSON object (" + e.getOriginalMessage() + ")")));
            } catch (InvalidRecordException e) {
                e.errors().forEach(problem -> errors.add(new InputError(source, at, problem)));
            }
        }
        return new Result(developments, errors);
    }

    private static String abbreviate(String line) {
        // As a JSON string, so quotes inside the line stay readable.
        return TextNode.valueOf(line.length() <= 60 ? line : line.substring(0, 57) + "...").toString();
    }
}
