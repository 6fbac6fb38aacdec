package dev.parley.consumer;

import java.time.Instant;

/**
 * How one subscription is doing, as its operators see it: what it has delivered, what it gave up on, how far
 * behind the change history it is.
 *
 * @param lag           changes on the topic not yet handled by this subscription; -1 until it knows
 * @param lastError     the last delivery error, or null
 * @param lastDelivered when a change was last delivered, or null
 */
public record SubscriptionStatus(String name, String sink, String filter, State state, long delivered, long alreadyHad,
                                 long skipped, long parked, long lag, String lastError, Instant lastDelivered) {

    public enum State {
        /** Not yet assigned partitions. */
        STARTING,
        /** Delivering, or waiting for new changes. */
        DELIVERING,
        /** The sink failed and the change is being retried with backoff. */
        RETRYING,
        /** The sink's target said it is gone (HTTP 410): nothing more is delivered until it is turned back on. */
        DISABLED,
        /** Closed, or stopped by an error it could not handle (see lastError). */
        STOPPED
    }
}
