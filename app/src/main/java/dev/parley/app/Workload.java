package dev.parley.app;

import dev.parley.schemas.Development;
import dev.parley.streams.RandomDevelopments;
import java.util.HashMap;
import java.util.Map;
import java.util.Random;

/**
 * Generated developments for {@code parley bench}: many negotiations, each with its parties, issues, meetings, claims
 * and sources; a share reported days after they happened (late), and one in twenty correcting the negotiation's
 * previous development. Seeded: the same seed, the same developments.
 */
final class Workload {

    private final long seed;
    private final int negotiations;
    private final String prefix;
    private final Random pick;
    private final Map<Integer, RandomDevelopments> generators = new HashMap<>();
    private final Map<Integer, Development> last = new HashMap<>();

    Workload(long seed, int negotiations, String prefix) {
        this.seed = seed;
        this.negotiations = negotiations;
        this.prefix = prefix;
        this.pick = new Random(seed);
    }

    /** The next development, of a negotiation picked at random. */
    Development next() {
        int negotiation = pick.nextInt(negotiations);
        RandomDevelopments generator = generators.computeIfAbsent(negotiation,
                n -> new RandomDevelopments(seed * 1_000_003L + n, 30, prefix + n));
        Development previous = last.get(negotiation);
        Development development = previous != null && generator.chance(20) ? generator.correction(previous) : generator.next();
        last.put(negotiation, development);
        return development;
    }

    /** A workload of the same shape over other negotiations. */
    Workload others() {
        return new Workload(seed + 1_000, negotiations, prefix + "others-");
    }

    int negotiations() {
        return negotiations;
    }
}
