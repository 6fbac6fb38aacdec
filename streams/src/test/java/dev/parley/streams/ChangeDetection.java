package dev.parley.streams;

import dev.parley.schemas.Change;
import dev.parley.schemas.Development;
import dev.parley.schemas.NegotiationStatus;
import dev.parley.schemas.json.AvroJson;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/** The change detection {@link StatusFold#apply} runs after folding one development, callable on its own: for benchmarks. */
public final class ChangeDetection {

    private final Set<ItemKey> items;

    private ChangeDetection(Set<ItemKey> items) {
        this.items = items;
    }

    /** Change detection on the items {@code folded} is about: an assertion that supersedes nothing. */
    public static ChangeDetection after(Development folded) {
        Set<ItemKey> items = new TreeSet<>(StatusFold.BATCH_ORDER);
        items.addAll(ItemKey.of(folded));
        return new ChangeDetection(items);
    }

    /** The changes a reader would notice from {@code before} to {@code after}: what {@code apply} reports. */
    public List<Change> between(NegotiationStatus before, NegotiationStatus after) {
        return ChangeKinds.between(before, after, items, AvroJson::toJsonString); // both values' JSON written afresh
    }
}
