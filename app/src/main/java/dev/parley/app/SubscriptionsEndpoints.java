package dev.parley.app;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.parley.consumer.SubscriptionStatus;
import dev.parley.consumer.atom.AtomFeedSink;
import dev.parley.schemas.json.AvroJson;
import io.javalin.http.Context;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Supplier;

/**
 * What subscribers and operators read over HTTP besides the view: how each subscription of this process is doing
 * ({@code GET /api/subscriptions}) and the Atom feed of a negotiation's status changes ({@code GET /feeds/{id}.atom}).
 */
final class SubscriptionsEndpoints {

    private final Supplier<List<SubscriptionStatus>> subscriptions;
    private final Path feedsFolder;

    SubscriptionsEndpoints(Supplier<List<SubscriptionStatus>> subscriptions, Path feedsFolder) {
        this.subscriptions = subscriptions;
        this.feedsFolder = feedsFolder;
    }

    void list(Context ctx) {
        ArrayNode list = AvroJson.MAPPER.createArrayNode();
        for (SubscriptionStatus status : subscriptions.get()) {
            ObjectNode json = list.addObject();
            json.put("name", status.name());
            json.put("sink", status.sink());
            json.put("filter", status.filter());
            json.put("state", status.state().name());
            json.put("delivered", status.delivered());
            json.put("already_had", status.alreadyHad());
            json.put("filtered_out", status.skipped());
            json.put("parked", status.parked());
            if (status.lag() >= 0) {
                json.put("lag", status.lag());
            } else {
                json.putNull("lag");
            }
            json.put("last_error", status.lastError());
            json.put("last_delivered", status.lastDelivered() == null ? null : status.lastDelivered().toString());
        }
        ObjectNode body = AvroJson.MAPPER.createObjectNode();
        body.set("subscriptions", list);
        ctx.contentType("application/json; charset=utf-8").result(body.toString());
    }

    void feed(Context ctx) throws Exception {
        String file = ctx.pathParam("file");
        String negotiation = file.endsWith(".atom") ? file.substring(0, file.length() - ".atom".length()) : "";
        Path feed;
        try {
            feed = AtomFeedSink.feedFile(feedsFolder, negotiation);
        } catch (IllegalArgumentException e) {
            ctx.status(404).result("No feed " + file + ": feeds are at /feeds/NEGOTIATION_ID.atom");
            return;
        }
        if (!Files.exists(feed)) {
            ctx.status(404).result("No status changes for " + negotiation + " yet, so no feed");
            return;
        }
        ctx.header("X-Content-Type-Options", "nosniff").contentType("application/atom+xml; charset=utf-8").result(Files.readAllBytes(feed));
    }
}
