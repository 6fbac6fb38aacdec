package dev.parley.producer;

import dev.parley.schemas.AvroSerde;
import dev.parley.schemas.Development;
import dev.parley.schemas.Topics;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Publishes developments to the log of record, keyed by negotiation id (so each negotiation keeps its order)
 * and timestamped with when they were reported, never when they happened: a scheduled meeting lies in the future.
 */
public final class DevelopmentPublisher implements AutoCloseable {

    private static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(10);

    private final Producer<String, Development> producer;
    private final Clock clock;

    public DevelopmentPublisher(Producer<String, Development> producer) {
        this(producer, Clock.systemUTC());
    }

    public DevelopmentPublisher(Producer<String, Development> producer, Clock clock) {
        this.producer = producer;
        this.clock = clock;
    }

    public static DevelopmentPublisher create(ProducerSettings settings) {
        return new DevelopmentPublisher(new KafkaProducer<>(settings.toKafkaProperties(), new StringSerializer(),
                AvroSerde.of(Development.class)));
    }

    /** Sends one development; the future completes once Kafka acknowledged it (acks=all). */
    public CompletableFuture<RecordMetadata> publish(Development development) {
        var record = new ProducerRecord<>(Topics.DEVELOPMENTS, null, development.getReportedAt().toEpochMilli(),
                development.getNegotiationId(), development);
        record.headers().add(Topics.PUBLISHED_AT_HEADER, Long.toString(clock.millis()).getBytes(StandardCharsets.US_ASCII));
        var acknowledged = new CompletableFuture<RecordMetadata>();
        producer.send(record, (metadata, error) -> {
            if (error != null) {
                acknowledged.completeExceptionally(error);
            } else {
                acknowledged.complete(metadata);
            }
        });
        return acknowledged;
    }

    /** Sends all and waits until every one is acknowledged; throws if any was not. */
    public List<RecordMetadata> publishAll(List<Development> developments) throws InterruptedException {
        List<CompletableFuture<RecordMetadata>> sent = new ArrayList<>(developments.size());
        developments.forEach(development -> sent.add(publish(development)));
        producer.flush();
        List<RecordMetadata> acknowledged = new ArrayList<>(sent.size());
        for (var future : sent) {
            try {
                acknowledged.add(future.get());
            } catch (ExecutionException e) {
                throw new KafkaException("Kafka did not acknowledge a development: " + e.getCause().getMessage(), e.getCause());
            }
        }
        return acknowledged;
    }

    @Override
    public void close() {
        // Bounded: after a failure, sends still queued behind a refused login would otherwise wait for ever.
        producer.close(CLOSE_TIMEOUT);
    }
}
