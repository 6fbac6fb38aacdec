package dev.parley.producer;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.TextNode;
import dev.parley.schemas.AvroLimits;
import dev.parley.schemas.Actor;
import dev.parley.schemas.AvroSerde;
import dev.parley.schemas.Development;
import dev.parley.schemas.Operation;
import dev.parley.schemas.Topics;
import dev.parley.schemas.json.AvroJson;
import dev.parley.schemas.json.FieldError;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.IllformedLocaleException;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.apache.kafka.common.errors.SerializationException;

/** The rules a development must keep beyond its schema, so nothing silently wrong reaches the log of record. */
public final class DevelopmentValidator {

    /**
     * Most bytes a development may take encoded, some 60 times a long one. Its texts go into the negotiation's view,
     * which the topology writes as one Kafka record, and a Kafka record takes at most about 1 MiB by default
     * ({@code max.request.size}, {@code message.max.bytes}): one development must leave room for everything else in
     * the view, or the view cannot be written and the topology stops.
     */
    public static final int MAX_ENCODED_BYTES = AvroLimits.MAX_DEVELOPMENT_BYTES;

    private static final Pattern ID = Pattern.compile("[a-z0-9][a-z0-9._-]{0,199}");
    /**
     * Kafka 4 brokers reject record timestamps more than an hour ahead (KIP-1030), and producers any before 1970;
     * reported_at is the timestamp.
     */
    private static final Duration MAX_REPORTED_AHEAD = Duration.ofHours(1);
    private static final int SHOWN_ACTORS = 10;

    private final Clock clock;
    private final AvroSerde<Development> serde = AvroSerde.of(Development.class);

    public DevelopmentValidator(Clock clock) {
        this.clock = clock;
    }

    public List<FieldError> validate(Development d) {
        List<FieldError> errors = new ArrayList<>();
        id(errors, "development_id", d.getDevelopmentId());
        id(errors, "negotiation_id", d.getNegotiationId());
        if (d.getRevision() < 1) {
            errors.add(new FieldError("revision", String.valueOf(d.getRevision()), "a revision (expected 1 or more)"));
        }
        if (d.getOperation() != Operation.ASSERT && d.getSupersedes() == null) {
            errors.add(new FieldError("supersedes", "null", "allowed for " + d.getOperation()
                    + " (expected the development_id it " + (d.getOperation() == Operation.CORRECT ? "corrects" : "retracts") + ")"));
        }
        if (d.getOperation() == Operation.ASSERT && d.getSupersedes() != null) {
            errors.add(new FieldError("supersedes", quote(d.getSupersedes()), "allowed for ASSERT (expected null, or operation CORRECT or RETRACT)"));
        }
        if (d.getSupersedes() != null && d.getSupersedes().equals(d.getDevelopmentId())) {
            errors.add(new FieldError("supersedes", quote(d.getSupersedes()), "another development (a development cannot supersede itself)"));
        }
        if (d.getSummary().isBlank()) {
            errors.add(new FieldError("summary", quote(d.getSummary()), "a summary (expected non-blank text)"));
        }
        language(errors, "language", d.getLanguage());
        if (d.getReportedAt().isBefore(Instant.EPOCH)) {
            errors.add(new FieldError("reported_at", quote(d.getReportedAt().toString()),
                    "a time Kafka can stamp a record with (expected 1970-01-01T00:00:00Z or later)"));
        }
        if (d.getReportedAt().isAfter(clock.instant().plus(MAX_REPORTED_AHEAD))) {
            errors.add(new FieldError("reported_at", quote(d.getReportedAt().toString()),
                    "in the past (expected when it was reported, at most an hour ahead of now " + clock.instant() + ")"));
        }
        Set<String> actors = d.getActors().stream().map(Actor::getName).collect(Collectors.toCollection(LinkedHashSet::new));
        for (int i = 0; i < d.getQuotes().size(); i++) {
            String speaker = d.getQuotes().get(i).getSpeaker();
            if (!actors.contains(speaker)) {
                errors.add(new FieldError("quotes[" + i + "].speaker", quote(speaker), oneOf(actors)));
            }
        }
        for (int i = 0; i < d.getClaims().size(); i++) {
            String claimant = d.getClaims().get(i).getClaimant();
            if (!actors.contains(claimant)) {
                errors.add(new FieldError("claims[" + i + "].claimant", quote(claimant), oneOf(actors)));
            }
        }
        for (int i = 0; i < d.getSources().size(); i++) {
            language(errors, "sources[" + i + "].language", d.getSources().get(i).getLanguage());
        }
        size(errors, d);
        return errors;
    }

    /** Over the limit, the error names the longest text, which is what to shorten. */
    private void size(List<FieldError> errors, Development d) {
        int bytes;
        try {
            bytes = serde.serialize(Topics.DEVELOPMENTS, d).length;
        } catch (SerializationException e) {
            errors.add(new FieldError("development", "(not encodable)", "a development Avro can encode (" + e.getMessage() + ")"));
            return;
        }
        if (bytes > MAX_ENCODED_BYTES) {
            Map.Entry<String, String> longest = longestText(AvroJson.toJson(d), "");
            errors.add(new FieldError(longest.getKey(), TextNode.valueOf(longest.getValue()).toString(), "short enough: the development takes "
                    + bytes + " bytes encoded, at most " + MAX_ENCODED_BYTES + " are taken, so that the items and changes showing it "
                    + "stay small"));
        }
    }

    private static Map.Entry<String, String> longestText(JsonNode json, String path) {
        Map.Entry<String, String> longest = Map.entry(path.isEmpty() ? "development" : path, "");
        if (json.isTextual()) {
            return Map.entry(path, json.textValue());
        }
        for (Iterator<Map.Entry<String, JsonNode>> fields = json.fields(); fields.hasNext(); ) {
            var field = fields.next();
            var candidate = longestText(field.getValue(), path.isEmpty() ? field.getKey() : path + "." + field.getKey());
            longest = candidate.getValue().length() > longest.getValue().length() ? candidate : longest;
        }
        if (json.isArray()) {
            for (int i = 0; i < json.size(); i++) {
                var candidate = longestText(json.get(i), path + "[" + i + "]");
                longest = candidate.getValue().length() > longest.getValue().length() ? candidate : longest;
            }
        }
        return longest;
    }

    /** The actors, in their order, or the first few of many: one error per quote must not repeat thousands of names. */
    private static String oneOf(Set<String> actors) {
        if (actors.size() <= SHOWN_ACTORS) {
            return "one of the actors " + actors;
        }
        return "one of the " + actors.size() + " actors " + actors.stream().limit(SHOWN_ACTORS)
                .collect(Collectors.joining(", ", "[", ", …]"));
    }

    private static void id(List<FieldError> errors, String field, String value) {
        if (!ID.matcher(value).matches()) {
            errors.add(new FieldError(field, quote(value), "an id (expected lower-case letters, digits, '.', '_' or '-', at most 200)"));
        }
    }

    private static void language(List<FieldError> errors, String field, String tag) {
        try {
            Locale locale = new Locale.Builder().setLanguageTag(tag).build();
            if (!locale.getLanguage().isEmpty()) {
                return;
            }
        } catch (IllformedLocaleException e) {
            // reported below
        }
        errors.add(new FieldError(field, quote(tag), "a language tag (expected BCP 47, e.g. fr, en-GB, uk)"));
    }

    private static String quote(String value) {
        return '"' + value + '"';
    }
}
