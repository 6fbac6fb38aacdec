package dev.parley.consumer;

import java.time.Duration;
import java.util.function.DoubleSupplier;

/**
 * How a failing sink is retried before its change is parked: exponential backoff with full jitter, so many
 * sinks failing at once do not retry in step.
 *
 * @param maxAttempts deliveries tried in all, the first included, before the change is parked
 * @param firstDelay  the ceiling of the wait before the second attempt; it doubles each attempt
 * @param maxDelay    the ceiling no wait exceeds
 */
public record RetryPolicy(int maxAttempts, Duration firstDelay, Duration maxDelay) {

    /** Eight attempts over about half a minute at most: well within Kafka's five-minute poll interval. */
    public static final RetryPolicy DEFAULT = new RetryPolicy(8, Duration.ofMillis(200), Duration.ofSeconds(10));

    public RetryPolicy {
        if (maxAttempts < 1) {
            throw new IllegalArgumentException("maxAttempts: " + maxAttempts + " is not at least 1");
        }
        if (firstDelay.isNegative() || maxDelay.compareTo(firstDelay) < 0) {
            throw new IllegalArgumentException("delays: first " + firstDelay + ", max " + maxDelay
                    + " (expected 0 <= first <= max)");
        }
    }

    /**
     * The wait before attempt number {@code attempt} (2 for the first retry): a uniformly random share, given
     * by {@code random} in [0, 1), of {@code min(maxDelay, firstDelay * 2^(attempt - 2))}.
     */
    public Duration delayBefore(int attempt, DoubleSupplier random) {
        long ceiling = firstDelay.toMillis();
        for (int doubling = 2; doubling < attempt && ceiling < maxDelay.toMillis(); doubling++) {
            ceiling *= 2;
        }
        ceiling = Math.min(ceiling, maxDelay.toMillis());
        return Duration.ofMillis((long) (random.getAsDouble() * ceiling));
    }

    public boolean shouldRetryAfter(int attempt) {
        return attempt < maxAttempts;
    }
}
