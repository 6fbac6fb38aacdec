package dev.parley.streams;

import dev.parley.schemas.Development;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * How the cost of folding one development grows with the size of its negotiation's history: {@link StatusFold}
 * on sorted in-memory storage (the same O(log n) operations the topology does on RocksDB), plus writing the new
 * view as Avro as the status store does; histories of 10, 1,000 and 100,000 developments, then timed batches of
 * in-order, late and corrected developments. Kafka and RocksDB I/O are not in it (the pipeline benchmark measures
 * those). Ratios to the smallest history are what to read: absolute times move with the machine.
 * Run: see README ("Benchmarks").
 */
public final class FoldBenchmark {

    private static final int BATCH = 2_000;

    public static void main(String[] args) throws Exception {
        int[] sizes = args.length > 0 ? java.util.Arrays.stream(args).mapToInt(Integer::parseInt).toArray() : new int[] {10, 1_000, 100_000};
        System.out.printf(Locale.ROOT, "%10s %14s %14s %14s %16s%n", "history", "in-order µs", "late µs", "corrected µs", "index entries/dev");
        double[] base = null;
        for (int size : sizes) {
            double[] result = measure(size);
            if (base == null) {
                base = result;
            }
            System.out.printf(Locale.ROOT, "%10d %8.1f (x%.1f) %7.1f (x%.1f) %7.1f (x%.1f) %16.1f%n", size,
                    result[0], result[0] / base[0], result[1], result[1] / base[1], result[2], result[2] / base[2], result[3]);
        }
    }

    /** µs per in-order, late and corrected development, and index entries per development, after {@code size} in order. */
    private static double[] measure(int size) throws Exception {
        var generator = new RandomDevelopments(size, 1);
        int days = size + 2 * BATCH + 10;
        Instant reported = Instant.parse("2020-01-01T00:00:00Z");
        List<Development> history = new ArrayList<>();
        var topology = new Folder();
        {
            for (int day = 0; day < size; day++) {
                reported = reported.plusSeconds(60);
                history.add(generator.next(day, reported));
            }
            topology.preload(history);
            // warm the JIT on the same kind of work so the first timed batch is not the slowest
            timed(topology, inOrder(generator, size, 200, reported));

            List<Development> late = new ArrayList<>();
            for (int i = 0; i < BATCH; i++) {
                late.add(generator.next(generator.random().nextInt(Math.max(1, size)), reported.plusSeconds(86_400L + i)));
            }
            List<Development> corrections = new ArrayList<>();
            for (int i = 0; i < BATCH / 4; i++) {
                corrections.add(generator.correction(history.get(generator.random().nextInt(history.size()))));
            }
            double inOrder = timed(topology, inOrder(generator, size + 200, BATCH, reported.plusSeconds(3_600)));
            double lateCost = timed(topology, late);
            double corrected = timed(topology, corrections);
            long entries = topology.index.entryCount();
            System.err.printf(Locale.ROOT, "history %d: view written as %d bytes on average%n", size,
                    topology.bytesWritten / (200 + 2 * BATCH + BATCH / 4));
            return new double[] {inOrder, lateCost, corrected, (double) entries / (size + 200 + 2 * BATCH + BATCH / 4)};
        }
    }

    /** What the topology's processor does per development, without Kafka: fold, then write the view as Avro. */
    private static final class Folder {
        private final CountingIndex index;
        private final StatusFold fold;
        private final dev.parley.schemas.AvroSerde<dev.parley.schemas.NegotiationStatus> serde =
                dev.parley.schemas.AvroSerde.of(dev.parley.schemas.NegotiationStatus.class);
        private dev.parley.schemas.NegotiationStatus status = StatusFold.empty(RandomDevelopments.NEGOTIATION);
        long bytesWritten;

        Folder() {
            this.index = new CountingIndex();
            this.fold = new StatusFold(index.index);
        }

        /** Folds without writing the view: to build a long history quickly before timing. */
        void preload(List<Development> batch) {
            batch.forEach(d -> status = fold.apply(status, d).status());
        }

        void publish(List<Development> batch) {
            for (Development d : batch) {
                status = fold.apply(status, d).status();
                bytesWritten += serde.serialize("status", status).length;
            }
        }
    }

    /** An in-memory index that can say how many item entries it holds. */
    private static final class CountingIndex {
        private final java.util.concurrent.atomic.AtomicLong entries = new java.util.concurrent.atomic.AtomicLong();
        private final DevelopmentIndex index;

        CountingIndex() {
            SortedKeyValues<String> items = SortedKeyValues.inMemory();
            this.index = new DevelopmentIndex(SortedKeyValues.inMemory(), SortedKeyValues.inMemory(), new SortedKeyValues<>() {
                public String get(String key) {
                    return items.get(key);
                }

                public void put(String key, String value) {
                    if (items.get(key) == null) {
                        entries.incrementAndGet();
                    }
                    items.put(key, value);
                }

                public void delete(String key) {
                    if (items.get(key) != null) {
                        entries.decrementAndGet();
                    }
                    items.delete(key);
                }

                public List<String> withPrefix(String prefix, int limit, boolean fromEnd) {
                    return items.withPrefix(prefix, limit, fromEnd);
                }
            });
        }

        long entryCount() {
            return entries.get();
        }
    }

    private static List<Development> inOrder(RandomDevelopments generator, int fromDay, int count, Instant reported) {
        List<Development> batch = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            batch.add(generator.next(fromDay + i, reported.plusSeconds(60L * (i + 1))));
        }
        return batch;
    }

    private static double timed(Folder topology, List<Development> batch) {
        long start = System.nanoTime();
        topology.publish(batch);
        return (System.nanoTime() - start) / 1_000.0 / batch.size();
    }

    private FoldBenchmark() {
    }
}
