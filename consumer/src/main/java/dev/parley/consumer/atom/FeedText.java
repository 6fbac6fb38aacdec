package dev.parley.consumer.atom;

import com.fasterxml.jackson.databind.JsonNode;
import dev.parley.schemas.Change;
import dev.parley.schemas.json.AvroJson;
import java.io.IOException;
import java.util.Locale;

/**
 * A change of the view in words a feed reader shows: its heading, what was reported, its sources. Items reach the
 * feed as the JSON of the view's items, whose shape differs by list; this reads what they have in common (a
 * {@code summary}, {@code sources}) and, for a group of statements, its latest.
 */
final class FeedText {

    private FeedText() {
    }

    /** {@code Meeting held: moscow witkoff kushner putin}, {@code Phase changed: direct talks}. */
    static String heading(Change change) {
        JsonNode item = json(change.getAfter() != null ? change.getAfter() : change.getBefore());
        String name = switch (change.getItem()) {
            case "phase" -> words(item.path("phase").asText("phase"));
            case "decision" -> words(item.path("decision").asText("decision"));
            default -> words(change.getItem().substring(change.getItem().indexOf(':') + 1).replaceFirst("^said:", ""));
        };
        String kind = words(change.getKind().name());
        return Character.toUpperCase(kind.charAt(0)) + kind.substring(1) + ": " + name;
    }

    /** The change as HTML; everything from developments escaped. */
    static String html(Change change) {
        JsonNode item = json(change.getAfter() != null ? change.getAfter() : change.getBefore());
        JsonNode reported = latestReported(item);
        var html = new StringBuilder("<h3>").append(escape(heading(change))).append("</h3>");
        if (change.getAfter() == null) {
            html.append("<p>No longer in the view.</p>");
        }
        if (reported.path("summary").isTextual()) {
            html.append("<p>").append(escape(reported.path("summary").asText())).append("</p>");
        }
        JsonNode sources = reported.path("sources");
        if (sources.isArray() && !sources.isEmpty()) {
            html.append("<p>Sources: ");
            for (int i = 0; i < sources.size(); i++) {
                html.append(i == 0 ? "" : "; ").append(source(sources.get(i)));
            }
            html.append("</p>");
        }
        return html.toString();
    }

    /** The item itself when it has a summary; for a group (statements), its latest reported member. */
    private static JsonNode latestReported(JsonNode item) {
        if (item.path("summary").isTextual()) {
            return item;
        }
        JsonNode latest = item;
        for (JsonNode field : item) {
            if (field.isArray()) {
                for (JsonNode member : field) {
                    if (member.path("summary").isTextual() && (latest == item
                            || member.path("reported_at").asText().compareTo(latest.path("reported_at").asText()) > 0)) {
                        latest = member;
                    }
                }
            }
        }
        return latest;
    }

    /** The outlet, a link when the source has a web address, and the citation. */
    private static String source(JsonNode source) {
        String outlet = escape(source.path("outlet").asText("source"));
        String url = source.path("url").asText("");
        String named = url.startsWith("https://") || url.startsWith("http://") ? "<a href=\"" + escape(url) + "\">" + outlet + "</a>" : outlet;
        return source.path("citation").isTextual() ? named + " (" + escape(source.path("citation").asText()) + ")" : named;
    }

    private static String words(String slug) {
        return slug.toLowerCase(Locale.ROOT).equals(slug) || slug.contains(":") || slug.contains("/")
                ? slug.replace(':', ' ').replace('/', ' ').replace('-', ' ').replaceAll(" +", " ").trim()
                : slug.toLowerCase(Locale.ROOT).replace('_', ' ');
    }

    static String escape(String text) {
        return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;").replace("'", "&#39;");
    }

    private static JsonNode json(String text) {
        if (text == null) {
            return AvroJson.MAPPER.createObjectNode();
        }
        try {
            return AvroJson.MAPPER.readTree(text);
        } catch (IOException notJson) {
            return AvroJson.MAPPER.createObjectNode().put("summary", text);
        }
    }
}
