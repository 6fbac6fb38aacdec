package dev.parley.streams;

import dev.parley.schemas.AvroSerde;
import dev.parley.schemas.Development;
import dev.parley.schemas.NegotiationStatus;
import dev.parley.schemas.StatusChange;
import dev.parley.schemas.Topics;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;

/** The status topology on a TopologyTestDriver, with real (RocksDB) stores: developments in, views and changes out. */
final class TopologyDriver implements AutoCloseable {

    private final TopologyTestDriver driver;
    private final TestInputTopic<String, Development> developments;
    private final TestOutputTopic<String, NegotiationStatus> statuses;
    private final TestOutputTopic<String, StatusChange> changes;

    TopologyDriver(Path stateDir) {
        var topology = StatusTopology.build(AvroSerde.of(Development.class), AvroSerde.of(NegotiationStatus.class),
                AvroSerde.of(StatusChange.class));
        Properties props = new StreamsSettings("unused:9092", "parley-test", stateDir, Map.of()).toKafkaProperties();
        props.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.AT_LEAST_ONCE); // the driver commits per record anyway
        driver = new TopologyTestDriver(topology, props);
        developments = driver.createInputTopic(Topics.DEVELOPMENTS, Serdes.String().serializer(), AvroSerde.of(Development.class));
        statuses = driver.createOutputTopic(Topics.STATUS, Serdes.String().deserializer(), AvroSerde.of(NegotiationStatus.class));
        changes = driver.createOutputTopic(Topics.STATUS_CHANGES, Serdes.String().deserializer(), AvroSerde.of(StatusChange.class));
    }

    /** Writes raw bytes to the log of record, as a broken or hostile producer could. */
    TopologyDriver publishBytes(String key, byte[] value) {
        driver.createInputTopic(Topics.DEVELOPMENTS, Serdes.String().serializer(), Serdes.ByteArray().serializer()).pipeInput(key, value);
        return this;
    }

    /** The dead letters written since the last read. */
    List<org.apache.kafka.streams.test.TestRecord<byte[], byte[]>> deadLetters() {
        return driver.createOutputTopic(Topics.DEAD_LETTERS, Serdes.ByteArray().deserializer(), Serdes.ByteArray().deserializer())
                .readRecordsToList();
    }

    /** Publishes developments as a producer would: keyed by negotiation, stamped with the report time. */
    TopologyDriver publish(List<Development> input) {
        input.forEach(d -> developments.pipeInput(d.getNegotiationId(), d, d.getReportedAt()));
        return this;
    }

    TopologyDriver publish(Development d) {
        return publish(List.of(d));
    }

    /** The latest view per negotiation emitted so far (reading consumes the output). */
    Map<String, NegotiationStatus> statuses() {
        return statuses.readKeyValuesToMap();
    }

    boolean noStatus() {
        return statuses.isEmpty();
    }

    /** The changes emitted since the last read. */
    List<StatusChange> changes() {
        return changes.readValuesToList();
    }


    @Override
    public void close() {
        driver.close();
    }
}
