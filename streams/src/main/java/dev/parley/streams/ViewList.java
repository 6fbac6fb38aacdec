package dev.parley.streams;

import dev.parley.schemas.ClaimState;
import dev.parley.schemas.EventDate;
import dev.parley.schemas.ItemCounts;
import dev.parley.schemas.MeasureState;
import dev.parley.schemas.MeetingState;
import dev.parley.schemas.NegotiationStatus;
import dev.parley.schemas.PositionState;
import dev.parley.schemas.StatementGroup;
import dev.parley.schemas.StatementState;
import dev.parley.schemas.StickingPoint;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.function.BiConsumer;
import java.util.function.Function;
import java.util.function.ObjIntConsumer;
import java.util.function.ToIntFunction;
import org.apache.avro.specific.SpecificRecord;

/**
 * The lists of a negotiation's view: how each is read and set, the order it is shown in, and how recent each of its
 * items is. A view shows the latest {@link ViewBounds#listSize()} items of each list, latest by {@link #recency}, in
 * the list's own order; {@link ItemCounts} counts them all.
 */
enum ViewList {

    MEETINGS(NegotiationStatus::getMeetings, NegotiationStatus::setMeetings, ItemCounts::getMeetings, ItemCounts::setMeetings,
            Comparator.comparing((MeetingState m) -> m.getDate().getStart()).thenComparing(MeetingState::getReportedAt)
                    .thenComparing(MeetingState::getSubject),
            MeetingState::getSubject,
            m -> recency(m.getDate(), m.getReportedAt().toEpochMilli(), last(m.getDevelopmentIds()))),
    POSITIONS(NegotiationStatus::getPositions, NegotiationStatus::setPositions, ItemCounts::getPositions, ItemCounts::setPositions,
            Comparator.comparing(PositionState::getParty).thenComparing(PositionState::getIssue),
            p -> p.getParty() + ItemKey.SEP + p.getIssue(),
            p -> recency(p.getDate(), 0, last(p.getDevelopmentIds()))),
    CLAIMS(NegotiationStatus::getClaims, NegotiationStatus::setClaims, ItemCounts::getClaims, ItemCounts::setClaims,
            Comparator.comparing(ClaimState::getSubject),
            ClaimState::getSubject,
            c -> c.getStances().stream().map(s -> recency(s.getDate(), 0, s.getDevelopmentId()))
                    .max(Comparator.naturalOrder()).orElse("")),
    SUPPORT_MEASURES(NegotiationStatus::getSupportMeasures, NegotiationStatus::setSupportMeasures,
            ItemCounts::getSupportMeasures, ItemCounts::setSupportMeasures, Measures.ORDER, MeasureState::getSubject, Measures::recency),
    RESOLUTIONS(NegotiationStatus::getResolutions, NegotiationStatus::setResolutions,
            ItemCounts::getResolutions, ItemCounts::setResolutions, Measures.ORDER, MeasureState::getSubject, Measures::recency),
    STATEMENTS(NegotiationStatus::getStatements, NegotiationStatus::setStatements, ItemCounts::getStatements, ItemCounts::setStatements,
            Comparator.comparing((StatementGroup g) -> last(g.getStatements()).getDate().getStart())
                    .thenComparing(g -> last(g.getStatements()).getReportedAt())
                    .thenComparing(StatementGroup::getSubject),
            StatementGroup::getSubject,
            g -> {
                StatementState latest = last(g.getStatements());
                return recency(latest.getDate(), latest.getReportedAt().toEpochMilli(), latest.getDevelopmentId());
            }),
    STICKING_POINTS(NegotiationStatus::getStickingPoints, NegotiationStatus::setStickingPoints,
            ItemCounts::getStickingPoints, ItemCounts::setStickingPoints,
            Comparator.comparing(StickingPoint::getIssue), StickingPoint::getIssue,
            p -> recency(p.getDate(), 0, last(p.getDevelopmentIds())));

    private final Function<NegotiationStatus, List<?>> get;
    private final BiConsumer<NegotiationStatus, List<?>> set;
    private final ToIntFunction<ItemCounts> count;
    private final ObjIntConsumer<ItemCounts> setCount;
    private final Comparator<Object> order;
    private final Function<Object, String> key;
    private final Function<Object, String> recency;

    @SuppressWarnings("unchecked")
    <T, L extends List<T>> ViewList(Function<NegotiationStatus, L> get, BiConsumer<NegotiationStatus, L> set,
                                    ToIntFunction<ItemCounts> count, ObjIntConsumer<ItemCounts> setCount,
                                    Comparator<T> order, Function<T, String> key, Function<T, String> recency) {
        this.get = (Function<NegotiationStatus, List<?>>) (Function<?, ?>) get;
        this.set = (BiConsumer<NegotiationStatus, List<?>>) (BiConsumer<?, ?>) set;
        this.count = count;
        this.setCount = setCount;
        this.order = (Comparator<Object>) order;
        this.key = (Function<Object, String>) key;
        this.recency = (Function<Object, String>) recency;
    }

    /** The list an item of a view belongs to; support measures and resolutions share a type, and rank alike. */
    static ViewList of(Object item) {
        if (item instanceof MeetingState) {
            return MEETINGS;
        } else if (item instanceof PositionState) {
            return POSITIONS;
        } else if (item instanceof ClaimState) {
            return CLAIMS;
        } else if (item instanceof MeasureState) {
            return SUPPORT_MEASURES;
        } else if (item instanceof StatementGroup) {
            return STATEMENTS;
        } else if (item instanceof StickingPoint) {
            return STICKING_POINTS;
        }
        throw new IllegalArgumentException("not an item of a list: " + item.getClass().getName());
    }

    /** The list's field in {@code NegotiationStatus} ("meetings", "support_measures"...). */
    String field() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }

    /** The items the view shows, in the list's order. */
    @SuppressWarnings("unchecked")
    List<SpecificRecord> shown(NegotiationStatus view) {
        return (List<SpecificRecord>) get.apply(view);
    }

    void show(NegotiationStatus view, List<? extends SpecificRecord> items) {
        set.accept(view, items);
    }

    Comparator<Object> order() {
        return order;
    }

    /** What tells an item from the others of the list (a meeting's subject, a position's party and issue). */
    String key(Object item) {
        return key.apply(item);
    }

    /**
     * How recent an item is, as a string that sorts as its latest development does in {@link Chronology}: the item's
     * latest event date, when that was reported, and by which development.
     */
    String recency(Object item) {
        return recency.apply(item);
    }

    int count(ItemCounts counts) {
        return counts == null ? 0 : count.applyAsInt(counts);
    }

    void count(ItemCounts counts, int value) {
        setCount.accept(counts, value);
    }

    static ItemCounts noCounts() {
        return new ItemCounts(0, 0, 0, 0, 0, 0, 0);
    }

    static ItemCounts copy(ItemCounts counts) {
        return counts == null ? noCounts() : ItemCounts.newBuilder(counts).build();
    }

    /**
     * Where an item ranks in the list, latest highest: its {@link #recency}, then its {@link #key} (two positions stated
     * by one development are as recent as each other). As a string, so that a sorted store keeps items in this order.
     */
    String rank(Object item) {
        return recency(item) + ItemKey.SEP + key(item);
    }

    /** The latest {@code limit} of {@code items} by {@link #rank}, in the list's order. */
    List<SpecificRecord> latest(List<? extends SpecificRecord> items, int limit) {
        List<SpecificRecord> latest = new ArrayList<>(items);
        latest.sort(Comparator.comparing(this::rank).reversed());
        latest = new ArrayList<>(latest.subList(0, Math.min(limit, latest.size())));
        latest.sort(order);
        return latest;
    }

    private static final class Measures {
        static final Comparator<MeasureState> ORDER = Comparator.comparing((MeasureState m) -> m.getDate().getStart())
                .thenComparing(MeasureState::getReportedAt).thenComparing(MeasureState::getSubject);

        static String recency(MeasureState m) {
            return ViewList.recency(m.getDate(), m.getReportedAt().toEpochMilli(), last(m.getDevelopmentIds()));
        }
    }

    static String recency(EventDate date, long reportedAtMillis, String developmentId) {
        StringBuilder key = new StringBuilder(48).append(date.getStart()).append(ItemKey.SEP);
        return Chronology.zeroPadded(key, reportedAtMillis, 15).append(ItemKey.SEP).append(developmentId).toString();
    }

    private static <T> T last(List<T> items) {
        return items.get(items.size() - 1);
    }
}
