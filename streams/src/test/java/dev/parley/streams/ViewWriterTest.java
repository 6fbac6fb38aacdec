package dev.parley.streams;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.schemas.AvroSerde;
import dev.parley.schemas.Development;
import dev.parley.schemas.NegotiationStatus;
import dev.parley.schemas.Topics;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.apache.kafka.common.serialization.Serde;
import org.junit.jupiter.api.Test;

class ViewWriterTest {

    private final AvroSerde<NegotiationStatus> avro = AvroSerde.of(NegotiationStatus.class);
    private final Serde<NegotiationStatus> topologys = StatusTopology.viewSerde(AvroSerde.of(NegotiationStatus.class));

    @Test
    void shouldWriteEachViewAsAvrosOwnWriterDoesWhileReusingItsItemsBytes() {
        // given views folded one development after another for more negotiations than the writer keeps items of,
        // interleaved, with corrections, retractions, new revisions and duplicates
        int negotiations = ViewWriter.NEGOTIATIONS + 4;
        var fold = StatusFold.inMemory();
        var random = new Random(20251202);
        Map<Integer, RandomDevelopments> generators = new HashMap<>();
        Map<Integer, List<Development>> histories = new HashMap<>();
        for (int step = 0; step < 6_000; step++) {
            // mostly the busiest few, sometimes any: both reused and evicted items get written
            int n = random.nextInt(4) > 0 ? random.nextInt(8) : random.nextInt(negotiations);
            var generator = generators.computeIfAbsent(n, k -> new RandomDevelopments(k, 30, "negotiation-" + k));
            List<Development> history = histories.computeIfAbsent(n, k -> new ArrayList<>());
            Development development = next(generator, history);
            history.add(development);
            NegotiationStatus view = fold.apply(development).status();

            // when the topology's serde writes it
            byte[] written = topologys.serializer().serialize(Topics.STATUS, view);

            // then the bytes are Avro's own, and read back as the same view
            assertThat(written).as("step %d, %s", step, view.getNegotiationId()).isEqualTo(avro.serialize(Topics.STATUS, view));
            assertThat(topologys.deserializer().deserialize(Topics.STATUS, written)).isEqualTo(view);
        }
    }

    @Test
    void shouldWriteAViewReadBackFromItsStoreAsAvrosOwnWriterDoes() {
        // given a view folded, written, and read back as a new object (after a restart, from the store)
        var generator = new RandomDevelopments(7, 30, "negotiation-7");
        var fold = StatusFold.inMemory();
        NegotiationStatus view = null;
        for (int i = 0; i < 200; i++) {
            view = fold.apply(generator.next()).status();
        }
        NegotiationStatus restored = topologys.deserializer().deserialize(Topics.STATUS, topologys.serializer().serialize(Topics.STATUS, view));

        // when the topology's serde writes it, and then the view after the next development, which changes a few items
        byte[] writtenRestored = topologys.serializer().serialize(Topics.STATUS, restored);
        NegotiationStatus next = fold.apply(generator.next()).status();

        // then the bytes are Avro's own
        assertThat(writtenRestored).isEqualTo(avro.serialize(Topics.STATUS, restored));
        assertThat(topologys.serializer().serialize(Topics.STATUS, next)).isEqualTo(avro.serialize(Topics.STATUS, next));
    }

    private static Development next(RandomDevelopments generator, List<Development> history) {
        if (!history.isEmpty() && generator.chance(6)) {
            Development some = history.get(generator.random().nextInt(history.size()));
            return switch (generator.random().nextInt(4)) {
                case 0 -> generator.correction(some);
                case 1 -> generator.retraction(some);
                case 2 -> generator.revision(some);
                default -> some; // a duplicate
            };
        }
        return generator.next();
    }
}
