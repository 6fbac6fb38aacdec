package dev.parley.app;

import dev.parley.schemas.Topics;
import dev.parley.streams.StreamsSettings;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.CloseOptions;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.Named;
import org.apache.kafka.streams.kstream.Produced;
import org.apache.kafka.streams.processor.api.FixedKeyProcessor;
import org.apache.kafka.streams.processor.api.FixedKeyProcessorContext;
import org.apache.kafka.streams.processor.api.FixedKeyRecord;
import org.apache.kafka.streams.processor.api.RecordMetadata;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.Stores;

/**
 * For {@code parley bench}: Kafka Streams with the status topology's own settings (exactly-once v2, 100 ms commits)
 * copying the log of record, as bytes, folding nothing. What it reaches on a machine is the most any topology can
 * there: Parley's pipeline and rebuild are compared with it as well as with the raw clients. Through a store, each
 * record is also put in a logged state store and copied to a second topic: the least an exactly-once fold writes
 * (its state and two outputs), so the tighter ceiling for one.
 */
final class StreamsCopyBaseline implements AutoCloseable {

    static final String TOPIC = "bench.pass-through";
    static final String SECOND_TOPIC = "bench.pass-through-2";
    private static final String STORE = "pass-through-store";

    private final KafkaStreams streams;

    private StreamsCopyBaseline(KafkaStreams streams) {
        this.streams = streams;
    }

    /**
     * Starts copying under {@code applicationId}, from the start of the log, and waits until it runs; {@code throughStore}
     * puts each record in a logged store and copies it to {@link #SECOND_TOPIC} too.
     */
    static StreamsCopyBaseline start(String bootstrap, Path stateDir, String applicationId, boolean throughStore) throws InterruptedException {
        var settings = StreamsSettings.from(Map.of("PARLEY_APPLICATION_ID", applicationId, "KAFKA_AUTO_OFFSET_RESET", "earliest"),
                bootstrap, stateDir);
        var builder = new StreamsBuilder();
        var developments = builder.stream(Topics.DEVELOPMENTS, Consumed.with(Serdes.ByteArray(), Serdes.ByteArray()).withName("developments"));
        if (throughStore) {
            builder.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(STORE), Serdes.String(), Serdes.ByteArray()));
            developments = developments.processValues(Stored::new, Named.as("store"), STORE);
            developments.to(SECOND_TOPIC, Produced.with(Serdes.ByteArray(), Serdes.ByteArray()).withName("pass-through-2"));
        }
        developments.to(TOPIC, Produced.with(Serdes.ByteArray(), Serdes.ByteArray()).withName("pass-through"));
        var streams = new KafkaStreams(builder.build(), settings.toKafkaProperties());
        streams.start();
        Duration timeout = Duration.ofSeconds(120);
        long deadline = System.nanoTime() + timeout.toNanos();
        while (streams.state() != KafkaStreams.State.RUNNING) {
            if (System.nanoTime() > deadline || streams.state() == KafkaStreams.State.ERROR) {
                streams.close(Duration.ofSeconds(10));
                throw new IllegalStateException("The " + applicationId + " pass-through did not start within " + timeout + ": " + streams.state());
            }
            Thread.sleep(50);
        }
        return new StreamsCopyBaseline(streams);
    }

    /** Puts each record in the store under its partition and offset, as a fold keeps each development. */
    private static final class Stored implements FixedKeyProcessor<byte[], byte[], byte[]> {
        private FixedKeyProcessorContext<byte[], byte[]> context;
        private KeyValueStore<String, byte[]> store;

        @Override
        public void init(FixedKeyProcessorContext<byte[], byte[]> context) {
            this.context = context;
            this.store = context.getStateStore(STORE);
        }

        @Override
        public void process(FixedKeyRecord<byte[], byte[]> record) {
            RecordMetadata metadata = context.recordMetadata().orElseThrow();
            store.put(metadata.partition() + ":" + metadata.offset(), record.value());
            context.forward(record);
        }
    }

    @Override
    public void close() {
        streams.close(CloseOptions.groupMembershipOperation(CloseOptions.GroupMembershipOperation.LEAVE_GROUP)
                .withTimeout(Duration.ofSeconds(30)));
    }
}
