package dev.parley.app;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.parley.schemas.Development;
import dev.parley.schemas.NegotiationStatus;
import dev.parley.schemas.json.AvroJson;
import io.javalin.http.Context;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The read side of the HTTP API: the negotiations, a negotiation's status (now, or within time bounds) and its
 * timeline. Each is answered from the state of the instance that holds the negotiation: this one, or the one this
 * request is forwarded to, once. Nothing waits for state: when it cannot answer, the answer is 503 with Retry-After.
 */
final class NegotiationsEndpoints {

    /** Marks a request one instance sent another, so it is never forwarded again. */
    static final String FORWARDED = "X-Parley-Forwarded";
    /** The instance whose state answered ({@code host:port}); absent when this instance answers alone. */
    static final String ANSWERED_BY = "X-Parley-Answered-By";
    static final String RETRY_AFTER_SECONDS = "1";

    private static final Logger log = LoggerFactory.getLogger(NegotiationsEndpoints.class);
    private static final Duration FORWARD_TIMEOUT = Duration.ofSeconds(10);

    private final NegotiationQueries queries;
    private final Optional<String> self;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    NegotiationsEndpoints(NegotiationQueries queries, Optional<String> self) {
        this.queries = queries;
        this.self = self;
    }

    /** {@code GET /api/negotiations}: every negotiation of every instance; {@code ?scope=local}: this instance's only. */
    void list(Context ctx) {
        String scope = ctx.queryParam("scope");
        if (scope != null && !scope.equals("local")) {
            reply(ctx, 400, message("scope: \"" + scope + "\" is not a scope (expected local, or no scope for every instance)"));
            return;
        }
        var local = queries.localStatuses();
        if (!(local instanceof NegotiationQueries.Found<List<NegotiationStatus>> found)) {
            unavailable(ctx, ((NegotiationQueries.Unavailable<?>) local).reason());
            return;
        }
        List<JsonNode> lists = new ArrayList<>();
        lists.add(summaries(found.value()));
        if (scope == null) {
            var others = queries.otherInstances();
            if (others instanceof NegotiationQueries.Unavailable<List<String>> unavailable) {
                unavailable(ctx, unavailable.reason());
                return;
            }
            // Ask every other instance at once: the answer takes as long as the slowest, not the sum.
            Map<String, CompletableFuture<HttpResponse<String>>> calls = new TreeMap<>();
            for (String other : ((NegotiationQueries.Found<List<String>>) others).value()) {
                calls.put(other, http.sendAsync(forwarded(other, "/api/negotiations?scope=local"), HttpResponse.BodyHandlers.ofString()));
            }
            for (var call : calls.entrySet()) {
                try {
                    HttpResponse<String> response = call.getValue().join();
                    if (response.statusCode() != 200) {
                        unavailable(ctx, "instance " + call.getKey() + " answered " + response.statusCode() + ", so the list would be incomplete");
                        return;
                    }
                    lists.add(AvroJson.MAPPER.readTree(response.body()));
                } catch (RuntimeException | IOException e) {
                    unavailable(ctx, "instance " + call.getKey() + " did not answer (" + rootMessage(e) + "), so the list would be incomplete");
                    return;
                }
            }
        }
        ObjectNode body = AvroJson.MAPPER.createObjectNode();
        body.set("negotiations", merge(lists));
        answered(ctx, body);
    }

    /** {@code GET /api/negotiations/{id}/status[?asOf=YYYY-MM-DD][&knownAt=INSTANT]}. */
    void status(Context ctx) {
        LocalDate asOf;
        Instant knownAt;
        try {
            asOf = date(ctx, "asOf");
            knownAt = instant(ctx, "knownAt");
        } catch (BadParameter e) {
            reply(ctx, 400, message(e.getMessage()));
            return;
        }
        String id = ctx.pathParam("id");
        answer(ctx, id, queries.status(id, asOf, knownAt), AvroJson::toJson);
    }

    /** {@code GET /api/negotiations/{id}/timeline[?from=YYYY-MM-DD][&to=YYYY-MM-DD]}. */
    void timeline(Context ctx) {
        LocalDate from;
        LocalDate to;
        try {
            from = date(ctx, "from");
            to = date(ctx, "to");
            if (from != null && to != null && from.isAfter(to)) {
                throw new BadParameter("to: \"" + to + "\" is before from \"" + from + "\" (expected a day on or after from)");
            }
        } catch (BadParameter e) {
            reply(ctx, 400, message(e.getMessage()));
            return;
        }
        Page page;
        try {
            page = page(ctx);
        } catch (BadParameter e) {
            reply(ctx, 400, message(e.getMessage()));
            return;
        }
        String id = ctx.pathParam("id");
        answer(ctx, id, queries.timeline(id, from, to), developments -> {
            ObjectNode body = AvroJson.MAPPER.createObjectNode();
            body.put("negotiation_id", id);
            body.put("from", from == null ? null : from.toString());
            body.put("to", to == null ? null : to.toString());
            return page.of(body, developments);
        });
    }

    /**
     * {@code GET /api/negotiations/{id}/history?item=ITEM[&offset=N][&limit=N]}: every development in force behind one
     * item of the view, named as changes name it; the view shows only the latest.
     */
    void itemHistory(Context ctx) {
        String item = ctx.queryParam("item");
        Page page;
        try {
            if (item == null || item.isBlank()) {
                throw new BadParameter("item: missing (expected an item as changes name it, e.g. meeting:florida-follow-up)");
            }
            page = page(ctx);
        } catch (BadParameter e) {
            reply(ctx, 400, message(e.getMessage()));
            return;
        }
        String id = ctx.pathParam("id");
        answer(ctx, id, queries.itemHistory(id, item), developments -> {
            ObjectNode body = AvroJson.MAPPER.createObjectNode();
            body.put("negotiation_id", id);
            body.put("item", item);
            return page.of(body, developments);
        });
    }

    /** A page of a long list: {@code offset} from the start, at most {@code limit}. */
    record Page(int offset, int limit) {
        static final int DEFAULT_LIMIT = 1_000;
        static final int MAX_LIMIT = 10_000;

        /** The page of {@code developments} in {@code body}, with the total and where the next page starts (null: none). */
        ObjectNode of(ObjectNode body, List<dev.parley.schemas.Development> developments) {
            int end = (int) Math.min(developments.size(), (long) offset + limit);
            body.put("total", developments.size());
            body.put("offset", offset);
            body.put("limit", limit);
            if (end < developments.size()) {
                body.put("next_offset", end);
            } else {
                body.putNull("next_offset");
            }
            ArrayNode list = body.putArray("developments");
            if (offset < developments.size()) {
                developments.subList(offset, end).forEach(d -> list.add(AvroJson.toJson(d)));
            }
            return body;
        }
    }

    private static Page page(Context ctx) {
        return new Page(count(ctx, "offset", 0, Integer.MAX_VALUE, 0), count(ctx, "limit", 1, Page.MAX_LIMIT, Page.DEFAULT_LIMIT));
    }

    private static int count(Context ctx, String name, int min, int max, int absent) {
        String value = ctx.queryParam(name);
        if (value == null) {
            return absent;
        }
        try {
            int count = Integer.parseInt(value);
            if (count >= min && count <= max) {
                return count;
            }
        } catch (NumberFormatException e) {
            // said below
        }
        throw new BadParameter(name + ": \"" + value + "\" is not a count from " + min + " to " + max);
    }

    /**
     * One summary per negotiation from the lists of every instance, by id. Should two instances both list one (a
     * moment during a rebalance), the higher version wins.
     */
    static ArrayNode merge(Collection<JsonNode> answers) {
        Map<String, JsonNode> byId = new TreeMap<>();
        for (JsonNode answer : answers) {
            for (JsonNode negotiation : answer.path("negotiations")) {
                byId.merge(negotiation.get("negotiation_id").asText(), negotiation,
                        (a, b) -> b.get("version").asLong() > a.get("version").asLong() ? b : a);
            }
        }
        ArrayNode merged = AvroJson.MAPPER.createArrayNode();
        byId.values().forEach(merged::add);
        return merged;
    }

    private static ObjectNode summaries(List<NegotiationStatus> statuses) {
        ObjectNode body = AvroJson.MAPPER.createObjectNode();
        ArrayNode list = body.putArray("negotiations");
        for (NegotiationStatus status : statuses) {
            ObjectNode summary = list.addObject();
            summary.put("negotiation_id", status.getNegotiationId());
            summary.put("phase", status.getPhase() == null ? null : status.getPhase().getPhase().name());
            summary.put("version", status.getVersion());
            summary.put("known_at", status.getKnownAt().toString());
            summary.put("development_count", status.getDevelopmentCount());
        }
        return body;
    }

    private <T> void answer(Context ctx, String id, NegotiationQueries.Answer<T> answer, Function<T, JsonNode> json) {
        if (answer instanceof NegotiationQueries.Found<T> found) {
            answered(ctx, json.apply(found.value()));
        } else if (answer instanceof NegotiationQueries.NotFound<T>) {
            reply(ctx, 404, message("No negotiation \"" + id + "\"."));
        } else if (answer instanceof NegotiationQueries.Elsewhere<T> elsewhere) {
            forward(ctx, id, elsewhere.address());
        } else {
            unavailable(ctx, ((NegotiationQueries.Unavailable<T>) answer).reason());
        }
    }

    /** Asks the instance that holds the negotiation, once, and relays its answer. */
    private void forward(Context ctx, String id, String owner) {
        if (ctx.header(FORWARDED) != null) {
            // The sender thought this instance held it; they disagree while the work is shared out again.
            unavailable(ctx, "negotiation \"" + id + "\" is moving between instances");
            return;
        }
        String query = ctx.queryString() == null ? "" : "?" + ctx.queryString();
        try {
            HttpResponse<String> response = http.send(forwarded(owner, ctx.path() + query), HttpResponse.BodyHandlers.ofString());
            ctx.status(response.statusCode());
            for (String header : List.of("Content-Type", "Retry-After", ANSWERED_BY)) {
                response.headers().firstValue(header).ifPresent(value -> ctx.header(header, value));
            }
            ctx.result(response.body());
        } catch (IOException e) {
            log.debug("Forwarding {} to {} failed: {}", ctx.path(), owner, e.toString());
            unavailable(ctx, "instance " + owner + ", which holds negotiation \"" + id + "\", did not answer (" + rootMessage(e) + ")");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            unavailable(ctx, "this instance is stopping");
        }
    }

    private static HttpRequest forwarded(String address, String pathAndQuery) {
        return HttpRequest.newBuilder(URI.create("http://" + address + pathAndQuery))
                .timeout(FORWARD_TIMEOUT).header(FORWARDED, "1").GET().build();
    }

    private void answered(Context ctx, JsonNode body) {
        self.ifPresent(address -> ctx.header(ANSWERED_BY, address));
        reply(ctx, 200, body);
    }

    private static void unavailable(Context ctx, String reason) {
        ctx.header("Retry-After", RETRY_AFTER_SECONDS);
        reply(ctx, 503, message("Cannot answer now: " + reason + ". Try again in " + RETRY_AFTER_SECONDS + " s."));
    }

    private static void reply(Context ctx, int status, JsonNode body) {
        ctx.status(status).contentType("application/json; charset=utf-8").result(body.toString());
    }

    private static ObjectNode message(String text) {
        return AvroJson.MAPPER.createObjectNode().put("message", text);
    }

    private static LocalDate date(Context ctx, String name) {
        String value = ctx.queryParam(name);
        if (value == null) {
            return null;
        }
        try {
            return LocalDate.parse(value);
        } catch (DateTimeParseException e) {
            throw new BadParameter(name + ": \"" + value + "\" is not a date (expected YYYY-MM-DD)");
        }
    }

    private static Instant instant(Context ctx, String name) {
        String value = ctx.queryParam(name);
        if (value == null) {
            return null;
        }
        try {
            return Instant.parse(value);
        } catch (DateTimeParseException e) {
            throw new BadParameter(name + ": \"" + value + "\" is not an instant (expected ISO-8601 UTC, e.g. 2025-12-04T08:00:00Z)");
        }
    }

    /** The first message along the causes (the HTTP client often wraps a bare exception), else the exception's kind. */
    private static String rootMessage(Throwable e) {
        for (Throwable cause = e; cause != null; cause = cause.getCause()) {
            if (cause.getMessage() != null && !cause.getMessage().isBlank()) {
                return cause.getMessage();
            }
        }
        return e.getClass().getSimpleName();
    }

    /** A query parameter that does not parse; the message names it, its value and the expected format. */
    private static final class BadParameter extends RuntimeException {
        BadParameter(String message) {
            super(message);
        }
    }
}
