package dev.parley.app;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import dev.parley.producer.DevelopmentValidator;
import dev.parley.schemas.Development;
import dev.parley.schemas.json.AvroJson;
import dev.parley.schemas.json.FieldError;
import dev.parley.schemas.json.InvalidRecordException;
import io.javalin.http.Context;
import io.javalin.http.Handler;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Metrics;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import org.apache.kafka.streams.errors.InvalidStateStoreException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code POST /api/developments}: one development (a JSON object) or a batch (an array), published to the log of
 * record only if every one is valid, at most once each, and answered 202 only once Kafka has acknowledged them all.
 *
 * <p>Checks run cheapest first: rate limit, token, body size, JSON, schema and rules, then Kafka.
 */
final class DevelopmentsEndpoint implements Handler {

    static final String PATH = "/api/developments";
    static final long RETRY_AFTER_KAFKA_SECONDS = 5;
    /** Most errors a 400 answer lists; it says how many more there are. */
    static final int MAX_LISTED_ERRORS = 100;

    private static final Logger log = LoggerFactory.getLogger(DevelopmentsEndpoint.class);
    private static final Counter PUBLISHED = ingested("published", "Developments received over HTTP and published to the log of record");
    private static final Counter DUPLICATES = ingested("duplicate", "Developments received over HTTP that the log already had");
    private static final Counter REJECTED = Counter.builder("parley.http.requests.rejected")
            .description("Requests to write developments refused as invalid (nothing of them was published)").register(Metrics.globalRegistry);

    private final ApiToken token;
    private final RateLimiter rateLimiter;
    private final int maxBodyBytes;
    private final DevelopmentValidator validator;
    private final DevelopmentIntake intake;

    DevelopmentsEndpoint(ApiToken token, RateLimiter rateLimiter, int maxBodyBytes, DevelopmentValidator validator,
                         DevelopmentIntake intake) {
        this.token = token;
        this.rateLimiter = rateLimiter;
        this.maxBodyBytes = maxBodyBytes;
        this.validator = validator;
        this.intake = intake;
    }

    @Override
    public void handle(Context ctx) throws Exception {
        // Before the token check, so guessing tokens is throttled too.
        RateLimiter.Decision decision = rateLimiter.acquire(ctx.ip());
        if (!decision.allowed()) {
            ctx.header("Retry-After", String.valueOf(decision.retryAfterSeconds()));
            reply(ctx, 429, message("Too many requests from " + ctx.ip() + ". Try again in " + decision.retryAfterSeconds() + " s."));
            return;
        }
        String authorization = ctx.header("Authorization");
        if (authorization == null || !authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
            ctx.header("WWW-Authenticate", "Bearer realm=\"parley\"");
            reply(ctx, 401, message("Writing needs the API token: send \"Authorization: Bearer <token>\"."));
            return;
        }
        if (!token.matches(authorization.substring(7).trim())) {
            reply(ctx, 403, message("The API token is not the right one."));
            return;
        }
        long declared = ctx.req().getContentLengthLong();
        if (declared > maxBodyBytes) {
            reply(ctx, 413, tooLarge(declared + " bytes"));
            return;
        }
        byte[] body = readAtMost(ctx.req().getInputStream(), maxBodyBytes);
        if (body == null) { // chunked, or a Content-Length that lied
            reply(ctx, 413, tooLarge("more than " + maxBodyBytes + " bytes"));
            return;
        }
        Batch read = read(body, validator);
        if (read.errorCount() > 0) {
            boolean all = read.errorCount() == read.errors().size();
            ObjectNode json = message("Nothing published: " + read.errorCount() + " error(s)"
                    + (all ? "" : ", the first " + read.errors().size() + " listed") + ". Fix them and send the request again.");
            ArrayNode list = json.putArray("errors");
            read.errors().forEach(error -> list.add(error.toJson()));
            if (!all) {
                json.put("errors_not_listed", read.errorCount() - read.errors().size());
            }
            REJECTED.increment();
            reply(ctx, 400, json);
            return;
        }
        List<Development> batch = read.developments();
        DevelopmentIntake.Outcome outcome;
        try {
            outcome = intake.submit(batch);
        } catch (InvalidStateStoreException e) {
            ctx.header("Retry-After", "1");
            reply(ctx, 503, message("Parley is starting; nothing was published. Try again in a second."));
            return;
        }
        if (outcome instanceof DevelopmentIntake.Accepted accepted) {
            log.debug("{} development(s) from {}: {} published", batch.size(), ctx.ip(), accepted.published().cardinality());
            PUBLISHED.increment(accepted.published().cardinality());
            DUPLICATES.increment(batch.size() - accepted.published().cardinality());
            reply(ctx, 202, acceptedBody(batch, accepted));
        } else if (outcome instanceof DevelopmentIntake.NotAcknowledged missing) {
            log.warn("Kafka did not acknowledge {} of {} development(s) sent over HTTP: {}",
                    missing.total() - missing.acknowledged(), missing.total(), missing.reason());
            ctx.header("Retry-After", String.valueOf(RETRY_AFTER_KAFKA_SECONDS));
            reply(ctx, 503, notAcknowledgedBody(missing));
        }
    }

    private static Counter ingested(String outcome, String description) {
        return Counter.builder("parley.developments.ingested").tag("outcome", outcome).description(description)
                .register(Metrics.globalRegistry);
    }

    /**
     * What a body held: the developments, in order, when there is no error; else how many errors, and the first
     * {@link #MAX_LISTED_ERRORS} of them (a body of thousands of bad records does not get an answer of megabytes).
     */
    record Batch(List<Development> developments, List<IndexedError> errors, int errorCount) {
    }

    /** Parses and checks every record of a body, collecting every error with its position. */
    static Batch read(byte[] body, DevelopmentValidator validator) {
        List<Development> batch = new ArrayList<>();
        List<IndexedError> listed = new ArrayList<>();
        int count = read(body, validator, batch, error -> {
            if (listed.size() < MAX_LISTED_ERRORS) {
                listed.add(error);
            }
        });
        return new Batch(count == 0 ? batch : List.of(), listed, count);
    }

    /** Returns how many errors it found, each of which it gave to {@code errors}. */
    private static int read(byte[] body, DevelopmentValidator validator, List<Development> batch, Consumer<IndexedError> errors) {
        JsonNode json;
        try {
            json = AvroJson.ONE_VALUE.readTree(body);
        } catch (JsonProcessingException e) {
            var location = e.getLocation();
            String where = location == null ? "" : " at line " + location.getLineNr() + ", column " + location.getColumnNr();
            errors.accept(new IndexedError(null, new FieldError("body", abbreviate(body), "JSON (" + AvroJson.problem(e) + where + ")")));
            return 1;
        } catch (IOException e) {
            errors.accept(new IndexedError(null, new FieldError("body", abbreviate(body), "readable (" + e.getMessage() + ")")));
            return 1;
        }
        List<JsonNode> records = new ArrayList<>();
        if (json != null && json.isArray()) {
            json.forEach(records::add);
        } else if (json != null && json.isObject()) {
            records.add(json);
        }
        if (records.isEmpty()) {
            errors.accept(new IndexedError(null, new FieldError("body", abbreviate(body),
                    "a development (expected a JSON object, or a non-empty array of them)")));
            return 1;
        }
        int count = 0;
        for (int i = 0; i < records.size(); i++) {
            List<FieldError> found;
            try {
                Development development = AvroJson.fromJson(records.get(i), Development.class);
                found = validator.validate(development);
                batch.add(development);
            } catch (InvalidRecordException e) {
                found = e.errors();
            }
            for (FieldError error : found) {
                errors.accept(new IndexedError(i, error));
            }
            count += found.size();
        }
        return count;
    }

    /** The body, or null if it is longer than {@code max}: never reads more than one byte past the limit. */
    static byte[] readAtMost(InputStream in, int max) throws IOException {
        byte[] bytes = in.readNBytes(max + 1);
        return bytes.length > max ? null : bytes;
    }

    private ObjectNode tooLarge(String size) {
        ObjectNode json = message("The body is " + size + "; at most " + maxBodyBytes
                + " bytes are accepted (PARLEY_MAX_BODY_BYTES). Send the developments in smaller batches.");
        json.put("max_body_bytes", maxBodyBytes);
        return json;
    }

    private static ObjectNode acceptedBody(List<Development> batch, DevelopmentIntake.Accepted accepted) {
        ObjectNode json = AvroJson.MAPPER.createObjectNode();
        int published = accepted.published().cardinality();
        json.put("accepted", published);
        json.put("duplicates", batch.size() - published);
        ArrayNode developments = json.putArray("developments");
        for (int i = 0; i < batch.size(); i++) {
            Development d = batch.get(i);
            developments.addObject()
                    .put("negotiation_id", d.getNegotiationId())
                    .put("development_id", d.getDevelopmentId())
                    .put("revision", d.getRevision())
                    .put("result", accepted.published().get(i) ? "published" : "duplicate");
        }
        return json;
    }

    private static ObjectNode notAcknowledgedBody(DevelopmentIntake.NotAcknowledged missing) {
        String what = missing.acknowledged() == 0
                ? "nothing was acknowledged"
                : "only " + missing.acknowledged() + " of " + missing.total() + " development(s) were acknowledged";
        ObjectNode json = message("Kafka did not acknowledge the developments (" + missing.reason() + "): " + what
                + ". Send the same request again in a few seconds; what was already written is recognised as a duplicate "
                + "and not published twice.");
        json.put("acknowledged", missing.acknowledged());
        json.put("total", missing.total());
        return json;
    }

    private static ObjectNode message(String text) {
        return AvroJson.MAPPER.createObjectNode().put("message", text);
    }

    private static void reply(Context ctx, int status, ObjectNode json) {
        ctx.status(status).contentType("application/json; charset=utf-8").result(json.toString());
    }

    private static String abbreviate(byte[] body) {
        String text = new String(body, StandardCharsets.UTF_8);
        // As a JSON string, so quotes inside the body stay readable.
        return TextNode.valueOf(text.length() <= 60 ? text : text.substring(0, 57) + "...").toString();
    }

    /** A field error and the position of its record in the batch; null when it is about the whole body. */
    record IndexedError(Integer index, FieldError error) {

        ObjectNode toJson() {
            ObjectNode json = AvroJson.MAPPER.createObjectNode();
            if (index != null) {
                json.put("index", index);
            }
            json.put("field", error.field());
            json.put("value", error.value());
            json.put("expected", error.expected());
            json.put("message", error.message());
            return json;
        }
    }
}
