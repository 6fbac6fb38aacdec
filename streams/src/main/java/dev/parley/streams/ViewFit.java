package dev.parley.streams;

import dev.parley.schemas.AvroSerde;
import dev.parley.schemas.NegotiationStatus;
import dev.parley.schemas.Topics;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.function.ToIntFunction;
import org.apache.avro.specific.SpecificRecord;

/**
 * Fits a view to {@link ViewBounds#maxViewBytes()}: the oldest items shown (by {@link ViewList#rank}, across the
 * lists) make way until it fits. A pure function of the view, so the published view, the one queries answer and the
 * reference fold's agree. Views of a few hundred items of ordinary size never need it; items of developments near
 * their size limit can.
 */
public final class ViewFit {

    private ViewFit() {
    }

    private static final AvroSerde<NegotiationStatus> AVRO = AvroSerde.of(NegotiationStatus.class);

    /** The view fitted to {@link ViewBounds#DEFAULT}, measured as Avro encodes it on {@code parley.status}. */
    public static NegotiationStatus fit(NegotiationStatus view) {
        return fit(view, ViewBounds.DEFAULT);
    }

    /** The view fitted to {@code bounds}, measured as Avro encodes it on {@code parley.status}. */
    static NegotiationStatus fit(NegotiationStatus view, ViewBounds bounds) {
        return fit(view, bounds, v -> AVRO.serialize(Topics.STATUS, v).length);
    }

    /** The view itself if it fits, else a copy without its oldest items; {@code size} gives a view's encoded size. */
    public static NegotiationStatus fit(NegotiationStatus view, ViewBounds bounds, ToIntFunction<NegotiationStatus> size) {
        if (size.applyAsInt(view) <= bounds.maxViewBytes()) {
            return view;
        }
        List<Shown> oldestFirst = new ArrayList<>();
        for (ViewList list : ViewList.values()) {
            list.shown(view).forEach(item -> oldestFirst.add(new Shown(list, item, list.rank(item))));
        }
        oldestFirst.sort(Comparator.comparing(Shown::rank).thenComparing(shown -> shown.list().ordinal()));
        // The fewest oldest items to drop, by bisection: a few encodings, not one per item.
        int fits = oldestFirst.size();
        int tooFew = 0;
        while (fits - tooFew > 1) {
            int dropped = (tooFew + fits) / 2;
            if (size.applyAsInt(without(view, oldestFirst.subList(dropped, oldestFirst.size()))) <= bounds.maxViewBytes()) {
                fits = dropped;
            } else {
                tooFew = dropped;
            }
        }
        NegotiationStatus fitted = without(view, oldestFirst.subList(fits, oldestFirst.size()));
        return fitted;
    }

    private record Shown(ViewList list, SpecificRecord item, String rank) {
    }

    /** A copy of the view showing only {@code kept}. */
    private static NegotiationStatus without(NegotiationStatus view, List<Shown> kept) {
        NegotiationStatus copy = NegotiationStatus.newBuilder(view).build();
        for (ViewList list : ViewList.values()) {
            list.show(copy, kept.stream().filter(shown -> shown.list() == list).map(Shown::item).sorted(list.order()).toList());
        }
        return copy;
    }
}
