package dev.parley.app;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.sun.net.httpserver.HttpServer;
import dev.parley.consumer.Sink;
import dev.parley.schemas.StatusChange;
import dev.parley.schemas.json.AvroJson;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAccumulator;
import java.util.stream.Stream;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.SynchronizedHistogram;

/**
 * How long a development takes from its send to its status change's delivery, per way of delivery: a subscription's
 * sink in this process, a webhook received over HTTP, a server-sent event read by an HTTP client. The time of each
 * send is kept by development id, which the change names; histograms in microseconds (HdrHistogram).
 */
final class Freshness implements AutoCloseable {

    static final String SINK = "subscription sink";
    static final String WEBHOOK = "webhook";
    static final String SSE = "server-sent events";

    private final Map<String, Long> sentAt = new ConcurrentHashMap<>();
    private final Map<String, Histogram> histograms = new LinkedHashMap<>();
    private final Map<String, AtomicLong> received = new LinkedHashMap<>();
    private final Map<Long, LongAccumulator> slowestBySecond = new ConcurrentHashMap<>();
    private final List<AutoCloseable> opened = new ArrayList<>();
    private volatile boolean recording;
    private volatile long recordingSince;

    Freshness() {
        for (String channel : List.of(SINK, WEBHOOK, SSE)) {
            histograms.put(channel, new SynchronizedHistogram(3));
            received.put(channel, new AtomicLong());
        }
    }

    /** Call just before sending the development; only those sent while recording count. */
    void sent(String developmentId) {
        if (recording) {
            sentAt.put(developmentId, System.nanoTime());
        }
    }

    /** Records the time since the send of each development a delivered change names (while recording). */
    void delivered(String channel, List<String> developmentIds) {
        long now = System.nanoTime();
        received.get(channel).incrementAndGet();
        if (!recording) {
            return;
        }
        for (String id : developmentIds) {
            Long sent = sentAt.get(id);
            if (sent != null) {
                long micros = Math.max(0, (now - sent) / 1_000);
                histograms.get(channel).recordValue(micros);
                slowestBySecond.computeIfAbsent((sent - recordingSince) / 1_000_000_000L, second -> new LongAccumulator(Math::max, 0))
                        .accumulate(micros);
            }
        }
    }

    /** From now on, sends count; what was sent before (warming up) does not, whenever it is delivered. */
    void startRecording() {
        histograms.values().forEach(Histogram::reset);
        slowestBySecond.clear();
        recordingSince = System.nanoTime();
        recording = true;
    }

    /** What each way of delivery received so far, warm-up included. */
    Map<String, Long> receivedByChannel() {
        Map<String, Long> counts = new LinkedHashMap<>();
        received.forEach((channel, count) -> counts.put(channel, count.get()));
        return counts;
    }

    long received(String channel) {
        return received.get(channel).get();
    }

    Map<String, Histogram> histograms() {
        return histograms;
    }

    /**
     * The slowest delivery of the developments sent in each second of the recording, in microseconds, by second: whether
     * a tail is spread over the window or one stall.
     */
    SortedMap<Long, Long> slowestBySecond() {
        SortedMap<Long, Long> slowest = new TreeMap<>();
        slowestBySecond.forEach((second, micros) -> slowest.put(second, micros.get()));
        return slowest;
    }

    /**
     * Which seconds of sends had a delivery slower than the p99 target, with the slowest: a tail from one stall reads
     * differently from one spread over the window.
     */
    static String slowSeconds(SortedMap<Long, Long> slowestMicrosBySecond) {
        long targetMicros = Math.round(BenchReport.P99_TARGET_MS * 1_000);
        List<String> slow = slowestMicrosBySecond.entrySet().stream().filter(second -> second.getValue() > targetMicros)
                .map(second -> String.format(Locale.ROOT, "%d s: %,d ms", second.getKey(), second.getValue() / 1_000)).toList();
        return String.format(Locale.ROOT, "seconds of sends with a delivery over %.0f ms: %d of %d%s", BenchReport.P99_TARGET_MS, slow.size(),
                slowestMicrosBySecond.size(), slow.isEmpty() ? "" : " (" + String.join(", ", slow) + ")");
    }

    /** A sink that records its deliveries as {@link #SINK}. */
    Sink sink() {
        return new Sink() {
            @Override
            public String name() {
                return "bench-freshness";
            }

            @Override
            public boolean accept(StatusChange change) {
                delivered(SINK, change.getCausedBy());
                return true;
            }
        };
    }

    /** A webhook receiver on loopback that answers 204 and records each delivery as {@link #WEBHOOK}; returns its URL. */
    URI webhookReceiver() throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/hook", exchange -> {
            try (InputStream body = exchange.getRequestBody()) {
                delivered(WEBHOOK, causedBy(AvroJson.MAPPER.createParser(body)));
            }
            exchange.sendResponseHeaders(204, -1);
            exchange.close();
        });
        server.start();
        opened.add(() -> server.stop(0));
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/hook");
    }

    /** Follows a server-sent event stream on a thread of its own, recording each change it carries as {@link #SSE}. */
    void follow(URI stream) {
        HttpClient client = HttpClient.newHttpClient();
        Thread reader = new Thread(() -> {
            try {
                HttpResponse<Stream<String>> response = client.send(HttpRequest.newBuilder(stream)
                        .header("Accept", "text/event-stream").build(), HttpResponse.BodyHandlers.ofLines());
                response.body().filter(line -> line.startsWith("data:")).forEach(line -> {
                    try {
                        delivered(SSE, causedBy(AvroJson.MAPPER.createParser(line.substring("data:".length()))));
                    } catch (IOException notAChange) {
                        // a heartbeat or another event
                    }
                });
            } catch (IOException e) {
                // the stream closed
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "bench-sse");
        reader.setDaemon(true);
        reader.start();
        opened.add(reader::interrupt);
    }

    /**
     * A change's {@code caused_by}, streamed: the rest is skipped, not built into a tree, so the bench's own receivers
     * take little of the CPU the deliveries they time need.
     */
    static List<String> causedBy(JsonParser json) throws IOException {
        try (json) {
            if (json.nextToken() != JsonToken.START_OBJECT) {
                return List.of();
            }
            while (json.nextToken() == JsonToken.FIELD_NAME) {
                String field = json.currentName();
                json.nextToken();
                if (field.equals("caused_by")) {
                    List<String> ids = new ArrayList<>();
                    while (json.nextToken() == JsonToken.VALUE_STRING) {
                        ids.add(json.getText());
                    }
                    return ids;
                }
                json.skipChildren();
            }
            return List.of();
        }
    }

    @Override
    public void close() throws Exception {
        for (AutoCloseable closeable : opened) {
            closeable.close();
        }
    }
}
