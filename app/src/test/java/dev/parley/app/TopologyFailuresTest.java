package dev.parley.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.errors.TopicAuthorizationException;
import org.apache.kafka.common.errors.TransactionAbortableException;
import org.apache.kafka.streams.errors.MissingSourceTopicException;
import org.apache.kafka.streams.errors.StreamsException;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse;
import org.junit.jupiter.api.Test;

class TopologyFailuresTest {

    private final AtomicLong now = new AtomicLong(Duration.ofDays(1).toMillis());
    private final TopologyFailures failures = new TopologyFailures(now::get);

    @Test
    void shouldReplaceAThreadThatDiedBecauseKafkaWasOutOfReachForTooLong() {
        // given the errors a stream thread ends with when the broker was down or paused past delivery.timeout.ms
        var commitFailed = new StreamsException("Error encountered trying to commit a transaction",
                new TransactionAbortableException("Transaction Request was aborted after exhausting retries.",
                        new TimeoutException("Expiring 1 record(s) for parley.status-changes-0: 6006 ms has passed since batch creation")));
        var sendFailed = new StreamsException("Error encountered trying to send record to topic parley.status",
                new KafkaException("Cannot execute transactional method because we are in an error state",
                        new KafkaException("The client hasn't received acknowledgment for some previously sent messages and can no "
                                + "longer retry them. It is safe to abort the transaction and continue.")));

        // when / then: the thread is replaced, and resumes from the last commit
        assertThat(failures.handle(commitFailed)).isEqualTo(StreamThreadExceptionResponse.REPLACE_THREAD);
        assertThat(failures.handle(sendFailed)).isEqualTo(StreamThreadExceptionResponse.REPLACE_THREAD);
    }

    @Test
    void shouldStopTheTopologyOnAnErrorThatRetryingDoesNotMend() {
        assertThat(failures.handle(new StreamsException(new TopicAuthorizationException(Set.of("parley.status")))))
                .isEqualTo(StreamThreadExceptionResponse.SHUTDOWN_CLIENT);
        assertThat(failures.handle(new MissingSourceTopicException("parley.developments is missing")))
                .isEqualTo(StreamThreadExceptionResponse.SHUTDOWN_CLIENT);
        assertThat(failures.handle(new StreamsException(new OutOfMemoryError("Java heap space"))))
                .isEqualTo(StreamThreadExceptionResponse.SHUTDOWN_CLIENT);
    }

    @Test
    void shouldStopTheTopologyWhenThreadsKeepDying() {
        // given as many replacements as allowed within the window
        var failed = new StreamsException(new KafkaException("Cannot execute transactional method because we are in an error state"));
        for (int i = 0; i < TopologyFailures.MAX_REPLACEMENTS; i++) {
            assertThat(failures.handle(failed)).isEqualTo(StreamThreadExceptionResponse.REPLACE_THREAD);
            now.addAndGet(Duration.ofMinutes(1).toMillis());
        }

        // when / then: one more within the window stops the topology, but one once the oldest has left it is replaced
        assertThat(failures.handle(failed)).isEqualTo(StreamThreadExceptionResponse.SHUTDOWN_CLIENT);
        now.addAndGet(TopologyFailures.WINDOW.minusMinutes(TopologyFailures.MAX_REPLACEMENTS).toMillis());
        assertThat(failures.handle(failed)).isEqualTo(StreamThreadExceptionResponse.REPLACE_THREAD);
    }
}
