package dev.parley.app;

import dev.parley.producer.DevelopmentPublisher;
import dev.parley.schemas.Development;
import dev.parley.schemas.json.AvroJson;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.Collections;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Publishes batches of valid developments to the log of record at most once per (negotiation, development id,
 * revision), and answers only once Kafka has acknowledged the whole batch.
 *
 * <p>A development is a duplicate when the topology's state already holds its revision or a newer one, or when this
 * intake published (or is publishing) it recently: the topology takes a moment to fold what was just written. A batch
 * sent again gets the answer the first one got, while it is remembered; a batch that was not acknowledged is
 * forgotten, so sending it again publishes whatever did not get through.
 */
final class DevelopmentIntake {

    /** The developments the topology has folded, by negotiation and development id. */
    @FunctionalInterface
    interface Folded {
        /** @throws org.apache.kafka.streams.errors.InvalidStateStoreException while the state cannot be read */
        Optional<Development> find(String negotiationId, String developmentId);
    }

    /** What became of a batch. */
    sealed interface Outcome {
    }

    /** Kafka holds every development of the batch; {@code published} marks, by position, those this batch wrote. */
    record Accepted(BitSet published) implements Outcome {
    }

    /** Kafka did not acknowledge the whole batch in time; {@code acknowledged} of {@code total} it did. */
    record NotAcknowledged(int acknowledged, int total, String reason) implements Outcome {
    }

    static final int RECENT_DEVELOPMENTS = 10_000;
    static final int REMEMBERED_BATCHES = 1_000;

    private final DevelopmentPublisher publisher;
    private final Folded folded;
    private final Duration ackTimeout;
    // Each map has its own monitor, never held while waiting: producer callbacks take it on Kafka's I/O thread.
    private final Map<String, Recent> recent = boundedMap(RECENT_DEVELOPMENTS);
    private final Map<String, CompletableFuture<Outcome>> batches = boundedMap(REMEMBERED_BATCHES);
    // Held from the duplicate check to the send, so two requests never both publish the same development.
    private final Object publishing = new Object();

    DevelopmentIntake(DevelopmentPublisher publisher, Folded folded, Duration ackTimeout) {
        this.publisher = publisher;
        this.folded = folded;
        this.ackTimeout = ackTimeout;
    }

    /**
     * Publishes what is new in the batch and waits, at most the acknowledgement timeout, until Kafka has it all.
     *
     * @throws org.apache.kafka.streams.errors.InvalidStateStoreException while the topology's state cannot be read;
     *     nothing was published then
     */
    Outcome submit(List<Development> batch) throws InterruptedException {
        String fingerprint = fingerprint(batch);
        CompletableFuture<Outcome> earlier;
        var mine = new CompletableFuture<Outcome>();
        List<CompletableFuture<?>> acknowledgements = null;
        BitSet published = new BitSet(batch.size());
        synchronized (publishing) {
            earlier = batches.get(fingerprint);
            if (earlier == null) {
                acknowledgements = publishNew(batch, published);
                batches.put(fingerprint, mine);
            }
        }
        if (earlier != null) {
            return awaitEarlier(earlier, batch.size());
        }
        Outcome outcome = null;
        try {
            outcome = await(acknowledgements, published);
            return outcome;
        } finally {
            // Whatever happened, the same batch sent again must not wait on an answer that never comes.
            if (!(outcome instanceof Accepted)) {
                batches.remove(fingerprint, mine);
            }
            mine.complete(outcome != null ? outcome : new NotAcknowledged(0, batch.size(), "interrupted while waiting for Kafka"));
        }
    }

    /** Sends each development that is neither folded nor recently published; returns what each one waits on. */
    private List<CompletableFuture<?>> publishNew(List<Development> batch, BitSet published) {
        // Every lookup before any send: if the state cannot be read, nothing of the batch is written.
        int[] foldedRevisions = new int[batch.size()];
        for (int i = 0; i < batch.size(); i++) {
            Development d = batch.get(i);
            foldedRevisions[i] = folded.find(d.getNegotiationId(), d.getDevelopmentId()).map(Development::getRevision).orElse(0);
        }
        List<CompletableFuture<?>> acknowledgements = new ArrayList<>(batch.size());
        for (int i = 0; i < batch.size(); i++) {
            Development d = batch.get(i);
            String key = d.getNegotiationId() + "\u0000" + d.getDevelopmentId(); // ids are unique within a negotiation
            Recent seen = recent.get(key);
            if (seen != null && seen.revision() >= d.getRevision()) {
                acknowledgements.add(seen.acknowledged()); // a duplicate is accepted only once its original is acknowledged
            } else if (foldedRevisions[i] >= d.getRevision()) {
                acknowledgements.add(CompletableFuture.completedFuture(null));
            } else {
                CompletableFuture<?> acknowledged = send(d);
                var sent = new Recent(d.getRevision(), acknowledged);
                recent.put(key, sent);
                // Forget what Kafka refused, so sending it again publishes it; remove(key, sent) keeps a newer revision.
                acknowledged.whenComplete((metadata, error) -> {
                    if (error != null) {
                        recent.remove(key, sent);
                    }
                });
                acknowledgements.add(acknowledged);
                published.set(i);
            }
        }
        return acknowledgements;
    }

    private CompletableFuture<?> send(Development development) {
        try {
            return publisher.publish(development);
        } catch (RuntimeException e) { // e.g. the producer is closed, or metadata did not arrive within max.block.ms
            return CompletableFuture.failedFuture(e);
        }
    }

    private Outcome await(List<CompletableFuture<?>> acknowledgements, BitSet published) throws InterruptedException {
        try {
            CompletableFuture.allOf(acknowledgements.toArray(CompletableFuture[]::new)).get(ackTimeout.toMillis(), TimeUnit.MILLISECONDS);
            return new Accepted(published);
        } catch (ExecutionException e) {
            return notAcknowledged(acknowledgements, rootMessage(e.getCause()));
        } catch (TimeoutException e) {
            return notAcknowledged(acknowledgements, "no acknowledgement within " + ackTimeout.toSeconds() + " s");
        }
    }

    private Outcome awaitEarlier(CompletableFuture<Outcome> earlier, int total) throws InterruptedException {
        try {
            return earlier.get(ackTimeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            return new NotAcknowledged(0, total, rootMessage(e.getCause()));
        } catch (TimeoutException e) {
            return new NotAcknowledged(0, total, "the same batch, sent earlier, is still waiting for Kafka after "
                    + ackTimeout.toSeconds() + " s");
        }
    }

    private static Outcome notAcknowledged(List<CompletableFuture<?>> acknowledgements, String reason) {
        int acknowledged = (int) acknowledgements.stream().filter(f -> f.isDone() && !f.isCompletedExceptionally()).count();
        return new NotAcknowledged(acknowledged, acknowledgements.size(), reason);
    }

    private static String rootMessage(Throwable error) {
        Throwable root = error;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root.getClass().getSimpleName() + ": " + root.getMessage();
    }

    /** The same developments in the same order give the same fingerprint, however their JSON was spaced or ordered. */
    private static String fingerprint(List<Development> batch) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            for (Development d : batch) {
                sha.update(AvroJson.toJsonString(d).getBytes(StandardCharsets.UTF_8));
                sha.update((byte) '\n');
            }
            return HexFormat.of().formatHex(sha.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("Every JDK has SHA-256", e);
        }
    }

    private static <V> Map<String, V> boundedMap(int maxEntries) {
        return Collections.synchronizedMap(new LinkedHashMap<>(16, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, V> eldest) {
                return size() > maxEntries;
            }
        });
    }

    private record Recent(int revision, CompletableFuture<?> acknowledged) {
    }
}
