package dev.parley.app;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * A real webhook receiver on loopback that checks every request's Standard Webhooks signature itself (HMAC-SHA256
 * over {@code id.timestamp.body}), answers 503 to the first {@code failFirst} requests, and keeps what it accepted.
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
            if (!expectedSignature(id, timestamp, body).equals(signature)) {
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

    private static String expectedSignature(String id, String timestamp, byte[] body) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(Base64.getDecoder().decode(SECRET.substring("whsec_".length())), "HmacSHA256"));
            mac.update((id + "." + timestamp + ".").getBytes(StandardCharsets.UTF_8));
            return "v1," + Base64.getEncoder().encodeToString(mac.doFinal(body));
        } catch (Exception e) {
            throw new IllegalStateException(e);
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
