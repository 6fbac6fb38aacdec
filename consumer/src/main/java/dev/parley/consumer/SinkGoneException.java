package dev.parley.consumer;

/**
 * The sink's target says it is gone for good (a webhook answering 410 Gone): its subscription is disabled
 * rather than retried, and the change stays unacknowledged until someone turns it back on.
 */
public final class SinkGoneException extends Exception {

    public SinkGoneException(String message) {
        super(message);
    }
}
