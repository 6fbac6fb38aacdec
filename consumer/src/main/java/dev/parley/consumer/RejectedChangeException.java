package dev.parley.consumer;

/**
 * The sink's target refuses this one change for good (a webhook answering 400 or 422): retrying cannot help,
 * so the change is parked at once, with this message as the reason.
 */
public final class RejectedChangeException extends Exception {

    public RejectedChangeException(String message) {
        super(message);
    }
}
