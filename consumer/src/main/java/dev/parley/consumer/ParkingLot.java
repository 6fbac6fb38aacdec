package dev.parley.consumer;

import dev.parley.schemas.StatusChange;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/** Where a subscription puts a status change its sink gave up on, to be retried later. */
public interface ParkingLot extends AutoCloseable {

    /** Parks the change durably (returns only once it is safe to move past it). */
    void park(ConsumerRecord<String, StatusChange> record, String subscription, Exception error, int attempts) throws Exception;

    @Override
    default void close() {
    }
}
