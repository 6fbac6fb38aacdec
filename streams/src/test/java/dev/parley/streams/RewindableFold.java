package dev.parley.streams;

import dev.parley.schemas.Development;
import dev.parley.schemas.NegotiationStatus;
import dev.parley.schemas.Operation;

/**
 * A {@link StatusFold} over in-memory storage that can take a new development back out again, so a benchmark folds
 * the same development into the same history as often as it likes.
 */
public final class RewindableFold {

    private final SortedKeyValues<Development> developments = SortedKeyValues.inMemory();
    private final DevelopmentIndex index =
            new DevelopmentIndex(developments, SortedKeyValues.inMemory(), SortedKeyValues.inMemory());
    private final StatusFold fold = new StatusFold(index);

    public StatusFold.Outcome apply(NegotiationStatus status, Development d) {
        return fold.apply(status, d);
    }

    /**
     * Leaves the index as it was before {@code d} was folded. Exact only for what an assertion of an id the fold had
     * never seen adds (the development and its item entries); the views are the caller's, and the fold never changes
     * a view it returned.
     */
    public void takeBack(Development d) {
        if (d.getOperation() != Operation.ASSERT || d.getSupersedes() != null) {
            throw new IllegalArgumentException("development " + d.getDevelopmentId() + " is a " + d.getOperation()
                    + " (expected an ASSERT that supersedes nothing)");
        }
        String key = StatusTopology.developmentKey(d.getNegotiationId(), d.getDevelopmentId());
        if (!d.equals(developments.get(key))) {
            throw new IllegalStateException("development " + d.getDevelopmentId() + " is not the one folded last");
        }
        ItemKey.of(d).forEach(item -> index.remove(d, item));
        developments.delete(key);
    }
}
