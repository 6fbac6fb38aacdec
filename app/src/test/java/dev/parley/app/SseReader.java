package dev.parley.app;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/** A test's SSE client: reads the raw stream line by line on its own thread, so tests can see exactly what is on the wire. */
final class SseReader implements AutoCloseable {

    /** One event as sent: its raw lines, between two blank lines. */
    record Event(List<String> lines) {

        String id() {
            return field("id");
        }

        String name() {
            return field("event");
        }

        List<String> dataLines() {
            return lines.stream().filter(line -> line.startsWith("data:")).toList();
        }

        String data() {
            return dataLines().get(0).substring("data:".length()).strip();
        }

        private String field(String name) {
            return lines.stream().filter(line -> line.startsWith(name + ":")).map(line -> line.substring(name.length() + 1).strip())
                    .findFirst().orElse(null);
        }
    }

    private static final String END = "\u0000end";

    final HttpResponse<InputStream> response;
    private final BlockingQueue<String> lines = new LinkedBlockingQueue<>();
    private final List<String> raw = new ArrayList<>();
    private final Thread thread;

    private SseReader(HttpResponse<InputStream> response) {
        this.response = response;
        this.thread = new Thread(this::read, "sse-reader");
        thread.setDaemon(true);
        thread.start();
    }

    static SseReader open(HttpClient http, URI uri, String lastEventId) throws IOException, InterruptedException {
        var request = HttpRequest.newBuilder(uri).header("Accept", "text/event-stream").timeout(Duration.ofSeconds(10));
        if (lastEventId != null) {
            request.header("Last-Event-ID", lastEventId);
        }
        return new SseReader(http.send(request.GET().build(), HttpResponse.BodyHandlers.ofInputStream()));
    }

    private void read() {
        try (var reader = new BufferedReader(new InputStreamReader(response.body(), StandardCharsets.UTF_8))) {
            for (String line = reader.readLine(); line != null; line = reader.readLine()) {
                lines.add(line);
            }
        } catch (IOException e) {
            // closed by the test
        } finally {
            lines.add(END);
        }
    }

    /** The next line, waiting at most {@code timeout}; fails the test when none comes. */
    String nextLine(Duration timeout) throws InterruptedException {
        String line = lines.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
        if (line == null || line.equals(END)) {
            throw new AssertionError("No line within " + timeout + " (stream " + (line == null ? "open" : "closed") + "); so far: " + raw);
        }
        raw.add(line);
        return line;
    }

    /** The next event (skipping comments) that matches, waiting at most {@code timeout} in all. */
    Event nextEvent(Duration timeout, Predicate<Event> wanted) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        List<String> current = new ArrayList<>();
        while (true) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                throw new AssertionError("No matching event within " + timeout + "; so far: " + raw);
            }
            String line = nextLine(Duration.ofNanos(left));
            if (line.startsWith(":")) {
                continue;
            }
            if (!line.isEmpty()) {
                current.add(line);
            } else if (!current.isEmpty()) {
                Event event = new Event(List.copyOf(current));
                current.clear();
                if (wanted.test(event)) {
                    return event;
                }
            }
        }
    }

    /** Every line read so far, as on the wire. */
    List<String> raw() {
        return List.copyOf(raw);
    }

    @Override
    public void close() throws IOException {
        response.body().close();
    }
}
