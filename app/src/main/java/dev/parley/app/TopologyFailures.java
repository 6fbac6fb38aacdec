package dev.parley.app;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.function.LongSupplier;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.errors.AuthenticationException;
import org.apache.kafka.common.errors.AuthorizationException;
import org.apache.kafka.common.errors.InvalidConfigurationException;
import org.apache.kafka.common.errors.UnsupportedVersionException;
import org.apache.kafka.streams.errors.MissingSourceTopicException;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler;
import org.apache.kafka.streams.errors.TopologyException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the status topology does when one of its stream threads dies.
 *
 * <p>Kafka out of reach for longer than the clients' timeouts (a broker stopped, killed or paused past the producer's
 * {@code delivery.timeout.ms}) leaves the thread's transactional producer in an abortable state, and Kafka Streams 4.4
 * lets the next send or commit end the thread ({@code TransactionAbortableException}, "Cannot execute transactional
 * method because we are in an error state"). Shutting the whole topology down for that would leave Parley running
 * with a dead topology until someone restarts it. Under exactly-once, replacing the thread is safe: its open transaction
 * is aborted, and the new thread resumes from the last commit. So the thread is replaced, unless the error is one that
 * retrying cannot mend (authentication, authorization, configuration, a missing topic, a JVM error), or threads keep
 * dying ({@value #MAX_REPLACEMENTS} replacements within {@link #WINDOW}): then the topology stops, and {@code /health}
 * says so.
 */
final class TopologyFailures implements StreamsUncaughtExceptionHandler {

    static final int MAX_REPLACEMENTS = 5;
    static final Duration WINDOW = Duration.ofMinutes(10);

    private static final Logger log = LoggerFactory.getLogger(TopologyFailures.class);

    private final LongSupplier clockMillis;
    private final Deque<Long> replacements = new ArrayDeque<>();

    TopologyFailures(LongSupplier clockMillis) {
        this.clockMillis = clockMillis;
    }

    @Override
    public synchronized StreamThreadExceptionResponse handle(Throwable e) {
        if (permanent(e)) {
            log.error("Status topology failed, and retrying would not help: {}", e.toString(), e);
            return StreamThreadExceptionResponse.SHUTDOWN_CLIENT;
        }
        long now = clockMillis.getAsLong();
        while (!replacements.isEmpty() && replacements.peekFirst() <= now - WINDOW.toMillis()) {
            replacements.removeFirst();
        }
        if (replacements.size() >= MAX_REPLACEMENTS) {
            log.error("Status topology failed again, after {} stream threads replaced within {} min: {}", replacements.size(),
                    WINDOW.toMinutes(), e.toString(), e);
            return StreamThreadExceptionResponse.SHUTDOWN_CLIENT;
        }
        replacements.addLast(now);
        log.warn("Status topology thread failed ({}); replacing it: it resumes from the last commit", rootCause(e).toString(), e);
        return StreamThreadExceptionResponse.REPLACE_THREAD;
    }

    /** Whether an error says something is wrong for good, rather than that Kafka could not be reached in time. */
    static boolean permanent(Throwable e) {
        for (Throwable cause = e; cause != null; cause = cause.getCause() == cause ? null : cause.getCause()) {
            if (cause instanceof Error || cause instanceof AuthenticationException || cause instanceof AuthorizationException
                    || cause instanceof UnsupportedVersionException || cause instanceof ConfigException
                    || cause instanceof InvalidConfigurationException || cause instanceof MissingSourceTopicException
                    || cause instanceof TopologyException) {
                return true;
            }
        }
        return false;
    }

    private static Throwable rootCause(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root;
    }
}
