package dev.parley.app;

import dev.parley.producer.DevelopmentPublisher;
import dev.parley.producer.ProducerSettings;
import dev.parley.schemas.AvroSerde;
import dev.parley.schemas.Development;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.common.Metric;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * A publisher that keeps feeding generated developments at a steady rate on a thread of its own, as a newsroom would
 * while the tests kill things: Parley's own producer settings (idempotent, acks=all), and a development Kafka did not
 * acknowledge is sent again until it is, so the log may hold it twice but never lacks it.
 */
final class ContinuousFeed implements AutoCloseable {

    private final Workload workload;
    private final int perSecond;
    private final KafkaProducer<String, Development> producer;
    private final DevelopmentPublisher publisher;
    private final Queue<Development> acknowledged = new ConcurrentLinkedQueue<>();
    private final Queue<Development> refused = new ConcurrentLinkedQueue<>();
    private final AtomicInteger outstanding = new AtomicInteger();
    private final AtomicInteger resent = new AtomicInteger();
    private final Thread thread;
    private volatile boolean generating = true;
    private volatile boolean running = true;

    ContinuousFeed(String bootstrapServers, Workload workload, int perSecond) {
        this(bootstrapServers, workload, perSecond, Map.of());
    }

    /** {@code env}: {@code KAFKA_*} settings for its producer, as {@code parley publish} takes them. */
    ContinuousFeed(String bootstrapServers, Workload workload, int perSecond, Map<String, String> env) {
        this.workload = workload;
        this.perSecond = perSecond;
        Map<String, String> settings = new java.util.HashMap<>(env);
        settings.putIfAbsent("KAFKA_CLIENT_ID", "fault-feed");
        this.producer = new KafkaProducer<>(ProducerSettings.from(settings, bootstrapServers).toKafkaProperties(),
                new StringSerializer(), AvroSerde.of(Development.class));
        this.publisher = new DevelopmentPublisher(producer);
        this.thread = new Thread(this::run, "fault-feed");
        this.thread.setDaemon(true);
    }

    ContinuousFeed start() {
        thread.start();
        return this;
    }

    /** Ten sends a second, so the rate stays steady whatever the machine does between them. */
    private void run() {
        long tick = Duration.ofMillis(100).toNanos();
        long next = System.nanoTime();
        while (running) {
            Development again;
            while ((again = refused.poll()) != null) {
                resent.incrementAndGet();
                send(again);
            }
            if (generating) {
                for (int i = 0; i < perSecond / 10; i++) {
                    send(workload.next());
                }
            }
            next += tick;
            long wait = next - System.nanoTime();
            if (wait > 0) {
                java.util.concurrent.locks.LockSupport.parkNanos(wait);
            } else {
                next = System.nanoTime(); // blocked (e.g. on metadata while the broker was down): no burst to catch up
            }
        }
    }

    private void send(Development development) {
        outstanding.incrementAndGet();
        publisher.publish(development).whenComplete((metadata, error) -> {
            if (error == null) {
                acknowledged.add(development);
            } else {
                refused.add(development);
            }
            outstanding.decrementAndGet();
        });
    }

    /** Developments Kafka has acknowledged so far. */
    int acknowledgedCount() {
        return acknowledged.size();
    }

    /** Stops generating and returns once everything sent is acknowledged (sent again as often as needed). */
    List<Development> stop(Duration timeout) throws Exception {
        generating = false;
        Await.until("the feed's last developments acknowledged (" + outstanding.get() + " waiting, " + refused.size() + " to send again)",
                timeout, () -> outstanding.get() == 0 && refused.isEmpty());
        running = false;
        thread.join(10_000);
        return List.copyOf(acknowledged);
    }

    /** Sends the producer retried on its own (idempotent: the broker drops a retry it already has). */
    long producerRetries() {
        return (long) metric("record-retry-total");
    }

    /** Sends the producer gave up on, each sent again by this feed. */
    int resent() {
        return resent.get();
    }

    private double metric(String name) {
        return producer.metrics().entrySet().stream()
                .filter(e -> e.getKey().name().equals(name) && e.getKey().group().equals("producer-metrics"))
                .map(Map.Entry::getValue).map(Metric::metricValue).mapToDouble(v -> ((Number) v).doubleValue()).sum();
    }

    @Override
    public void close() {
        running = false;
        publisher.close();
    }
}
