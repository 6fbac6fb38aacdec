package dev.parley.consumer;

/** What became of one change offered to a sink with a poll's others ({@link Sink#acceptAll}). */
public enum Delivery {
    /** The sink has it now. */
    DELIVERED,
    /** The sink had it already (same negotiation and version): nothing written. */
    ALREADY_HAD,
    /** Not tried, or it failed: offered again one at a time through {@link Sink#accept}, with its retries. */
    LEFT_OUT;

    /** From what {@link Sink#accept} answers: true for delivered now, false for had it already. */
    public static Delivery of(boolean deliveredNow) {
        return deliveredNow ? DELIVERED : ALREADY_HAD;
    }
}
