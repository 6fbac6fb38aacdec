package dev.parley.streams;

import dev.parley.schemas.Topics;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.streams.errors.ErrorHandlerContext;
import org.apache.kafka.streams.errors.ProductionExceptionHandler;

/**
 * What the topology does when Kafka refuses a record it writes (one over {@code max.request.size}, say): a dead
 * letter on {@code parley.dead-letters} names the topic, the negotiation (the key), the size and the error, then
 * <ul>
 *   <li>a view or a change is skipped and the topology goes on for every negotiation: the next commit publishes the
 *   negotiation's view again, and the change is in the dead letter;</li>
 *   <li>a changelog record fails the task, as Kafka's default does: skipping it would leave a store and its
 *   changelog apart. {@link FoldLimits} and {@link ViewBounds} keep such records far below Kafka's limits.</li>
 * </ul>
 * Kafka's own handler builds its dead letter from the source record, which a record written while a commit flushes
 * the caches does not have: it failed there ({@code Invalid timestamp: -1}) and stopped the topology.
 */
public final class ProductionFailures implements ProductionExceptionHandler {

    @Override
    public Response handleError(ErrorHandlerContext context, ProducerRecord<byte[], byte[]> record, Exception exception) {
        List<ProducerRecord<byte[], byte[]>> deadLetter = List.of(deadLetter(context, record, exception));
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
