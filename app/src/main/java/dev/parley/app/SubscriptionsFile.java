package dev.parley.app;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.parley.consumer.ChangeFilter;
import dev.parley.consumer.RetryPolicy;
import dev.parley.consumer.Subscription;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Set;

/**
 * The subscriptions an operator declares in a YAML file: for each, a name, a sink and optionally the
 * negotiations and kinds of change wanted and a webhook secret.
 *
 * <pre>
 * subscriptions:
 *   - name: newsroom-db
 *     sink: jdbc:postgresql://db:5432/parley?user=parley
 *   - name: partner-hook
 *     sink: https://partner.example/hooks/parley
 *     secret: whsec_...
 *     negotiations: [ukraine-peace-2025]
 *     kinds: [PHASE_CHANGED, MEETING_HELD, DECISION_ANNOUNCED]
 * </pre>
 */
final class SubscriptionsFile {

    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
    private static final Set<String> FIELDS = Set.of("name", "sink", "secret", "negotiations", "kinds");

    /** One declared subscription, before its sink is opened. */
    record Declared(String name, String sink, String secret, ChangeFilter filter) {
    }

    private SubscriptionsFile() {
    }

    /** The subscriptions in {@code file}, none when it does not exist. */
    static List<Declared> read(Path file) throws IOException {
        if (!Files.exists(file)) {
            return List.of();
        }
        JsonNode root;
        try {
            root = YAML.readTree(file.toFile());
        } catch (IOException e) {
            throw new IllegalArgumentException(file + ": not YAML (" + e.getMessage().lines().findFirst().orElse("") + ")");
        }
        return parse(file.toString(), root);
    }

    static List<Declared> parse(String where, JsonNode root) {
        JsonNode list = root == null ? null : root.get("subscriptions");
        if (list == null || !list.isArray()) {
            throw new IllegalArgumentException(where + ": subscriptions: missing (expected a list under \"subscriptions:\")");
        }
        List<Declared> declared = new ArrayList<>();
        Set<String> names = new HashSet<>();
        for (int i = 0; i < list.size(); i++) {
            String at = where + ": subscriptions[" + i + "]";
            JsonNode entry = list.get(i);
            if (!entry.isObject()) {
                throw new IllegalArgumentException(at + ": " + entry + " is not a subscription (expected name: and sink:)");
            }
            for (Iterator<String> fields = entry.fieldNames(); fields.hasNext(); ) {
                String field = fields.next();
                if (!FIELDS.contains(field)) {
                    throw new IllegalArgumentException(at + "." + field + ": not a field of a subscription (expected one of " + new java.util.TreeSet<>(FIELDS) + ")");
                }
            }
            String name = text(entry, "name", at);
            if (!names.add(name)) {
                throw new IllegalArgumentException(at + ".name: \"" + name + "\" is declared twice (expected each name once)");
            }
            String sink = text(entry, "sink", at);
            JsonNode secret = entry.get("secret");
            try {
                declared.add(new Declared(name, sink, secret == null ? null : secret.asText(),
                        ChangeFilter.of(strings(entry, "negotiations", at), strings(entry, "kinds", at))));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(at + "." + e.getMessage(), e);
            }
        }
        return declared;
    }

    /**
     * What {@code parley up} delivers to: the embedded default's sinks (the database, the JSON lines file, the Atom
     * feeds), then the subscriptions file's; a declared subscription with a built-in one's name replaces it.
     */
    static List<Declared> ofUp(AppSettings settings) throws IOException {
        List<Declared> declared = read(settings.subscriptionsFile());
        Set<String> names = new HashSet<>();
        declared.forEach(each -> names.add(each.name()));
        List<Declared> all = new ArrayList<>();
        for (Declared builtIn : List.of(
                new Declared("database", settings.databaseUrl(), null, ChangeFilter.ALL),
                new Declared("jsonl", "file:" + settings.changesFile(), null, ChangeFilter.ALL),
                new Declared("atom", "atom:" + settings.feedsFolder(), null, ChangeFilter.ALL))) {
            if (!names.contains(builtIn.name())) {
                all.add(builtIn);
            }
        }
        all.addAll(declared);
        return all;
    }

    /** Opens the declared subscription's sink: its own secret, else PARLEY_WEBHOOK_SECRET, signs its webhooks. */
    static Subscription open(Declared declared, AppSettings settings) throws IOException {
        String secret = declared.secret() != null ? declared.secret() : settings.webhookSecret();
        return new Subscription(declared.name(), Sinks.parse(declared.sink(), declared.name(), secret, settings), declared.filter(),
                RetryPolicy.DEFAULT);
    }

    private static String text(JsonNode entry, String field, String at) {
        JsonNode value = entry.get(field);
        if (value == null || !value.isTextual() || value.asText().isBlank()) {
            throw new IllegalArgumentException(at + "." + field + ": " + (value == null ? "missing" : value + " is not text")
                    + " (expected e.g. " + (field.equals("name") ? "newsroom-db" : "jdbc:sqlite:parley.db") + ")");
        }
        return value.asText().trim();
    }

    private static List<String> strings(JsonNode entry, String field, String at) {
        JsonNode value = entry.get(field);
        if (value == null) {
            return List.of();
        }
        if (!value.isArray()) {
            throw new IllegalArgumentException(at + "." + field + ": " + value + " is not a list (expected e.g. [a, b])");
        }
        List<String> strings = new ArrayList<>();
        value.forEach(item -> strings.add(item.asText()));
        return strings;
    }
}
