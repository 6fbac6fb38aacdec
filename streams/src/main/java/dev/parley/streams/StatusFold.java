package dev.parley.streams;

import dev.parley.schemas.AvroSetup;
import dev.parley.schemas.Change;
import dev.parley.schemas.ChangeKind;
import dev.parley.schemas.ClaimState;
import dev.parley.schemas.ClaimantStance;
import dev.parley.schemas.DecisionState;
import dev.parley.schemas.Development;
import dev.parley.schemas.ItemCounts;
import dev.parley.schemas.NegotiationStatus;
import dev.parley.schemas.Operation;
import dev.parley.schemas.PhaseState;
import dev.parley.schemas.StatementGroup;
import dev.parley.schemas.StatementState;
import dev.parley.schemas.json.AvroJson;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Function;
import org.apache.avro.specific.SpecificRecord;

/**
 * Folds developments into a negotiation's status view, one at a time, in any order.
 *
 * <p>Every item of the view (the phase, a meeting, a party's position on an issue, a claimant's stance...)
 * is a function of the developments in force about it, latest by {@link Chronology}. Folding a development
 * reads and writes only the items it is about, and those of the development it supersedes, so the same set of
 * developments gives the same view whatever their arrival order, and the cost of a development does not grow with
 * the negotiation's history. The view shows the latest items of each list ({@link ViewBounds}); the rest stay in
 * the {@link ItemStore}. No Kafka types here: the topology gives it store-backed storage. Not thread-safe: the
 * topology makes one per task.
 */
public final class StatusFold {

    static {
        AvroSetup.ensure();
    }

    static final Comparator<ItemKey> BATCH_ORDER = Comparator.comparing(ItemKey::kind).thenComparing(ItemKey::encoded);

    private final DevelopmentIndex index;
    private final ItemStore items;
    private final ViewBounds bounds;
    /** Statements' JSON, for changes: a group's JSON is mostly that of statements it held before. */
    private final RecentByIdentity<SpecificRecord, String> statementJson = new RecentByIdentity<>(4_096, AvroJson::toJsonString);
    /** An item as JSON for a change, with its statements' JSON as kept. */
    private final Function<SpecificRecord, String> itemJson =
            AvroJson.jsonWriter(part -> part instanceof StatementState ? statementJson.apply(part) : null);
    /** Each development's statement, made once while the development is at hand, so that groups share them. */
    private final RecentByIdentity<Development, StatementState> statements = new RecentByIdentity<>(4_096, ViewItems::statement);

    StatusFold(DevelopmentIndex index, ItemStore items, ViewBounds bounds) {
        this.index = index;
        this.items = items;
        this.bounds = bounds;
    }

    /** A fold over its own in-memory storage, for tests, tools and benchmarks. */
    public static StatusFold inMemory() {
        return inMemory(ViewBounds.DEFAULT);
    }

    public static StatusFold inMemory(ViewBounds bounds) {
        return new StatusFold(DevelopmentIndex.inMemory(), ItemStore.inMemory(bounds), bounds);
    }

    /** The view of a negotiation nothing is known about yet. */
    public static NegotiationStatus empty(String negotiationId) {
        // The constructor, not the builder: the builder resolves every default from the schema on each call.
        return new NegotiationStatus(negotiationId, 0L, Instant.EPOCH, 0, null, null, null, null, List.of(), List.of(),
                List.of(), List.of(), List.of(), List.of(), List.of(), ViewList.noCounts());
    }

    /**
     * What folding one development did: the negotiation's view after it (its lists bounded, not yet fitted to
     * {@link ViewBounds#maxViewBytes()}: see {@link ViewFit}), and the changes a reader would notice (empty if none).
     * The version goes up by one when there are changes.
     */
    public record Outcome(NegotiationStatus status, List<Change> changes, boolean viewChanged) {
    }

    /** The negotiation's current view, as {@link #apply} last left it. */
    public NegotiationStatus view(String negotiationId) {
        NegotiationStatus view = items.view(negotiationId);
        return view != null ? view : empty(negotiationId);
    }

    public Outcome apply(Development d) {
        String negotiation = d.getNegotiationId();
        FoldLimits.check(d, this::claim);
        NegotiationStatus status = view(negotiation);
        Development stored = index.development(negotiation, d.getDevelopmentId());
        if (stored != null && stored.getRevision() >= d.getRevision()) {
            return new Outcome(status, List.of(), false); // a duplicate or an older revision changes nothing
        }
        List<Development> leaving = new ArrayList<>();
        List<Development> entering = new ArrayList<>();
        if (stored != null && inForce(stored)) {
            leaving.add(stored); // replaced by its new revision
        }
        index.store(d);
        boolean correctionApplied = false;
        if (d.getOperation() != Operation.ASSERT && d.getSupersedes() != null) {
            Development target = index.development(negotiation, d.getSupersedes());
            if (target != null && inForce(target)) {
                leaving.add(target);
                correctionApplied = true;
            }
            index.supersede(negotiation, d.getSupersedes(), d.getDevelopmentId());
        }
        if (inForce(d)) {
            entering.add(d);
        }

        // Each item touched, with how many developments about it came or went.
        Map<ItemKey, Integer> affected = new TreeMap<>(BATCH_ORDER);
        for (Development gone : leaving) {
            for (ItemKey item : ItemKey.of(gone)) {
                index.remove(gone, item);
                affected.merge(item, -1, Integer::sum);
            }
        }
        for (Development come : entering) {
            for (ItemKey item : ItemKey.of(come)) {
                index.add(come, item);
                affected.merge(item, 1, Integer::sum);
            }
        }

        NegotiationStatus next = shallowCopy(status);
        if (d.getReportedAt().isAfter(next.getKnownAt())) {
            next.setKnownAt(d.getReportedAt());
        }
        next.setDevelopmentCount(status.getDevelopmentCount() + entering.size() - leaving.size());
        List<Change> changes = new ArrayList<>();
        // The items of the view touched, before and after: a claim's stances and its text are one item.
        Map<ItemKey, SpecificRecord[]> touched = new LinkedHashMap<>();
        affected.forEach((item, delta) -> {
            switch (item.kind()) {
                case TIMELINE -> {
                    Development first = index.earliest(negotiation, item);
                    List<Development> last = index.latest(negotiation, item, 1);
                    next.setCoveredFrom(first == null ? null : first.getOccurredOn());
                    next.setCoveredTo(last.isEmpty() ? null : last.get(0).getOccurredOn());
                }
                case PHASE -> {
                    next.setPhase((PhaseState) compute(negotiation, item, 0));
                    describe(item, status.getPhase(), next.getPhase(), changes);
                }
                case DECISION -> {
                    next.setDecision((DecisionState) compute(negotiation, item, 0));
                    describe(item, status.getDecision(), next.getDecision(), changes);
                }
                default -> {
                    ItemKey shown = item.shownAs();
                    SpecificRecord[] values = touched.computeIfAbsent(shown, key -> {
                        SpecificRecord was = items.item(negotiation, key.list(), key.keyInList());
                        return new SpecificRecord[] {was, was};
                    });
                    values[1] = recompute(negotiation, item, values[1], delta);
                }
            }
        });
        for (Map.Entry<ItemKey, SpecificRecord[]> entry : touched.entrySet()) {
            ItemKey item = entry.getKey();
            SpecificRecord was = entry.getValue()[0];
            SpecificRecord now = entry.getValue()[1];
            if (!Objects.equals(was, now)) {
                items.replace(negotiation, item.list(), was, now);
                show(next, item.list(), was, now);
                describe(item, was, now, changes);
            }
        }
        if (correctionApplied) {
            changes.add(new Change(ChangeKind.CORRECTION_APPLIED, "development:" + d.getSupersedes(), null,
                    "{\"" + d.getOperation().name().toLowerCase() + "d_by\":\"" + d.getDevelopmentId() + "\"}"));
        }
        if (!changes.isEmpty()) {
            next.setVersion(status.getVersion() + 1);
        }
        boolean viewChanged = !next.equals(status); // cheap: unchanged lists are the same instances
        if (viewChanged) {
            items.putView(next);
        }
        return new Outcome(viewChanged ? next : status, changes, viewChanged);
    }

    /** The claim a development's claim is about, for {@link FoldLimits}. */
    private ClaimState claim(String negotiation, String subject) {
        return (ClaimState) items.item(negotiation, ViewList.CLAIMS, subject);
    }

    /** An item's new value, from its window of developments (and, for a group of statements, its count). */
    private SpecificRecord recompute(String negotiation, ItemKey item, SpecificRecord current, int delta) {
        switch (item.kind()) {
            case STANCE -> {
                List<Development> latest = index.latest(negotiation, item, 1);
                return ViewItems.withStance((ClaimState) current, item,
                        latest.isEmpty() ? null : (ClaimantStance) ViewItems.compute(item, latest, 1));
            }
            case CLAIM -> {
                Development first = index.earliest(negotiation, item);
                return current == null || first == null ? current
                        : ViewItems.withText((ClaimState) current, (String) ViewItems.compute(item, List.of(first), 1));
            }
            case STATEMENTS -> {
                int count = (current == null ? 0 : ((StatementGroup) current).getStatementCount()) + delta;
                return count == 0 ? null : (SpecificRecord) compute(negotiation, item, count);
            }
            default -> {
                return (SpecificRecord) compute(negotiation, item, 0);
            }
        }
    }

    private Object compute(String negotiation, ItemKey item, int count) {
        List<Development> about = index.latest(negotiation, item, ViewItems.window(item.kind(), bounds));
        return about.isEmpty() ? null : ViewItems.compute(item, about, count, statements::apply);
    }

    /**
     * Keeps {@code next}'s list showing its latest items after one of them went from {@code was} to {@code now}
     * (either may be null), reading the list from the store only when an item shown leaves or sinks while others
     * are not shown.
     */
    private void show(NegotiationStatus next, ViewList list, SpecificRecord was, SpecificRecord now) {
        ItemCounts counts = ViewList.copy(next.getItemCounts());
        int count = list.count(counts) + (was == null ? 1 : 0) - (now == null ? 1 : 0);
        list.count(counts, count);
        next.setItemCounts(counts);

        List<SpecificRecord> shown = new ArrayList<>(list.shown(next));
        String wasKey = was == null ? null : list.key(was);
        boolean wasShown = was != null && shown.removeIf(item -> list.key(item).equals(wasKey));
        boolean sank = wasShown && (now == null || items.rank(now).compareTo(items.rank(was)) < 0);
        if (sank && count > shown.size() + (now == null ? 0 : 1)) {
            list.show(next, items.latest(next.getNegotiationId(), list)); // one not shown may now be among the latest
            return;
        }
        boolean changed = wasShown;
        if (now != null) {
            int at = Collections.binarySearch(shown, now, list.order());
            at = at < 0 ? -at - 1 : at;
            shown.add(at, now);
            changed = true;
            if (shown.size() > bounds.listSize()) {
                int lowest = 0;
                for (int i = 1; i < shown.size(); i++) {
                    if (items.rank(shown.get(i)).compareTo(items.rank(shown.get(lowest))) < 0) {
                        lowest = i;
                    }
                }
                shown.remove(lowest);
                changed = wasShown || lowest != at;
            }
        }
        if (changed) {
            list.show(next, shown);
        }
    }

    private void describe(ItemKey item, SpecificRecord was, SpecificRecord now, List<Change> changes) {
        if (!Objects.equals(was, now)) {
            changes.add(new Change(ChangeKinds.of(item.kind(), was, now), item.viewItem(), json(was), json(now)));
        }
    }

    private String json(SpecificRecord item) {
        return item == null ? null : itemJson.apply(item);
    }

    /**
     * A new top-level record sharing the item lists: lists and items are replaced, never changed in place, so sharing
     * is safe and a fold step does not copy the whole view.
     */
    private static NegotiationStatus shallowCopy(NegotiationStatus s) {
        return new NegotiationStatus(s.getNegotiationId(), s.getVersion(), s.getKnownAt(), s.getDevelopmentCount(),
                s.getCoveredFrom(), s.getCoveredTo(), s.getPhase(), s.getDecision(), s.getMeetings(), s.getPositions(),
                s.getClaims(), s.getSupportMeasures(), s.getResolutions(), s.getStatements(), s.getStickingPoints(),
                s.getItemCounts());
    }

    private boolean inForce(Development d) {
        return d.getOperation() != Operation.RETRACT && index.supersededBy(d.getNegotiationId(), d.getDevelopmentId()) == null;
    }

    // ---- The reference: sort everything, fold from scratch ----

    /**
     * The view of a set of developments computed from scratch: corrections and retractions applied, duplicates
     * ignored, every item computed from all the developments about it, each list cut to its latest items. Slow and
     * simple; tests compare the incremental fold with it, and queries on time bounds use it.
     */
    public static NegotiationStatus fold(String negotiationId, Collection<Development> developments) {
        return fold(negotiationId, developments, ViewBounds.DEFAULT);
    }

    public static NegotiationStatus fold(String negotiationId, Collection<Development> developments, ViewBounds bounds) {
        return fold(negotiationId, developments, d -> true, bounds);
    }

    private static NegotiationStatus fold(String negotiationId, Collection<Development> developments,
                                          java.util.function.Predicate<Development> shown, ViewBounds bounds) {
        List<Development> inForce = inForce(developments).stream().filter(shown).toList();
        Map<ItemKey, List<Development>> byItem = new TreeMap<>(BATCH_ORDER);
        for (Development d : inForce) {
            ItemKey.of(d).forEach(item -> byItem.computeIfAbsent(item, k -> new ArrayList<>()).add(d));
        }
        NegotiationStatus status = empty(negotiationId);
        developments.stream().map(Development::getReportedAt).max(Comparator.naturalOrder()).ifPresent(status::setKnownAt);
        status.setDevelopmentCount(inForce.size());
        if (!inForce.isEmpty()) {
            status.setCoveredFrom(inForce.get(0).getOccurredOn());
            status.setCoveredTo(inForce.get(inForce.size() - 1).getOccurredOn());
        }
        Map<ItemKey, SpecificRecord> values = new TreeMap<>(BATCH_ORDER);
        byItem.forEach((item, about) -> {
            int window = ViewItems.window(item.kind(), bounds);
            List<Development> latest = about.subList(Math.max(0, about.size() - window), about.size());
            switch (item.kind()) {
                case TIMELINE -> { }
                case PHASE -> status.setPhase((PhaseState) ViewItems.compute(item, latest, about.size()));
                case DECISION -> status.setDecision((DecisionState) ViewItems.compute(item, latest, about.size()));
                case STANCE -> values.put(item.shownAs(), ViewItems.withStance((ClaimState) values.get(item.shownAs()), item,
                        (ClaimantStance) ViewItems.compute(item, latest, about.size())));
                case CLAIM -> values.computeIfPresent(item, (claim, value) ->
                        ViewItems.withText((ClaimState) value, (String) ViewItems.compute(item, about.subList(0, 1), about.size())));
                default -> values.put(item, (SpecificRecord) ViewItems.compute(item, latest, about.size()));
            }
        });
        ItemCounts counts = ViewList.noCounts();
        for (ViewList list : ViewList.values()) {
            List<SpecificRecord> all = values.entrySet().stream().filter(entry -> entry.getKey().list() == list)
                    .map(Map.Entry::getValue).toList();
            list.count(counts, all.size());
            list.show(status, list.latest(all, bounds.listSize()));
        }
        status.setItemCounts(counts);
        return status;
    }

    /**
     * The view on two time axes: {@code asOf} keeps what had happened by the end of that day (by event date, a
     * period counting from its first day), {@code knownAt} keeps only what had been reported by that instant, so
     * a correction or retraction reported later is not applied. Either may be null (no bound). Exact by
     * construction: the reference fold over the developments within both bounds, fitted as published views are.
     */
    public static NegotiationStatus asOf(String negotiationId, Collection<Development> developments,
                                         java.time.LocalDate asOf, Instant knownAt) {
        List<Development> known = developments.stream()
                .filter(d -> knownAt == null || !d.getReportedAt().isAfter(knownAt))
                .toList();
        // Corrections apply whatever their date; then only what had happened by the end of asOf is shown.
        return ViewFit.fit(fold(negotiationId, known, d -> asOf == null || !d.getOccurredOn().getStart().isAfter(asOf), ViewBounds.DEFAULT));
    }

    /**
     * The developments a view is folded from, in event-time order: the latest revision of each id, without the
     * ones a CORRECT or RETRACT supersedes and without the retractions themselves.
     */
    public static List<Development> inForce(Collection<Development> developments) {
        Map<String, Development> latestRevision = new TreeMap<>();
        for (Development d : developments) {
            latestRevision.merge(d.getDevelopmentId(), d, (a, b) -> b.getRevision() > a.getRevision() ? b : a);
        }
        Set<String> superseded = new HashSet<>();
        for (Development d : latestRevision.values()) {
            if (d.getOperation() != Operation.ASSERT && d.getSupersedes() != null) {
                superseded.add(d.getSupersedes());
            }
        }
        return latestRevision.values().stream()
                .filter(d -> d.getOperation() != Operation.RETRACT && !superseded.contains(d.getDevelopmentId()))
                .sorted(Chronology.ORDER)
                .toList();
    }
}
