package dev.parley.consumer;

import dev.parley.schemas.AvroSerde;
import dev.parley.schemas.StatusChange;
import dev.parley.schemas.Topics;
import java.nio.charset.StandardCharsets;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Parks status changes on {@code parley.parked-changes}, unchanged, with headers naming the subscription,
 * the error, the attempts made and where the change came from.
 */
public final class KafkaParkingLot implements ParkingLot {

    public static final String SUBSCRIPTION = "parley.subscription";
    public static final String ERROR = "parley.error";
    public static final String ATTEMPTS = "parley.attempts";
    public static final String SOURCE = "parley.source";

    private final Producer<String, StatusChange> producer;

    public KafkaParkingLot(Producer<String, StatusChange> producer) {
        this.producer = producer;
    }

    public static KafkaParkingLot create(ConsumerSettings settings) {
        Properties props = new Properties();
        props.putAll(settings.kafka());
        props.keySet().removeIf(key -> !ProducerConfig.configNames().contains(key.toString()));
        props.putIfAbsent(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, settings.bootstrapServers());
        props.putIfAbsent(ProducerConfig.ACKS_CONFIG, "all");
        props.putIfAbsent(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
        return new KafkaParkingLot(new KafkaProducer<>(props, new StringSerializer(), AvroSerde.of(StatusChange.class)));
    }

    @Override
    public void park(ConsumerRecord<String, StatusChange> record, String subscription, Exception error, int attempts)
            throws Exception {
        producer.send(new ProducerRecord<>(Topics.PARKED_CHANGES, null, record.key(), record.value(),
                headers(record, subscription, error, attempts))).get();
    }

    static Headers headers(ConsumerRecord<?, ?> record, String subscription, Exception error, int attempts) {
        RecordHeaders headers = new RecordHeaders();
        headers.add(SUBSCRIPTION, utf8(subscription));
        headers.add(ERROR, utf8(String.valueOf(error.getMessage() == null ? error : error.getMessage())));
        headers.add(ATTEMPTS, utf8(String.valueOf(attempts)));
        headers.add(SOURCE, utf8(record.topic() + "/" + record.partition() + "@" + record.offset()));
        return headers;
    }

    private static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    @Override
    public void close() {
        producer.close();
    }
}
