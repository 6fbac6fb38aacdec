package dev.parley.streams;

/**
 * How much of a negotiation's history its view shows, so that a view stays small whatever the history: each list the
 * latest {@code listSize} items (latest by their latest development), a group of statements its latest
 * {@code statementsShown}, an item's lineage its latest {@code lineage} developments; and no view over
 * {@code maxViewBytes} encoded (the oldest items shown make way, see {@link ViewFit}). The counts of what is not
 * shown are in the view; the whole history stays in the topology's state, read through the item history and the
 * timeline.
 */
public record ViewBounds(int listSize, int statementsShown, int lineage, int maxViewBytes) {

    /** What views show in Parley: a view of any history is at most 256 KiB, typically a few kilobytes. */
    public static final ViewBounds DEFAULT = new ViewBounds(25, 3, 20, 256 * 1024);

    public ViewBounds {
        if (listSize < 1 || statementsShown < 1 || lineage < 1 || maxViewBytes < 1024) {
            throw new IllegalArgumentException("view bounds must be positive, and a view at least 1 KiB: " + this);
        }
    }
}
