package dev.parley.app;

import com.sun.net.httpserver.HttpServer;
import dev.parley.consumer.webhook.StandardWebhooks;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A real webhook receiver on loopback that checks every request as a subscriber would, with
 * {@link StandardWebhooks#verify} (signature over {@code id.timestamp.body}, timestamp within five minutes of its own
 * clock), answers 503 to the first {@code failFirst} requests, and keeps what it accepted.
 */
final class WebhookReceiver implements AutoCloseable {

    static final String SECRET = "whsec_" + Base64.getEncoder().encodeToString("parley-test-secret-32-bytes-long".getBytes(StandardCharsets.UTF_8));

    private final HttpServer server;
    final Map<String, String> acceptedById = new ConcurrentHashMap<>();
    final List<String> requestIds = new CopyOnWriteArrayList<>();
    final AtomicInteger badSignatures = new AtomicInteger();
    /** When not 0, the status every correctly signed request gets, accepting nothing (e.g. 422 to refuse every change). */
    volatile int refuseWith;

    WebhookReceiver(int failFirst, long delayMillis) throws IOException {
        AtomicInteger seen = new AtomicInteger();
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/hook", exchange -> {
            byte[] body = exchange.getRequestBody().readAllBytes();
            String id = exchange.getRequestHeaders().getFirst("webhook-id");
            String timestamp = exchange.getRequestHeaders().getFirst("webhook-timestamp");
            String signature = exchange.getRequestHeaders().getFirst("webhook-signature");
            requestIds.add(id);
            int status;
            if (!verified(id, timestamp, body, signature)) {
                badSignatures.incrementAndGet();
                status = 401;
            } else if (refuseWith != 0) {
                status = refuseWith;
            } else if (seen.incrementAndGet() <= failFirst) {
                status = 503;
            } else {
                sleep(delayMillis);
                acceptedById.put(id, new String(body, StandardCharsets.UTF_8));
                status = 204;
            }
            exchange.sendResponseHeaders(status, -1);
            exchange.close();
        });
        server.start();
    }

    String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/hook";
    }

    private static boolean verified(String id, String timestamp, byte[] body, String signature) {
        try {
            // The receiver's clock, as a subscriber's would be: the sink signs each attempt with the time it is sent.
            StandardWebhooks.verify(SECRET, id, timestamp, body, signature, Instant.now(), StandardWebhooks.DEFAULT_TOLERANCE);
            return true;
        } catch (StandardWebhooks.VerificationException e) {
            System.err.println("WebhookReceiver refused a request: " + e.getMessage());
            return false;
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
