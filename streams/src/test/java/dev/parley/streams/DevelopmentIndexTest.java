package dev.parley.streams;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.schemas.Development;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class DevelopmentIndexTest {

    private static final ItemKey ITEM = ItemKey.of(ItemKey.Kind.STATEMENTS, "statement:0");
    private static final int LIMIT = 5;

    @Test
    void shouldAnswerWhatItsStorageHoldsWhateverWasAddedAndRemovedAndInWhichOrder() {
        for (long seed = 0; seed < 20; seed++) {
            // given an index, and another over the same storage that has never kept anything as objects
            SortedKeyValues<Development> developments = SortedKeyValues.inMemory();
            SortedKeyValues<String> entries = SortedKeyValues.inMemory();
            DevelopmentIndex index = new DevelopmentIndex(developments, SortedKeyValues.inMemory(), entries);
            var generated = new RandomDevelopments(seed, 30, "talks");
            Random random = new Random(seed);
            List<Development> indexed = new ArrayList<>();

            for (int step = 0; step < 300; step++) {
                // when developments about one item come and go, in any order, read between times
                if (indexed.isEmpty() || random.nextInt(3) > 0) {
                    Development d = generated.next();
                    index.store(d);
                    index.add(d, ITEM);
                    indexed.add(d);
                } else {
                    index.remove(indexed.remove(random.nextInt(indexed.size())), ITEM);
                }
                if (random.nextBoolean()) {
                    index.latest("talks", ITEM, LIMIT);
                    index.earliest("talks", ITEM);
                }

                // then it answers as the storage does
                DevelopmentIndex fresh = new DevelopmentIndex(developments, SortedKeyValues.inMemory(), entries);
                assertThat(index.latest("talks", ITEM, LIMIT)).as("seed %d, step %d", seed, step)
                        .isEqualTo(fresh.latest("talks", ITEM, LIMIT))
                        .isEqualTo(last(indexed.stream().sorted(Chronology.ORDER).toList(), LIMIT));
                assertThat(index.earliest("talks", ITEM)).as("seed %d, step %d", seed, step)
                        .isEqualTo(indexed.stream().min(Chronology.ORDER).orElse(null));
            }
        }
    }

    private static <T> List<T> last(List<T> items, int count) {
        return items.subList(Math.max(0, items.size() - count), items.size());
    }
}
