package dev.parley.app;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.LongSupplier;

/**
 * How many writes one client address may make: a token bucket per address that refills at a steady rate and holds
 * at most a burst. Only the most recently seen addresses keep a bucket, so a flood of addresses cannot exhaust memory;
 * an address that was dropped starts again with a full bucket.
 */
final class RateLimiter {

    /** Whether a request may go ahead, and if not, how many whole seconds until one would. */
    record Decision(boolean allowed, long retryAfterSeconds) {
    }

    static final int MAX_CLIENTS = 10_000;

    private final double perSecond;
    private final double burst;
    private final LongSupplier nanoTime;
    private final Map<String, Bucket> buckets;

    /**
     * @param nanoTime a monotonic clock in nanoseconds ({@code System::nanoTime}): wall-clock time can jump backwards
     */
    RateLimiter(double perSecond, double burst, int maxClients, LongSupplier nanoTime) {
        if (perSecond <= 0 || burst < 1) {
            throw new IllegalArgumentException("rate " + perSecond + "/s, burst " + burst + " (expected a positive rate and a burst of 1 or more)");
        }
        this.perSecond = perSecond;
        this.burst = burst;
        this.nanoTime = nanoTime;
        this.buckets = new LinkedHashMap<>(16, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, Bucket> eldest) {
                return size() > maxClients;
            }
        };
    }

    /** Parley's limit: {@code perSecond} writes a second per address, in bursts of up to twice as many. */
    static RateLimiter perSecond(int perSecond) {
        return new RateLimiter(perSecond, 2.0 * perSecond, MAX_CLIENTS, System::nanoTime);
    }

    /** Takes one token from the client's bucket if it has one. */
    synchronized Decision acquire(String client) {
        long now = nanoTime.getAsLong();
        Bucket bucket = buckets.computeIfAbsent(client, c -> new Bucket(burst, now));
        double elapsedSeconds = Math.max(0, now - bucket.refilledAt) / 1e9;
        bucket.tokens = Math.min(burst, bucket.tokens + elapsedSeconds * perSecond);
        bucket.refilledAt = now;
        if (bucket.tokens >= 1) {
            bucket.tokens -= 1;
            return new Decision(true, 0);
        }
        // Retry-After counts whole seconds; rounding up never invites a client back too early.
        return new Decision(false, Math.max(1, (long) Math.ceil((1 - bucket.tokens) / perSecond)));
    }

    synchronized int clients() {
        return buckets.size();
    }

    private static final class Bucket {
        double tokens;
        long refilledAt;

        Bucket(double tokens, long refilledAt) {
            this.tokens = tokens;
            this.refilledAt = refilledAt;
        }
    }
}
