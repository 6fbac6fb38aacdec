package dev.parley.app;

import dev.parley.consumer.webhook.WebhookSink;
import dev.parley.schemas.Change;
import dev.parley.schemas.ChangeKind;
import dev.parley.schemas.StatusChange;
import java.lang.management.ManagementFactory;
import java.net.URI;
import java.time.Instant;
import java.util.List;

/**
 * Run in a JVM of its own by {@link WebhookThreadsTest}: posts {@code args[1]} changes to a {@link WebhookReceiver}
 * with a webhook sink, after Parley's start-up settings when {@code args[0]} is "parley", and prints how many threads the
 * JVM started meanwhile.
 */
public final class WebhookThreadsProbe {

    public static void main(String[] args) throws Exception {
        if (args[0].equals("parley")) {
            Parley.poolAsyncCompletions();
        }
        int posts = Integer.parseInt(args[1]);
        try (var receiver = new WebhookReceiver(0, 0)) {
            WebhookSink sink = WebhookSink.create("probe", URI.create(receiver.url()), WebhookReceiver.SECRET, true);
            sink.accept(change(1)); // the client's own threads start with the first post
            long before = ManagementFactory.getThreadMXBean().getTotalStartedThreadCount();
            for (int version = 2; version <= posts + 1; version++) {
                sink.accept(change(version));
            }
            long started = ManagementFactory.getThreadMXBean().getTotalStartedThreadCount() - before;
            if (receiver.acceptedById.size() != posts + 1) {
                throw new IllegalStateException(receiver.acceptedById.size() + " of " + (posts + 1) + " posts accepted");
            }
            System.out.println(started);
        }
        System.exit(0);
    }

    private static StatusChange change(long version) {
        return new StatusChange("probe-talks", version - 1, version,
                List.of(new Change(ChangeKind.OTHER, "phase", null, "{\"phase\":\"DIRECT_TALKS\"}")),
                List.of("d" + version), Instant.parse("2025-12-02T18:00:00Z"), false);
    }
}
