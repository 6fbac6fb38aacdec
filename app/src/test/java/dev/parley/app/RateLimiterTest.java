package dev.parley.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class RateLimiterTest {

    private final AtomicLong now = new AtomicLong(1_000_000_000L);

    private RateLimiter limiter(double perSecond, double burst, int maxClients) {
        return new RateLimiter(perSecond, burst, maxClients, now::get);
    }

    private void advance(Duration duration) {
        now.addAndGet(duration.toNanos());
    }

    private static long allowed(RateLimiter limiter, String client, int attempts) {
        return IntStream.range(0, attempts).filter(i -> limiter.acquire(client).allowed()).count();
    }

    @Test
    void shouldAllowABurstThenRefuseWithTheSecondsToWait() {
        // given 2 a second, in bursts of 4
        RateLimiter limiter = limiter(2, 4, 100);

        // when a client sends 4 at once, then a fifth
        long allowed = allowed(limiter, "10.0.0.1", 4);
        RateLimiter.Decision fifth = limiter.acquire("10.0.0.1");

        // then
        assertThat(allowed).isEqualTo(4);
        assertThat(fifth.allowed()).isFalse();
        assertThat(fifth.retryAfterSeconds()).isEqualTo(1);
    }

    @Test
    void shouldRefillAtTheRate() {
        // given a drained bucket at 2 a second
        RateLimiter limiter = limiter(2, 4, 100);
        allowed(limiter, "10.0.0.1", 4);

        // when half a second passes
        advance(Duration.ofMillis(500));

        // then one more goes through, and the next does not
        assertThat(limiter.acquire("10.0.0.1").allowed()).isTrue();
        assertThat(limiter.acquire("10.0.0.1").allowed()).isFalse();
    }

    @Test
    void shouldNeverSaveMoreThanTheBurst() {
        // given a client that stayed away for an hour
        RateLimiter limiter = limiter(2, 4, 100);
        limiter.acquire("10.0.0.1");
        advance(Duration.ofHours(1));

        // when it sends 10 at once
        long allowed = allowed(limiter, "10.0.0.1", 10);

        // then only a burst goes through
        assertThat(allowed).isEqualTo(4);
    }

    @Test
    void shouldRoundTheWaitUpToWholeSeconds() {
        // given one every 4 seconds
        RateLimiter limiter = limiter(0.25, 1, 100);
        limiter.acquire("10.0.0.1");

        // when / then
        assertThat(limiter.acquire("10.0.0.1").retryAfterSeconds()).isEqualTo(4);
        advance(Duration.ofMillis(3_500));
        assertThat(limiter.acquire("10.0.0.1").retryAfterSeconds()).isEqualTo(1);
    }

    @Test
    void shouldLimitEachClientAddressOnItsOwn() {
        // given one client that used its burst
        RateLimiter limiter = limiter(1, 2, 100);
        allowed(limiter, "10.0.0.1", 2);

        // when / then another still gets its own
        assertThat(limiter.acquire("10.0.0.1").allowed()).isFalse();
        assertThat(allowed(limiter, "10.0.0.2", 2)).isEqualTo(2);
    }

    @Test
    void shouldKeepBucketsForTheMostRecentClientsOnly() {
        // given room for 2 clients
        RateLimiter limiter = limiter(1, 1, 2);

        // when 3 clients come, the first one longest ago
        limiter.acquire("10.0.0.1");
        limiter.acquire("10.0.0.2");
        limiter.acquire("10.0.0.3");

        // then memory stays bounded, and the forgotten client starts with a full bucket
        assertThat(limiter.clients()).isEqualTo(2);
        assertThat(limiter.acquire("10.0.0.1").allowed()).isTrue();
        assertThat(limiter.acquire("10.0.0.3").allowed()).isFalse();
    }

    @Test
    void shouldNotRefillWhenTheClockGoesBackwards() {
        // given a drained bucket
        RateLimiter limiter = limiter(1, 1, 100);
        limiter.acquire("10.0.0.1");

        // when the clock goes back
        advance(Duration.ofSeconds(-10));

        // then nothing was gained
        assertThat(limiter.acquire("10.0.0.1").allowed()).isFalse();
    }
}
