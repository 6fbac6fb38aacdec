package dev.parley.producer;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.node.TextNode;
import com.fasterxml.jackson.dataformat.csv.CsvMapper;
import com.fasterxml.jackson.dataformat.csv.CsvSchema;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.parley.schemas.Development;
import dev.parley.schemas.json.AvroJson;
import dev.parley.schemas.json.FieldError;
import dev.parley.schemas.json.InvalidRecordException;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.Reader;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.UnaryOperator;

/**
 * Reads developments from NDJSON, JSON, YAML or CSV and checks every one, collecting every error with its line
 * rather than stopping at the first. The same development (id and revision) twice in one input is kept once.
 */
public final class DevelopmentReader {

    private final DevelopmentValidator validator;

    public DevelopmentReader(DevelopmentValidator validator) {
        this.validator = validator;
    }

    /**
     * What an input held: the valid developments in input order (each once), every error found, how many
     * records had errors, and how many repeated an earlier record of the same input.
     */
    public record Result(List<Development> developments, List<InputError> errors, int rejected, int duplicates) {
        public boolean isValid() {
            return errors.isEmpty();
        }
    }

    /** Reads newline-delimited JSON. */
    public Result read(Reader input, String source) throws IOException {
        return read(input, source, InputFormat.NDJSON);
    }

    public Result read(Reader input, String source, InputFormat format) throws IOException {
        var collector = new Collector(source);
        switch (format) {
            case NDJSON -> readLines(input, collector);
            case JSON -> readDocuments(new JsonFactory().createParser(input), collector, "JSON");
            case YAML -> readDocuments(new YAMLFactory().createParser(input), collector, "YAML");
            case CSV -> readCsv(input, collector);
        }
        return collector.result();
    }

    private void readLines(Reader input, Collector collector) throws IOException {
        var lines = new BufferedReader(input);
        int lineNumber = 0;
        for (String line; (line = lines.readLine()) != null; ) {
            lineNumber++;
            if (line.isBlank()) {
                continue;
            }
            try {
                collector.accept(lineNumber, AvroJson.ONE_VALUE.readTree(line), UnaryOperator.identity());
            } catch (JsonProcessingException e) {
                collector.reject(lineNumber, List.of(new FieldError("line", abbreviate(line), "a JSON object (" + AvroJson.problem(e) + ")")));
            }
        }
    }

    /** A JSON or YAML input: one object, a list of objects, or (YAML) several documents. */
    private void readDocuments(JsonParser parser, Collector collector, String language) throws IOException {
        parser.setCodec(AvroJson.MAPPER);
        try (parser) {
            for (JsonToken token = parser.nextToken(); token != null; token = parser.nextToken()) {
                if (token == JsonToken.START_ARRAY) {
                    continue; // the list's items follow
                }
                if (token == JsonToken.END_ARRAY) {
                    continue;
                }
                int line = parser.currentTokenLocation().getLineNr();
                JsonNode item = parser.readValueAsTree();
                if (item != null && item.isObject()) {
                    collector.accept(line, item, UnaryOperator.identity());
                } else {
                    collector.reject(line, List.of(new FieldError("record", String.valueOf(item), "an object with the fields of a development")));
                }
            }
        } catch (JsonProcessingException e) {
            collector.reject(lineOf(e, parser),
                    List.of(new FieldError("input", "(unreadable)", "valid " + language + " (" + e.getOriginalMessage() + ")")));
        }
    }

    private void readCsv(Reader input, Collector collector) throws IOException {
        ObjectReader csv = new CsvMapper().readerForMapOf(String.class).with(CsvSchema.emptySchema().withHeader());
        JsonParser parser = csv.createParser(input); // the reader's own parser, with the schema: kept to say where an error is
        try (MappingIterator<Map<String, String>> rows = csv.readValues(parser)) {
            List<String> header = new ArrayList<>();
            if (rows.getParser().getSchema() instanceof CsvSchema schema) {
                schema.forEach(column -> header.add(column.getName()));
            }
            while (rows.hasNextValue()) {
                Map<String, String> row = rows.nextValue();
                if (header.isEmpty() && rows.getParser().getSchema() instanceof CsvSchema schema) {
                    schema.forEach(column -> header.add(column.getName()));
                }
                int line = rows.getParser().currentTokenLocation().getLineNr();
                List<FieldError> cellErrors = new ArrayList<>();
                for (String column : row.keySet()) {
                    if (!CsvColumns.COLUMNS.contains(column)) {
                        cellErrors.add(new FieldError(column, "(header)", "a known column (expected some of " + CsvColumns.COLUMNS + ")"));
                    }
                }
                var json = CsvColumns.toJson(row, cellErrors);
                UnaryOperator<FieldError> toColumn = e -> new FieldError(CsvColumns.column(e.field(), header), e.value(), e.expected());
                collector.accept(line, json, toColumn, cellErrors);
            }
        } catch (JsonProcessingException e) {
            collector.reject(lineOf(e, parser),
                    List.of(new FieldError("input", "(unreadable)", "valid CSV (" + e.getOriginalMessage() + ")")));
        } finally {
            parser.close();
        }
    }

    /**
     * Where a parse error is, from line 1: a limit's error (nesting depth, number or name length) carries no
     * location of its own, so the parser's position stands for it.
     */
    private static int lineOf(JsonProcessingException e, JsonParser parser) {
        var location = e.getLocation() != null ? e.getLocation() : parser.currentLocation();
        return Math.max(1, location.getLineNr());
    }

    /** Turns records into developments or errors, and keeps the counts. */
    private final class Collector {
        private final String source;
        private final List<Development> developments = new ArrayList<>();
        private final List<InputError> errors = new ArrayList<>();
        private final Set<String> seen = new HashSet<>();
        private int rejected;
        private int duplicates;

        Collector(String source) {
            this.source = source;
        }

        void accept(int line, JsonNode json, UnaryOperator<FieldError> located) {
            accept(line, json, located, List.of());
        }

        /** As above, with errors already found in the record's raw form (e.g. a malformed CSV cell) reported too. */
        void accept(int line, JsonNode json, UnaryOperator<FieldError> located, List<FieldError> earlier) {
            List<FieldError> found = new ArrayList<>(earlier);
            try {
                Development development = AvroJson.fromJson(json, Development.class);
                found.addAll(validator.validate(development));
                if (!found.isEmpty()) {
                    reject(line, found.stream().map(located).toList());
                } else if (!seen.add(development.getNegotiationId() + "/" + development.getDevelopmentId() + "/" + development.getRevision())) {
                    duplicates++;
                } else {
                    developments.add(development);
                }
            } catch (InvalidRecordException e) {
                found.addAll(e.errors());
                reject(line, found.stream().map(located).toList());
            }
        }

        void reject(int line, List<FieldError> problems) {
            rejected++;
            problems.forEach(problem -> errors.add(new InputError(source, line, problem)));
        }

        Result result() {
            return new Result(List.copyOf(developments), List.copyOf(errors), rejected, duplicates);
        }
    }

    private static String abbreviate(String line) {
        // As a JSON string, so quotes inside the line stay readable.
        return TextNode.valueOf(line.length() <= 60 ? line : line.substring(0, 57) + "...").toString();
    }
}
