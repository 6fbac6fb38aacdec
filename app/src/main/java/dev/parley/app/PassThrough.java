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
import org.apache.kafka.streams.kstream.Produced;

/**
 * For {@code parley bench}: Kafka Streams with the status topology's own settings (exactly-once v2, 100 ms commits)
 * copying the log of record, as bytes, to another topic, folding nothing. What it reaches on a machine is the most any
 * topology can there: Parley's pipeline and rebuild are compared with it as well as with the raw clients.
 */
final class PassThrough implements AutoCloseable {

    static final String TOPIC = "bench.pass-through";

    private final KafkaStreams streams;

    private PassThrough(KafkaStreams streams) {
        this.streams = streams;
    }

    /** Starts copying under {@code applicationId}, from the start of the log, and waits until it runs. */
    static PassThrough start(String bootstrap, Path stateDir, String applicationId) throws InterruptedException {
        var settings = StreamsSettings.from(Map.of("PARLEY_APPLICATION_ID", applicationId, "KAFKA_AUTO_OFFSET_RESET", "earliest"),
                bootstrap, stateDir);
        var builder = new StreamsBuilder();
        builder.stream(Topics.DEVELOPMENTS, Consumed.with(Serdes.ByteArray(), Serdes.ByteArray()).withName("developments"))
                .to(TOPIC, Produced.with(Serdes.ByteArray(), Serdes.ByteArray()).withName("pass-through"));
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
        return new PassThrough(streams);
    }

    @Override
    public void close() {
        streams.close(CloseOptions.groupMembershipOperation(CloseOptions.GroupMembershipOperation.LEAVE_GROUP)
                .withTimeout(Duration.ofSeconds(30)));
    }
}
