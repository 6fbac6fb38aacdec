package dev.parley.consumer;

import dev.parley.schemas.AvroSerde;
import dev.parley.schemas.StatusChange;
import dev.parley.schemas.Topics;
import java.time.Duration;
import java.util.List;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Feeds one sink from {@code parley.status-changes}: poll, deliver in order, then commit, so a crash
 * redelivers (and the idempotent sink ignores) rather than loses. Runs on its own thread until closed.
 */
public final class StatusChangeSubscriber implements Runnable, AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(StatusChangeSubscriber.class);

    private final Consumer<String, StatusChange> consumer;
    private final Sink sink;
    private volatile boolean closing;

    public StatusChangeSubscriber(Consumer<String, StatusChange> consumer, Sink sink) {
        this.consumer = consumer;
        this.sink = sink;
    }

    public static StatusChangeSubscriber create(ConsumerSettings settings, Sink sink) {
        return new StatusChangeSubscriber(new KafkaConsumer<>(settings.toKafkaProperties(sink.name()),
                new StringDeserializer(), AvroSerde.of(StatusChange.class)), sink);
    }

    @Override
    public void run() {
        try {
            consumer.subscribe(List.of(Topics.STATUS_CHANGES));
            log.info("Sink {} subscribed to {}", sink.name(), Topics.STATUS_CHANGES);
            while (!closing) {
                var records = consumer.poll(Duration.ofMillis(500));
                for (ConsumerRecord<String, StatusChange> record : records) {
                    log.debug("Sink {} delivering {} v{}", sink.name(), record.key(), record.value().getToVersion());
                    sink.accept(record.value());
                }
                if (!records.isEmpty()) {
                    consumer.commitSync();
                }
            }
        } catch (WakeupException e) {
            if (!closing) {
                throw e;
            }
        } catch (Exception e) {
            // Not committed: the change is offered again when the sink restarts.
            log.error("Sink {} stopped: {}", sink.name(), e.toString(), e);
        } finally {
            consumer.close();
        }
    }

    /** Stops polling; safe to call from another thread. */
    @Override
    public void close() {
        closing = true;
        consumer.wakeup();
    }
}
