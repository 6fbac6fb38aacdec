package dev.parley.consumer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class RetryPolicyTest {

    private final RetryPolicy policy = new RetryPolicy(8, Duration.ofMillis(200), Duration.ofSeconds(10));

    @Test
    void shouldDoubleTheCeilingEachAttemptUpToTheMaximum() {
        // when the random share is at its top
        // then the waits double from the first delay and stop at the maximum
        assertThat(policy.delayBefore(2, () -> 0.999_999)).isEqualTo(Duration.ofMillis(199));
        assertThat(policy.delayBefore(3, () -> 0.999_999)).isEqualTo(Duration.ofMillis(399));
        assertThat(policy.delayBefore(7, () -> 0.999_999)).isEqualTo(Duration.ofMillis(6399));
        assertThat(policy.delayBefore(8, () -> 0.999_999)).isEqualTo(Duration.ofMillis(9999));
        assertThat(policy.delayBefore(60, () -> 0.999_999)).isEqualTo(Duration.ofMillis(9999));
    }

    @Test
    void shouldSpreadWaitsWithFullJitter() {
        assertThat(policy.delayBefore(5, () -> 0.0)).isEqualTo(Duration.ZERO);
        assertThat(policy.delayBefore(5, () -> 0.5)).isEqualTo(Duration.ofMillis(800));
    }

    @Test
    void shouldStopRetryingAfterTheLastAttempt() {
        assertThat(policy.shouldRetryAfter(7)).isTrue();
        assertThat(policy.shouldRetryAfter(8)).isFalse();
    }

    @Test
    void shouldRefuseAPolicyThatCannotWork() {
        assertThatThrownBy(() -> new RetryPolicy(0, Duration.ZERO, Duration.ZERO)).hasMessageContaining("maxAttempts: 0");
        assertThatThrownBy(() -> new RetryPolicy(3, Duration.ofSeconds(2), Duration.ofSeconds(1))).hasMessageContaining("first <= max");
    }
}
