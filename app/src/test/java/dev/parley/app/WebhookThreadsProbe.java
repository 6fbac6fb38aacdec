package dev.parley.app;

import com.sun.net.httpserver.HttpServer;
import dev.parley.consumer.webhook.WebhookSink;
import dev.parley.schemas.Change;
import dev.parley.schemas.ChangeKind;
import dev.parley.schemas.StatusChange;
import java.lang.management.ManagementFactory;
import java.net.InetSocketAddress;
import java.net.URI;
import java.time.Instant;
import java.util.List;

/**
 * Run in a JVM of its own by {@link WebhookThreadsTest}: posts {@code args[1]} changes to a local receiver with a
 * webhook sink, after Parley's start-up settings when {@code args[0]} is "parley", and prints how many threads the
 * JVM started meanwhile.
 */
public final class WebhookThreadsProbe {

    public static void main(String[] args) throws Exception {
        if (args[0].equals("parley")) {
            Parley.poolAsyncCompletions();
        }
        int posts = Integer.parseInt(args[1]);
        HttpServer receiver = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        receiver.createContext("/hook", exchange -> {
            exchange.getRequestBody().readAllBytes();
            exchange.sendResponseHeaders(204, -1);
            exchange.close();
        });
        receiver.start();
        WebhookSink sink = WebhookSink.create("probe", URI.create("http://127.0.0.1:" + receiver.getAddress().getPort() + "/hook"),
                "whsec_cHJvYmUtc2VjcmV0LXByb2JlLXNlY3JldA==", true);
        sink.accept(change(1)); // the client's own threads start with the first post
        long before = ManagementFactory.getThreadMXBean().getTotalStartedThreadCount();
        for (int version = 2; version <= posts + 1; version++) {
            if (!sink.accept(change(version))) {
                throw new IllegalStateException("change v" + version + " was not delivered");
            }
        }
        System.out.println(ManagementFactory.getThreadMXBean().getTotalStartedThreadCount() - before);
        receiver.stop(0);
        System.exit(0);
    }

    private static StatusChange change(long version) {
        return new StatusChange("probe-talks", version - 1, version,
                List.of(new Change(ChangeKind.OTHER, "phase", null, "{\"phase\":\"DIRECT_TALKS\"}")),
                List.of("d" + version), Instant.parse("2025-12-02T18:00:00Z"), false);
    }
}
