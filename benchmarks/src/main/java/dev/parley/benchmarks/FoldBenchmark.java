package dev.parley.benchmarks;

import dev.parley.schemas.Development;
import dev.parley.streams.StatusFold;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The cost of folding one development into a negotiation whose history already holds {@code history} developments,
 * on the fold's in-memory storage (sorted maps, the same O(log n) reads and writes the topology makes on RocksDB):
 * a development in order, and one that arrives late, dated in the middle of the history. The cost should not grow
 * with the history: each within 2x of the others, in the same run.
 *
 * <p>Each invocation folds one of {@link History#NEXT} developments into the same history, and the fold then takes
 * it back out (outside the timing: invocation-level teardown, sound here because one fold takes microseconds, far
 * above the cost of reading the clock). Taking it back leaves the fold's caches empty but for the negotiation's view,
 * so each measured fold reads the rest of what it needs from storage.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(value = 1, jvmArgsAppend = {"-Xms6g", "-Xmx6g"})
@Warmup(iterations = 5, time = 2) // settled after 4-6 s here, later when the machine is busy
@Measurement(iterations = 5, time = 1)
public class FoldBenchmark {

    @Param({"10", "1000", "100000", "1000000"})
    int history;

    History negotiation;
    Development[] inOrder;
    Development[] late;
    private Development folded;
    private int next;

    @Setup(Level.Trial)
    public void foldHistory() {
        negotiation = new History(history);
        List<Development> next = negotiation.next();
        inOrder = new Development[next.size()];
        late = new Development[next.size()];
        for (int i = 0; i < next.size(); i++) {
            inOrder[i] = negotiation.inOrder(next.get(i), i);
            late[i] = negotiation.late(next.get(i), i);
        }
    }

    @Benchmark
    public StatusFold.Outcome inOrderDevelopment() {
        folded = inOrder[next];
        return negotiation.fold.apply(folded);
    }

    @Benchmark
    public StatusFold.Outcome lateDevelopment() {
        folded = late[next];
        return negotiation.fold.apply(folded);
    }

    @TearDown(Level.Invocation)
    public void takeBack() {
        negotiation.fold.takeBack();
        next = (next + 1) % History.NEXT;
    }
}
