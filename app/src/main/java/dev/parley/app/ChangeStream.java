package dev.parley.app;

import dev.parley.consumer.ConsumerSettings;
import dev.parley.schemas.AvroSerde;
import dev.parley.schemas.KafkaVariables;
import dev.parley.schemas.StatusChange;
import dev.parley.schemas.Topics;
import dev.parley.schemas.json.AvroJson;
import io.javalin.Javalin;
import io.javalin.http.Context;
import io.javalin.http.sse.SseClient;
import io.javalin.http.sse.SseHandler;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Status changes pushed to browsers as server-sent events, live and resumable: {@code parley.status-changes} keeps every
 * change, so a client that reconnects with {@code Last-Event-ID} is served what it missed from there.
 *
 * <p>Each client gets its own Kafka consumer without a group: it reads all partitions from exactly where the client
 * stands, and nothing is shared between clients, so one slow browser slows nobody else. The number of clients is
 * bounded because each holds a consumer and a thread.
 */
final class ChangeStream {

    static final String NEGOTIATION_PATH = "/api/negotiations/{id}/changes";
    static final String ALL_PATH = "/api/changes";
    static final String EVENT = "change";

    private static final Logger log = LoggerFactory.getLogger(ChangeStream.class);
    private static final Duration POLL = Duration.ofMillis(250);
    private static final byte[] END_OF_EVENT = "\n\n".getBytes(StandardCharsets.US_ASCII);
    /** One for all clients: making one parses every released schema, which took a third of a client's thread per change. */
    private static final AvroSerde<StatusChange> CHANGES = AvroSerde.of(StatusChange.class);

    private final Map<String, Object> consumerProperties;
    private final Duration heartbeat;
    private final Semaphore slots;
    private final int maxClients;
    private final AtomicLong clientIds = new AtomicLong();
    private volatile boolean stopping;

    private ChangeStream(Map<String, Object> consumerProperties, Duration heartbeat, int maxClients) {
        this.consumerProperties = consumerProperties;
        this.heartbeat = heartbeat;
        this.maxClients = maxClients;
        this.slots = new Semaphore(maxClients);
    }

    /**
     * Serves both streams on {@code app}; {@code PARLEY_SSE_MAX_CLIENTS} (default 100) bounds the clients and
     * {@code PARLEY_SSE_HEARTBEAT_SECONDS} (default 15) spaces the heartbeats that keep idle connections open.
     */
    static void register(Javalin app, AppSettings settings) {
        Map<String, Object> props = new HashMap<>();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, settings.kafka());
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed"); // the topology writes in transactions
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        // Only reached for an offset the log no longer has: replaying is better than missing changes.
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        props.put(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, ConsumerSettings.READ_COMMITTED_FETCH_WAIT_MS);
        props.putAll(KafkaVariables.from(settings.env()));
        props.remove(ConsumerConfig.GROUP_ID_CONFIG); // assigned partitions, no group: nothing to rebalance or commit
        var stream = new ChangeStream(props, Duration.ofSeconds(heartbeatSeconds(settings.env())), maxClients(settings.env()));
        app.get(NEGOTIATION_PATH, stream::negotiation);
        app.get(ALL_PATH, stream::all);
        app.events(events -> events.serverStopping(stream::stop));
    }

    private void negotiation(Context ctx) {
        String negotiationId = ctx.pathParam("id");
        String resume = resumePoint(ctx);
        long afterVersion;
        try {
            afterVersion = resume == null ? -1 : parseVersion(resume);
        } catch (IllegalArgumentException e) {
            badRequest(ctx, e.getMessage());
            return;
        }
        serve(ctx, new NegotiationFeed(negotiationId, resume == null ? null : afterVersion));
    }

    private void all(Context ctx) {
        String resume = resumePoint(ctx);
        ChangeOffsets from;
        try {
            from = resume == null ? null : ChangeOffsets.parse(resume);
        } catch (IllegalArgumentException e) {
            badRequest(ctx, e.getMessage());
            return;
        }
        serve(ctx, new AllFeed(from));
    }

    /** {@code Last-Event-ID} (what a reconnecting EventSource sends) wins over {@code ?after=}, which a page uses to start. */
    private static String resumePoint(Context ctx) {
        String header = ctx.header("Last-Event-ID");
        return header != null ? header : ctx.queryParam("after");
    }

    /**
     * Whether an {@code Accept} header lets the answer be an event stream, as content negotiation reads it: no header,
     * or a media range {@code text/event-stream}, {@code text/*} or {@code *}{@code /*} that its {@code q} does not refuse.
     */
    static boolean acceptsEventStream(String accept) {
        if (accept == null || accept.isBlank()) {
            return true;
        }
        for (String range : accept.split(",")) {
            String[] parts = range.split(";");
            String type = parts[0].trim().toLowerCase(java.util.Locale.ROOT);
            boolean refused = false;
            for (int i = 1; i < parts.length; i++) {
                String parameter = parts[i].trim().toLowerCase(java.util.Locale.ROOT).replace(" ", "");
                refused |= parameter.matches("q=0(\\.0*)?");
            }
            if (!refused && (type.equals("text/event-stream") || type.equals("text/*") || type.equals("*/*"))) {
                return true;
            }
        }
        return false;
    }

    /**
     * A negotiation's event id: the version of its view after the change.
     *
     * @throws IllegalArgumentException naming the value and what was expected
     */
    static long parseVersion(String id) {
        try {
            long version = Long.parseLong(id.trim());
            if (version >= 0) {
                return version;
            }
        } catch (NumberFormatException e) {
            // explained below
        }
        String shown = id.length() > 40 ? id.substring(0, 40) + "…" : id;
        throw new IllegalArgumentException("Last-Event-ID: \"" + shown + "\" is not a version of the negotiation's view"
                + " (expected a whole number from 0, e.g. 12, as sent in an event's id)");
    }

    private void serve(Context ctx, Feed feed) {
        if (!acceptsEventStream(ctx.header("Accept"))) {
            ctx.status(406).contentType("application/json; charset=utf-8").result(message(
                    "This is a stream of server-sent events: send Accept: text/event-stream, e.g. curl -N -H 'Accept: text/event-stream' ..."));
            return;
        }
        if (stopping || !slots.tryAcquire()) {
            ctx.status(503).header("Retry-After", "5").contentType("application/json; charset=utf-8")
                    .result(message("Too many clients follow the changes (at most " + maxClients + "); try again in a few seconds."));
            return;
        }
        boolean handedOver = false;
        try {
            new SseHandler(client -> {
                try {
                    stream(client, feed);
                } finally {
                    slots.release();
                }
            }).handle(ctx);
            handedOver = true;
        } finally {
            if (!handedOver) {
                slots.release();
            }
        }
    }

    /** Runs on Javalin's async pool until the client goes away or the server stops. */
    private void stream(SseClient client, Feed feed) {
        Map<String, Object> props = new HashMap<>(consumerProperties);
        props.putIfAbsent(ConsumerConfig.CLIENT_ID_CONFIG, "parley-sse-" + clientIds.incrementAndGet());
        try (var consumer = new KafkaConsumer<>(props, new StringDeserializer(), new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = consumer.partitionsFor(Topics.STATUS_CHANGES).stream()
                    .map(p -> new TopicPartition(p.topic(), p.partition())).toList();
            consumer.assign(partitions);
            feed.start(consumer, partitions);
            client.sendComment("connected");
            long lastWrite = System.nanoTime();
            while (!stopping && !client.terminated()) {
                for (ConsumerRecord<String, byte[]> record : consumer.poll(POLL)) {
                    Event event = feed.next(record);
                    if (event != null) {
                        send(client, event);
                        lastWrite = System.nanoTime();
                    }
                }
                if (System.nanoTime() - lastWrite >= heartbeat.toNanos()) {
                    client.sendComment(""); // also how a closed connection is noticed
                    lastWrite = System.nanoTime();
                }
            }
        } catch (IOException e) {
            log.debug("Client {} went away: {}", client.ctx().ip(), e.toString());
        } catch (RuntimeException e) {
            log.warn("Stopped streaming changes to {}: {}", client.ctx().ip(), e.toString());
        } finally {
            client.close();
        }
    }

    /**
     * Writes one event as its bytes. Javalin's {@code sendEvent} turns a String into bytes, decodes them back into lines
     * and encodes each again: for a change of 10 kB that was most of a client's thread. The JSON is one line (Jackson
     * escapes line breaks inside strings), so it is one {@code data:} field as it stands.
     */
    private static void send(SseClient client, Event event) throws IOException {
        OutputStream out = client.ctx().res().getOutputStream(); // what Javalin's own emitter writes to
        out.write(("id: " + event.id() + "\nevent: " + EVENT + "\ndata: ").getBytes(StandardCharsets.UTF_8));
        out.write(event.json());
        out.write(END_OF_EVENT);
        out.flush();
    }

    private void stop() {
        stopping = true;
    }

    private static void badRequest(Context ctx, String message) {
        ctx.status(400).contentType("application/json; charset=utf-8").result(message(message));
    }

    private static String message(String message) {
        return AvroJson.MAPPER.createObjectNode().put("message", message).toString();
    }

    static int heartbeatSeconds(Map<String, String> env) {
        return positive(env, "PARLEY_SSE_HEARTBEAT_SECONDS", 15);
    }

    static int maxClients(Map<String, String> env) {
        return positive(env, "PARLEY_SSE_MAX_CLIENTS", 100);
    }

    private static int positive(Map<String, String> env, String name, int defaultValue) {
        String value = env.get(name);
        if (value == null || value.isBlank()) {
            return defaultValue;
        }
        try {
            int parsed = Integer.parseInt(value.trim());
            if (parsed >= 1) {
                return parsed;
            }
        } catch (NumberFormatException e) {
            // explained below
        }
        throw new IllegalArgumentException(name + ": \"" + value + "\" is not a whole number from 1 (expected e.g. " + defaultValue + ")");
    }

    /** One event on the wire: its id, and the change as one line of JSON in UTF-8. */
    record Event(String id, byte[] json) {
    }

    /** Where a client starts reading, and which records become its events. */
    private interface Feed {

        void start(KafkaConsumer<String, byte[]> consumer, List<TopicPartition> partitions);

        /** The event for this record, or null when the client does not get it. */
        Event next(ConsumerRecord<String, byte[]> record);
    }

    /** One negotiation's changes; the id is the view's version, so versions a client already has are never sent again. */
    private static final class NegotiationFeed implements Feed {

        private final String negotiationId;
        private final Long afterVersion;
        private long lastVersion;

        NegotiationFeed(String negotiationId, Long afterVersion) {
            this.negotiationId = negotiationId;
            this.afterVersion = afterVersion;
            this.lastVersion = afterVersion == null ? Long.MIN_VALUE : afterVersion;
        }

        @Override
        public void start(KafkaConsumer<String, byte[]> consumer, List<TopicPartition> partitions) {
            if (afterVersion == null) {
                consumer.seekToEnd(partitions);
                partitions.forEach(consumer::position); // seeks are lazy: fix "now" before the client is told it is connected
            } else {
                consumer.seekToBeginning(partitions); // the key's partition is the topology's choice; history is small
            }
        }

        @Override
        public Event next(ConsumerRecord<String, byte[]> record) {
            if (!negotiationId.equals(record.key())) {
                return null;
            }
            StatusChange change = CHANGES.deserialize(record.topic(), record.value());
            // A rebuild replays changes already sent: only a newer version is news to this client.
            if (change == null || change.getToVersion() <= lastVersion) {
                return null;
            }
            lastVersion = change.getToVersion();
            return new Event(String.valueOf(change.getToVersion()), AvroJson.toJsonBytes(change));
        }
    }

    /** Every negotiation's changes; the id is the position after the event, so a resume seeks each partition exactly. */
    private static final class AllFeed implements Feed {

        private ChangeOffsets position;

        AllFeed(ChangeOffsets from) {
            this.position = from;
        }

        @Override
        public void start(KafkaConsumer<String, byte[]> consumer, List<TopicPartition> partitions) {
            if (position == null) {
                consumer.seekToEnd(partitions);
                Map<Integer, Long> end = new HashMap<>();
                partitions.forEach(tp -> end.put(tp.partition(), consumer.position(tp)));
                position = ChangeOffsets.of(end);
            } else {
                partitions.forEach(tp -> consumer.seek(tp, position.nextOffset(tp.partition())));
            }
        }

        @Override
        public Event next(ConsumerRecord<String, byte[]> record) {
            position = position.after(record.partition(), record.offset());
            StatusChange change = CHANGES.deserialize(record.topic(), record.value());
            return change == null ? null : new Event(position.encode(), AvroJson.toJsonBytes(change));
        }
    }
}
