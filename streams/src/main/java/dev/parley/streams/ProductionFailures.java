package dev.parley.streams;

import dev.parley.schemas.Topics;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.common.errors.RetriableException;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.streams.errors.ErrorHandlerContext;
import org.apache.kafka.streams.errors.ProductionExceptionHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the topology does when Kafka refuses a record it writes. A retriable error (a broker away for a while) is
 * retried, as Kafka's own handler does; another error of the producer's fails the task. A record over
 * {@code max.request.size}: it logs an error naming the topic, the negotiation (the key) and the size, and answers
 * with a dead letter saying the same (the refused value left out); a view or a change is skipped, a changelog record
 * fails the task: skipping it would leave a store and its changelog apart.
 *
 * <p>Under exactly-once, though, the producer aborts the transaction of a record it refuses whatever the handler
 * answers, dead letter included, so the task processes its records again: the bounds ({@link FoldLimits},
 * {@link ViewBounds}) are what keeps every record the topology writes far below Kafka's limits. This handler is
 * here so that the cause is said plainly: Kafka's own builds its dead letter from the source record, which a
 * record written while a commit flushes the caches does not have, and failed there ({@code Invalid timestamp: -1}),
 * hiding the refused record behind its own error.
 */
public final class ProductionFailures implements ProductionExceptionHandler {

    private static final Logger log = LoggerFactory.getLogger(ProductionFailures.class);

    @Override
    public Response handleError(ErrorHandlerContext context, ProducerRecord<byte[], byte[]> record, Exception exception) {
        if (exception instanceof RetriableException) {
            return Response.retry(); // as Kafka's own: a broker away for a while, the task's records are processed again
        }
        if (!(exception instanceof RecordTooLargeException)) {
            // The producer's own trouble (a transaction it can no longer complete...), not the record's: no dead letter,
            // whose sending would itself wait on the broker.
            return Response.fail();
        }
        List<ProducerRecord<byte[], byte[]>> deadLetter = List.of(deadLetter(context, record, exception));
        log.error("Kafka refused a record of {} bytes to {} for negotiation \"{}\": {}", record.value() == null ? 0 : record.value().length,
                record.topic(), record.key() == null ? "?" : new String(record.key(), StandardCharsets.UTF_8), exception.toString());
        boolean skippable = record.topic().equals(Topics.STATUS) || record.topic().equals(Topics.STATUS_CHANGES);
        return skippable ? Response.resume(deadLetter) : Response.fail(deadLetter);
    }

    static ProducerRecord<byte[], byte[]> deadLetter(ErrorHandlerContext context, ProducerRecord<byte[], byte[]> record, Exception exception) {
        String negotiation = record.key() == null ? "?" : new String(record.key(), StandardCharsets.UTF_8);
        int bytes = record.value() == null ? 0 : record.value().length;
        RecordHeaders headers = new RecordHeaders();
        header(headers, "__streams.errors.exception", exception.getClass().getName());
        header(headers, "__streams.errors.message", "could not write " + bytes + " bytes to " + record.topic() + " for negotiation \""
                + negotiation + "\": " + exception.getMessage());
        header(headers, "__streams.errors.topic", context.topic() == null ? record.topic() : context.topic());
        header(headers, "__streams.errors.partition", String.valueOf(context.partition()));
        header(headers, "__streams.errors.offset", String.valueOf(context.offset()));
        // The value stays out: it is what Kafka refused. The record's own time, or now when it has none.
        long timestamp = record.timestamp() != null && record.timestamp() >= 0 ? record.timestamp() : System.currentTimeMillis();
        return new ProducerRecord<>(Topics.DEAD_LETTERS, null, timestamp, record.key(), null, headers);
    }

    private static void header(RecordHeaders headers, String name, String value) {
        headers.add(name, value.getBytes(StandardCharsets.UTF_8));
    }

    @Override
    public void configure(Map<String, ?> configs) {
        // nothing to configure
    }
}
