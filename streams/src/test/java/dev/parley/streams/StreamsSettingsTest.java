package dev.parley.streams;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.Map;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.streams.StreamsConfig;
import org.junit.jupiter.api.Test;

class StreamsSettingsTest {

    @Test
    void shouldCompressWhatTheTopologyWritesWithLz4UnlessKafkaCompressionTypeSaysOtherwise() {
        assertThat(producerOfTopology(Map.of())).containsEntry(ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4");
        assertThat(producerOfTopology(Map.of("KAFKA_COMPRESSION_TYPE", "zstd")))
                .containsEntry(ProducerConfig.COMPRESSION_TYPE_CONFIG, "zstd");
        assertThat(producerOfTopology(Map.of("KAFKA_COMPRESSION_TYPE", "none")))
                .containsEntry(ProducerConfig.COMPRESSION_TYPE_CONFIG, "none");
    }

    /** The settings Kafka Streams gives the producer of a stream thread, from Parley's environment. */
    private static Map<String, Object> producerOfTopology(Map<String, String> env) {
        var settings = StreamsSettings.from(env, "localhost:9092", Path.of("state"));
        return new StreamsConfig(settings.toKafkaProperties()).getProducerConfigs("parley-status-StreamThread-1-producer");
    }
}
