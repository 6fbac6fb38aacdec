package dev.parley.app;

import com.sun.net.httpserver.HttpServer;
import dev.parley.consumer.ChangeFilter;
import dev.parley.consumer.ConsumerSettings;
import dev.parley.consumer.JsonLinesSink;
import dev.parley.consumer.RetryPolicy;
import dev.parley.consumer.Sink;
import dev.parley.consumer.StatusChangeSubscriber;
import dev.parley.consumer.Subscription;
import dev.parley.consumer.atom.AtomFeedSink;
import dev.parley.consumer.jdbc.DatabaseSink;
import dev.parley.consumer.jdbc.TestDatabases;
import dev.parley.consumer.webhook.WebhookSink;
import dev.parley.localkafka.LocalKafka;
import dev.parley.schemas.AvroSerde;
import dev.parley.schemas.Change;
import dev.parley.schemas.ChangeKind;
import dev.parley.schemas.StatusChange;
import dev.parley.schemas.Topics;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.Callable;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * How fast each sink takes status changes, as a ratio to a subscription that delivers to nothing, on one real broker
 * in one run: every subscription drains the same backlog of {@code N} changes (default 20,000) over 16 negotiations
 * from {@code parley.status-changes}, for 15 seconds at most.
 *
 * <pre>./mvnw -q install -DskipTests && ./mvnw -q -pl app exec:exec@sink-benchmark [-Dchanges=20000]</pre>
 */
public final class SinkBenchmark {

    private static final int NEGOTIATIONS = 16;
    private static final java.time.Duration LONGEST = java.time.Duration.ofSeconds(15);

    public static void main(String[] args) throws Exception {
        int changes = args.length > 0 && args[0].matches("\\d+") ? Integer.parseInt(args[0]) : 20_000;
        Path dir = Files.createTempDirectory("parley-sink-benchmark-");
        String postgresql = TestDatabases.freshPostgresqlSchema();
        HttpServer receiver = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        receiver.createContext("/hook", exchange -> {
            exchange.getRequestBody().readAllBytes();
            exchange.sendResponseHeaders(204, -1);
            exchange.close();
        });
        receiver.start();
        try (var kafka = LocalKafka.in(dir.resolve("kafka"))) {
            kafka.start();
            System.out.printf("Writing %,d status changes over %d negotiations to %s...%n", changes, NEGOTIATIONS, Topics.STATUS_CHANGES);
            write(kafka.bootstrapServers(), changes);
            String webhook = "http://127.0.0.1:" + receiver.getAddress().getPort() + "/hook";
            String secret = WebhookReceiver.SECRET;
            double baseline = 0;
            // The no-op subscription runs first and last: if the two differ much, the machine was busy meanwhile.
            List<Map.Entry<String, Callable<Sink>>> sinks = List.of(
                    Map.entry("warm-up (not a result)", NoSink::new),
                    Map.entry("nothing (baseline)", NoSink::new),
                    Map.entry("JSON lines file", () -> new JsonLinesSink(dir.resolve("changes.jsonl"))),
                    Map.entry("Atom feeds", () -> new AtomFeedSink(dir.resolve("feeds"))),
                    Map.entry("SQLite", () -> DatabaseSink.open("jdbc:sqlite:" + dir.resolve("parley.db"))),
                    Map.entry("PostgreSQL", () -> DatabaseSink.open(postgresql)),
                    Map.entry("webhook (loopback)", () -> WebhookSink.create("bench-webhook", URI.create(webhook), secret, true)),
                    Map.entry("nothing (baseline again)", NoSink::new));
            int run = 0;
            for (var sink : sinks) {
                double rate = drain(kafka.bootstrapServers(), "bench-" + run++, sink.getValue().call(), changes);
                if (run == 2) {
                    baseline = rate;
                } else if (run == 1) {
                    continue;
                }
                System.out.printf("  %-26s %,10.0f changes/s   %5.2f x baseline%n", sink.getKey(), rate, rate / baseline);
            }
        } finally {
            RebuildCommand.deleteTree(dir);
            receiver.stop(0);
            TestDatabases.dropPostgresqlSchema(postgresql);
        }
    }

    /**
     * Starts a subscription from the start of the topic and times it from its first delivery until it has taken every
     * change, or for {@link #LONGEST} at most (slow sinks): joining the consumer group is not the sink's cost.
     */
    private static double drain(String bootstrapServers, String name, Sink sink, int changes) throws Exception {
        var subscription = new Subscription(name, sink, ChangeFilter.ALL, RetryPolicy.DEFAULT);
        var subscriber = StatusChangeSubscriber.create(ConsumerSettings.from(Map.of(), bootstrapServers), subscription);
        Thread thread = new Thread(subscriber, name);
        thread.start();
        while (subscriber.status().delivered() == 0) {
            Thread.sleep(1);
        }
        long start = System.nanoTime();
        long first = subscriber.status().delivered();
        while (subscriber.status().delivered() < changes && System.nanoTime() - start < LONGEST.toNanos()) {
            Thread.sleep(1);
        }
        long taken = subscriber.status().delivered() - first;
        long elapsed = System.nanoTime() - start;
        subscriber.close();
        thread.join();
        sink.close();
        return taken / (elapsed / 1e9);
    }

    private static void write(String bootstrapServers, int changes) throws Exception {
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", bootstrapServers))) {
            admin.createTopics(List.of(new NewTopic(Topics.STATUS_CHANGES, 3, (short) 1), new NewTopic(Topics.PARKED_CHANGES, 3, (short) 1))).all().get();
        }
        Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        props.put(ProducerConfig.LINGER_MS_CONFIG, "5");
        try (var producer = new KafkaProducer<>(props, new StringSerializer(), AvroSerde.of(StatusChange.class))) {
            long[] versions = new long[NEGOTIATIONS];
            String position = "{\"party\":\"RU\",\"issue\":\"territory\",\"stance\":\"demands the whole of the Donbas\","
                    + "\"quote\":\"« Nous ne renoncerons pas »\",\"speaker\":\"Iouri Ouchakov\",\"sources\":[\"Le Monde\",\"AFP\"]}";
            for (int i = 0; i < changes; i++) {
                int negotiation = i % NEGOTIATIONS;
                long version = ++versions[negotiation];
                String id = "bench-negotiation-" + negotiation;
                var change = new StatusChange(id, version - 1, version,
                        List.of(new Change(ChangeKind.POSITION_CHANGED, "position:RU/territory", position, position)),
                        List.of("development-" + i), Instant.parse("2025-12-01T00:00:00Z").plusSeconds(i), false);
                producer.send(new ProducerRecord<>(Topics.STATUS_CHANGES, id, change));
            }
        }
    }

    /** The baseline: takes each change and does nothing with it, so the figure is the subscriber's own cost. */
    private static final class NoSink implements Sink {
        @Override
        public String name() {
            return "nothing";
        }

        @Override
        public boolean accept(StatusChange change) {
            return true;
        }
    }
}
