package dev.parley.benchmarks;

import dev.parley.schemas.Change;
import dev.parley.schemas.Development;
import dev.parley.schemas.NegotiationStatus;
import dev.parley.streams.ChangeDetection;
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
import org.openjdk.jmh.annotations.Warmup;

/**
 * Change detection between two consecutive views, the view after {@code history} developments and after one more
 * in order: which parts of the view differ, what kind of change each is, and both values as JSON (what the fold
 * does after recomputing the items a development touched).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(value = 1, jvmArgsAppend = {"-Xms2g", "-Xmx2g"})
@Warmup(iterations = 5, time = 2) // settled after 4-6 s here, later when the machine is busy
@Measurement(iterations = 5, time = 1)
public class ChangeDetectionBenchmark {

    @Param({"10", "1000"})
    int history;

    NegotiationStatus before;
    NegotiationStatus[] after;
    ChangeDetection[] detection;
    private int next;

    @Setup(Level.Trial)
    public void foldViews() {
        History negotiation = new History(history);
        before = negotiation.status;
        List<Development> next = negotiation.next();
        after = new NegotiationStatus[next.size()];
        detection = new ChangeDetection[next.size()];
        for (int i = 0; i < next.size(); i++) {
            Development d = negotiation.inOrder(next.get(i), i);
            after[i] = negotiation.fold.apply(before, d).status();
            detection[i] = ChangeDetection.after(d);
            negotiation.fold.takeBack(d);
        }
    }

    @Benchmark
    public List<Change> consecutiveViews() {
        int i = next;
        next = (i + 1) % History.NEXT;
        return detection[i].between(before, after[i]);
    }
}
