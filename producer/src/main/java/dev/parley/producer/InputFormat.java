package dev.parley.producer;

import java.util.Locale;
import java.util.Optional;

/** The file formats developments can be fed in; every one maps onto the fields of {@code Development.avsc}. */
public enum InputFormat {
    /** One JSON object per line ({@code .ndjson}, {@code .jsonl}). */
    NDJSON,
    /** A JSON array of objects, or one object ({@code .json}). */
    JSON,
    /** A YAML list of mappings, or several documents ({@code .yaml}, {@code .yml}). */
    YAML,
    /** A header row and one development per row; see {@link CsvColumns} ({@code .csv}). */
    CSV;

    /** The format a file name says, if it says one. */
    public static Optional<InputFormat> fromFileName(String name) {
        String lower = name.toLowerCase(Locale.ROOT);
        if (lower.endsWith(".ndjson") || lower.endsWith(".jsonl")) {
            return Optional.of(NDJSON);
        }
        if (lower.endsWith(".json")) {
            return Optional.of(JSON);
        }
        if (lower.endsWith(".yaml") || lower.endsWith(".yml")) {
            return Optional.of(YAML);
        }
        if (lower.endsWith(".csv")) {
            return Optional.of(CSV);
        }
        return Optional.empty();
    }
}
