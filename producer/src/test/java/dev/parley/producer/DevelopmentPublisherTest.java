package dev.parley.producer;

import static dev.parley.schemas.DevelopmentBuilder.aDevelopment;
import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.schemas.AvroSerde;
import dev.parley.schemas.Development;
import dev.parley.schemas.Topics;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

class DevelopmentPublisherTest {

    @Test
    void shouldKeyByNegotiationAndStampWithTheReportTimeNotTheEventDate() throws Exception {
        // given a meeting scheduled after it was reported
        var producer = new MockProducer<>(true, null, new StringSerializer(), AvroSerde.of(Development.class));
        Development scheduled = aDevelopment().meeting().scheduled().on("2025-12-20").reportedAt("2025-12-05T12:00:00Z").build();

        // when
        try (var publisher = new DevelopmentPublisher(producer, Clock.fixed(Instant.parse("2026-01-02T03:04:05Z"), ZoneOffset.UTC))) {
            publisher.publishAll(List.of(scheduled));
        }

        // then
        assertThat(producer.history()).singleElement().satisfies(record -> {
            assertThat(record.topic()).isEqualTo(Topics.DEVELOPMENTS);
            assertThat(record.key()).isEqualTo("ukraine-peace-2025");
            assertThat(Instant.ofEpochMilli(record.timestamp())).isEqualTo(Instant.parse("2025-12-05T12:00:00Z"));
            assertThat(record.value()).isEqualTo(scheduled);
            // and with when it was sent, for measuring how long it takes to reach the sinks
            assertThat(new String(record.headers().lastHeader(Topics.PUBLISHED_AT_HEADER).value(), StandardCharsets.US_ASCII))
                    .isEqualTo(String.valueOf(Instant.parse("2026-01-02T03:04:05Z").toEpochMilli()));
        });
    }
}
