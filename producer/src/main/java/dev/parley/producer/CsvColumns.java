package dev.parley.producer;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.parley.schemas.json.FieldError;
import java.util.List;
import java.util.Map;

/**
 * The CSV columns of a development and how a row becomes the same plain JSON the other formats use.
 * Lists sit in one cell, entries separated by {@code ;} and parts by {@code |}:
 * actors {@code Name|ROLE|PARTY}, quotes {@code text|speaker}, claims {@code claim|claimant|STANCE},
 * sources {@code outlet|url|citation|language} (empty parts allowed), issues {@code key;key}.
 */
final class CsvColumns {

    static final List<String> COLUMNS = List.of("development_id", "negotiation_id", "revision", "operation", "supersedes",
            "occurred_on", "precision", "occurrence", "reported_at", "type", "subject", "summary", "language", "place",
            "issues", "actors", "quotes", "claims", "sources", "phase", "decision", "binding", "sticking_point");

    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    private static final Map<String, List<String>> PARTS = Map.of(
            "actors", List.of("name", "role", "party"),
            "quotes", List.of("text", "speaker"),
            "claims", List.of("claim", "claimant", "stance"),
            "sources", List.of("outlet", "url", "citation", "language"));

    private CsvColumns() {
    }

    /** The row as plain JSON; a malformed list cell is reported in {@code errors} and left out. */
    static ObjectNode toJson(Map<String, String> row, List<FieldError> errors) {
        ObjectNode json = NODES.objectNode();
        row.forEach((column, raw) -> {
            String value = raw == null ? "" : raw.trim();
            if (value.isEmpty() || column.equals("precision")) {
                return; // an empty cell takes the field's default
            }
            switch (column) {
                case "revision" -> json.set(column, value.matches("-?\\d{1,9}") ? NODES.numberNode(Integer.parseInt(value)) : NODES.textNode(value));
                case "binding", "sticking_point" -> json.set(column, value.equalsIgnoreCase("true") || value.equalsIgnoreCase("false")
                        ? NODES.booleanNode(Boolean.parseBoolean(value.toLowerCase())) : NODES.textNode(value));
                case "occurred_on" -> {
                    String precision = row.getOrDefault("precision", "");
                    json.set(column, NODES.objectNode().put("start", value).put("precision", precision == null || precision.isBlank() ? "DAY" : precision.trim()));
                }
                case "issues" -> {
                    ArrayNode issues = json.putArray(column);
                    for (String issue : value.split(";")) {
                        if (!issue.isBlank()) {
                            issues.add(issue.trim());
                        }
                    }
                }
                case "actors", "quotes", "claims", "sources" -> json.set(column, list(column, value, errors));
                default -> json.put(column, value);
            }
        });
        return json;
    }

    private static ArrayNode list(String column, String value, List<FieldError> errors) {
        List<String> parts = PARTS.get(column);
        ArrayNode entries = NODES.arrayNode();
        for (String entry : value.split(";")) {
            if (entry.isBlank()) {
                continue;
            }
            String[] cells = entry.split("\\|", -1);
            if (cells.length != parts.size()) {
                errors.add(new FieldError(column, '"' + entry.trim() + '"',
                        "an entry of " + parts.size() + " parts (expected " + String.join("|", parts) + ", entries separated by ;)"));
                continue;
            }
            ObjectNode item = entries.addObject();
            for (int i = 0; i < cells.length; i++) {
                String cell = cells[i].trim();
                if (!cell.isEmpty()) {
                    item.put(parts.get(i), cell);
                } else if (column.equals("sources") && (i == 1 || i == 2)) {
                    item.putNull(parts.get(i));
                }
            }
        }
        return entries;
    }

    /** The CSV column a JSON field path comes from, as users see it: {@code occurred_on (column 6)}. */
    static String column(String fieldPath, List<String> header) {
        String first = fieldPath.split("[.\\[]", 2)[0];
        if (fieldPath.equals("occurred_on.precision")) {
            first = "precision";
        }
        int index = header.indexOf(first);
        return index < 0 ? fieldPath : first + " (column " + (index + 1) + ")";
    }
}
