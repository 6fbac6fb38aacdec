package dev.parley.streams;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.schemas.Topics;
import java.nio.charset.StandardCharsets;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.streams.errors.ErrorHandlerContext;
import org.apache.kafka.streams.errors.ProductionExceptionHandler;
import org.apache.kafka.streams.processor.TaskId;
import org.junit.jupiter.api.Test;

class ProductionFailuresTest {

    /** What a record written while a commit flushes the caches has for context: no source record (Kafka gives -1s). */
    private static final ErrorHandlerContext DURING_FLUSH = new ErrorHandlerContext() {
        public String topic() {
            return null;
        }

        public int partition() {
            return -1;
        }

        public long offset() {
            return -1;
        }

        public Headers headers() {
            return new RecordHeaders();
        }

        public String processorNodeId() {
            return "status-sink";
        }

        public TaskId taskId() {
            return new TaskId(0, 1);
        }

        public long timestamp() {
            return -1;
        }

        public byte[] sourceRawKey() {
            return null;
        }

        public byte[] sourceRawValue() {
            return null;
        }
    };

    private final ProductionFailures handler = new ProductionFailures();

    @Test
    void shouldSkipAViewTooLargeWithADeadLetterNamingItsNegotiationEvenWithoutASourceRecord() {
        // given a view Kafka refused, written during a commit's cache flush
        var view = new ProducerRecord<>(Topics.STATUS, null, null, "long-talks".getBytes(StandardCharsets.UTF_8), new byte[1_064_382]);

        // when
        var response = handler.handleError(DURING_FLUSH, view, new RecordTooLargeException("The message is 1064382 bytes"));

        // then it is skipped, and the dead letter says what, for whom, and why, stamped with a real time
        assertThat(response.result()).isEqualTo(ProductionExceptionHandler.Result.RESUME);
        assertThat(response.deadLetterQueueRecords()).singleElement().satisfies(letter -> {
            assertThat(letter.topic()).isEqualTo(Topics.DEAD_LETTERS);
            assertThat(letter.timestamp()).isPositive();
            assertThat(letter.value()).isNull();
            assertThat(new String(letter.headers().lastHeader("__streams.errors.message").value(), StandardCharsets.UTF_8))
                    .contains("1064382 bytes to parley.status for negotiation \"long-talks\"");
            assertThat(new String(letter.headers().lastHeader("__streams.errors.exception").value(), StandardCharsets.UTF_8))
                    .isEqualTo(RecordTooLargeException.class.getName());
        });
    }

    @Test
    void shouldFailTheTaskRatherThanSkipAChangelogRecord() {
        var changelog = new ProducerRecord<>("parley-status-items-by-key-store-changelog", "k".getBytes(StandardCharsets.UTF_8), new byte[10]);

        var response = handler.handleError(DURING_FLUSH, changelog, new RecordTooLargeException("too large"));

        assertThat(response.result()).isEqualTo(ProductionExceptionHandler.Result.FAIL);
        assertThat(response.deadLetterQueueRecords()).hasSize(1);
    }

    @Test
    void shouldFailWithoutADeadLetterWhenTheProducerCannotGoOn() {
        var change = new ProducerRecord<>(Topics.STATUS_CHANGES, "k".getBytes(StandardCharsets.UTF_8), new byte[10]);

        var response = handler.handleError(DURING_FLUSH, change,
                new org.apache.kafka.common.KafkaException("The client hasn't received acknowledgment for some previously sent messages"));

        assertThat(response.result()).isEqualTo(ProductionExceptionHandler.Result.FAIL);
        assertThat(response.deadLetterQueueRecords()).isEmpty();
    }

    @Test
    void shouldRetryWhatABrokerAwayForAWhileRefused() {
        var change = new ProducerRecord<>(Topics.STATUS_CHANGES, "k".getBytes(StandardCharsets.UTF_8), new byte[10]);

        var response = handler.handleError(DURING_FLUSH, change, new TimeoutException("Expiring 5 record(s)"));

        assertThat(response.result()).isEqualTo(ProductionExceptionHandler.Result.RETRY);
    }
}
