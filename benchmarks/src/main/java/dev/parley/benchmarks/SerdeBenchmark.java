package dev.parley.benchmarks;

import dev.parley.schemas.AvroSerde;
import dev.parley.schemas.Development;
import dev.parley.schemas.NegotiationStatus;
import dev.parley.schemas.Topics;
import dev.parley.streams.StatusTopology;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.apache.kafka.common.serialization.Serde;

/**
 * Avro single-object encoding and decoding with the topics' own serde ({@link AvroSerde}): a development, and a
 * negotiation's view after a small and a large history.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(value = 1, jvmArgsAppend = {"-Xms2g", "-Xmx2g"})
@Warmup(iterations = 5, time = 2) // settled after 4-6 s here, later when the machine is busy
@Measurement(iterations = 5, time = 1)
public class SerdeBenchmark {

    /** Generated developments of every type, taken in turn. */
    @State(Scope.Thread)
    public static class Developments {
        final AvroSerde<Development> serde = AvroSerde.of(Development.class);
        Development[] developments;
        byte[][] encoded;
        private int next;

        @Setup
        public void generate() {
            List<Development> generated = new History(10).next();
            developments = generated.toArray(Development[]::new);
            encoded = generated.stream().map(d -> serde.serialize(Topics.DEVELOPMENTS, d)).toArray(byte[][]::new);
        }

        int next() {
            int i = next;
            next = (i + 1) % developments.length;
            return i;
        }
    }

    /** The view of a negotiation after {@code history} developments. */
    @State(Scope.Thread)
    public static class View {
        @Param({"10", "1000"})
        int history;

        final AvroSerde<NegotiationStatus> serde = AvroSerde.of(NegotiationStatus.class);
        NegotiationStatus view;
        byte[] encoded;

        @Setup
        public void fold() {
            view = new History(history).status;
            encoded = serde.serialize(Topics.STATUS, view);
        }
    }

    /**
     * A negotiation's successive views after {@code history} developments, one more development folded into each, as
     * the topology publishes them; written by Avro's own serde and by the topology's, which reuses the bytes of the items
     * a view shares with the one before.
     */
    @State(Scope.Thread)
    public static class NextViews {
        @Param({"10", "1000"})
        int history;

        final AvroSerde<NegotiationStatus> avro = AvroSerde.of(NegotiationStatus.class);
        final Serde<NegotiationStatus> topologys = StatusTopology.viewSerde(AvroSerde.of(NegotiationStatus.class));
        NegotiationStatus[] views;
        private int next;

        @Setup
        public void fold() {
            History negotiation = new History(history);
            List<Development> developments = negotiation.next();
            views = new NegotiationStatus[developments.size()];
            for (int i = 0; i < views.length; i++) {
                views[i] = negotiation.fold.apply(negotiation.inOrder(developments.get(i), i)).status();
            }
        }

        NegotiationStatus next() {
            NegotiationStatus view = views[next];
            next = (next + 1) % views.length;
            return view;
        }
    }

    @Benchmark
    public byte[] encodeNextView(NextViews state) {
        return state.avro.serialize(Topics.STATUS, state.next());
    }

    @Benchmark
    public byte[] encodeNextViewReusingItems(NextViews state) {
        return state.topologys.serializer().serialize(Topics.STATUS, state.next());
    }

    @Benchmark
    public byte[] encodeDevelopment(Developments state) {
        return state.serde.serialize(Topics.DEVELOPMENTS, state.developments[state.next()]);
    }

    @Benchmark
    public Development decodeDevelopment(Developments state) {
        return state.serde.deserialize(Topics.DEVELOPMENTS, state.encoded[state.next()]);
    }

    @Benchmark
    public byte[] encodeView(View state) {
        return state.serde.serialize(Topics.STATUS, state.view);
    }

    @Benchmark
    public NegotiationStatus decodeView(View state) {
        return state.serde.deserialize(Topics.STATUS, state.encoded);
    }
}
