package dev.parley.streams;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.Map;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.streams.StreamsConfig;
import org.junit.jupiter.api.Test;

class StreamsSettingsTest {

    @Test
    void shouldWriteUncompressedUnlessKafkaCompressionTypeSaysOtherwise() {
        assertThat(producerOfTopology(Map.of()).getOrDefault(ProducerConfig.COMPRESSION_TYPE_CONFIG, "none")).isEqualTo("none");
        assertThat(producerOfTopology(Map.of("KAFKA_COMPRESSION_TYPE", "lz4")))
                .containsEntry(ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4");
    }

    /** The settings Kafka Streams gives the producer of a stream thread, from Parley's environment. */
    private static Map<String, Object> producerOfTopology(Map<String, String> env) {
        var settings = StreamsSettings.from(env, "localhost:9092", Path.of("state"));
        return new StreamsConfig(settings.toKafkaProperties()).getProducerConfigs("parley-status-StreamThread-1-producer");
    }
}
