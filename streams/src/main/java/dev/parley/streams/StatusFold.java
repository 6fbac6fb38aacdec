package dev.parley.streams;

import dev.parley.schemas.Change;
import dev.parley.schemas.ChangeKind;
import dev.parley.schemas.Development;
import dev.parley.schemas.NegotiationStatus;
import dev.parley.schemas.Operation;
import dev.parley.schemas.AvroSetup;
import dev.parley.schemas.StatementState;
import dev.parley.schemas.json.AvroJson;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Function;
import org.apache.avro.specific.SpecificRecord;

/**
 * Folds developments into a negotiation's status view, one at a time, in any order.
 *
 * <p>Every item of the view (the phase, a meeting, a party's position on an issue, a claimant's stance...)
 * is a function of the developments in force about it, latest by {@link Chronology}. Folding a development
 * touches only the items it is about, and those of the development it supersedes, so the same set of
 * developments gives the same view whatever their arrival order, and a late or corrected development costs
 * the same as one in order. No Kafka types here: the topology gives it store-backed storage. Not thread-safe: the
 * topology makes one per task.
 */
public final class StatusFold {

    static {
        AvroSetup.ensure();
    }

    static final Comparator<ItemKey> BATCH_ORDER =
            Comparator.comparing(ItemKey::kind).thenComparing(item -> String.join(ItemKey.SEP, item.parts()));

    private final DevelopmentIndex index;
    /**
     * Statements' JSON, for changes: a group's JSON is mostly that of statements it held before. (Keeping whole items'
     * JSON as well, big and short-lived, seemed to cost the Parley process 100 to 200 MB of RSS in parley bench.)
     */
    private final RecentByIdentity<SpecificRecord, String> statementJson = new RecentByIdentity<>(4_096, AvroJson::toJsonString);
    /** An item as JSON for a change, with its statements' JSON as kept. */
    private final Function<SpecificRecord, String> itemJson =
            AvroJson.jsonWriter(part -> part instanceof StatementState ? statementJson.apply(part) : null);
    /**
     * Each development's statement, made once while the development is at hand: a group of statements is recomputed
     * from its latest 20 at each new one, and the same statement instances let the view's writer and change detection
     * reuse what they did for the group before.
     */
    private final RecentByIdentity<Development, StatementState> statements = new RecentByIdentity<>(4_096, ViewItems::statement);

    StatusFold(DevelopmentIndex index) {
        this.index = index;
    }

    /** A fold over its own in-memory storage, for tests, tools and benchmarks. */
    public static StatusFold inMemory() {
        return new StatusFold(DevelopmentIndex.inMemory());
    }

    /** The view of a negotiation nothing is known about yet. */
    public static NegotiationStatus empty(String negotiationId) {
        // The constructor, not the builder: the builder resolves every default from the schema on each call.
        return new NegotiationStatus(negotiationId, 0L, Instant.EPOCH, 0, null, null, null, null, List.of(), List.of(),
                List.of(), List.of(), List.of(), List.of(), List.of());
    }

    /**
     * What folding one development did: the new view, and the changes a reader would notice (empty if none).
     * The version goes up by one when there are changes.
     */
    public record Outcome(NegotiationStatus status, List<Change> changes) {
    }

    public Outcome apply(NegotiationStatus status, Development d) {
        String negotiation = d.getNegotiationId();
        Development stored = index.development(negotiation, d.getDevelopmentId());
        if (stored != null && stored.getRevision() >= d.getRevision()) {
            return new Outcome(status, List.of()); // a duplicate or an older revision changes nothing
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

        Set<ItemKey> affected = new TreeSet<>(BATCH_ORDER);
        for (Development gone : leaving) {
            for (ItemKey item : ItemKey.of(gone)) {
                index.remove(gone, item);
                affected.add(item);
            }
        }
        for (Development come : entering) {
            for (ItemKey item : ItemKey.of(come)) {
                index.add(come, item);
                affected.add(item);
            }
        }

        NegotiationStatus next = shallowCopy(status);
        if (d.getReportedAt().isAfter(next.getKnownAt())) {
            next.setKnownAt(d.getReportedAt());
        }
        next.setDevelopmentCount(status.getDevelopmentCount() + entering.size() - leaving.size());
        for (ItemKey item : affected) {
            recompute(next, negotiation, item);
        }

        // status is untouched by recompute (see shallowCopy), so it is still the view before this development
        List<Change> changes = ChangeKinds.between(status, next, affected, item -> item == null ? null : itemJson.apply(item));
        if (correctionApplied) {
            changes.add(new Change(ChangeKind.CORRECTION_APPLIED, "development:" + d.getSupersedes(), null,
                    "{\"" + d.getOperation().name().toLowerCase() + "d_by\":\"" + d.getDevelopmentId() + "\"}"));
        }
        if (!changes.isEmpty()) {
            next.setVersion(status.getVersion() + 1);
        }
        return new Outcome(next, changes);
    }

    /**
     * A new top-level record sharing the item lists: {@link StatusView} replaces lists and items, never changes
     * them in place, so sharing is safe and a fold step does not copy the whole view.
     */
    private static NegotiationStatus shallowCopy(NegotiationStatus s) {
        return new NegotiationStatus(s.getNegotiationId(), s.getVersion(), s.getKnownAt(), s.getDevelopmentCount(),
                s.getCoveredFrom(), s.getCoveredTo(), s.getPhase(), s.getDecision(), s.getMeetings(), s.getPositions(),
                s.getClaims(), s.getSupportMeasures(), s.getResolutions(), s.getStatements(), s.getStickingPoints());
    }

    private void recompute(NegotiationStatus status, String negotiation, ItemKey item) {
        if (item.kind() == ItemKey.Kind.TIMELINE) {
            Development first = index.earliest(negotiation, item);
            List<Development> last = index.latest(negotiation, item, 1);
            status.setCoveredFrom(first == null ? null : first.getOccurredOn());
            status.setCoveredTo(last.isEmpty() ? null : last.get(0).getOccurredOn());
            return;
        }
        List<Development> about = item.kind() == ItemKey.Kind.CLAIM
                ? nonNull(index.earliest(negotiation, item))
                : index.latest(negotiation, item, ViewItems.window(item.kind()));
        StatusView.put(status, item, about.isEmpty() ? null : ViewItems.compute(item, about, statements::apply));
    }

    private boolean inForce(Development d) {
        return d.getOperation() != Operation.RETRACT && index.supersededBy(d.getNegotiationId(), d.getDevelopmentId()) == null;
    }

    private static List<Development> nonNull(Development d) {
        return d == null ? List.of() : List.of(d);
    }

    // ---- The reference: sort everything, fold from scratch ----

    /**
     * The view of a set of developments computed from scratch: corrections and retractions applied, duplicates
     * ignored, every item computed from all the developments about it. Slow and simple; tests compare the
     * incremental fold with it, and tools use it on small sets.
     */
    public static NegotiationStatus fold(String negotiationId, Collection<Development> developments) {
        return fold(negotiationId, developments, d -> true);
    }

    private static NegotiationStatus fold(String negotiationId, Collection<Development> developments,
                                          java.util.function.Predicate<Development> shown) {
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
        byItem.forEach((item, about) -> {
            if (item.kind() != ItemKey.Kind.TIMELINE) {
                List<Development> window = item.kind() == ItemKey.Kind.CLAIM ? about.subList(0, 1)
                        : about.subList(Math.max(0, about.size() - ViewItems.window(item.kind())), about.size());
                StatusView.put(status, item, ViewItems.compute(item, window));
            }
        });
        return status;
    }

    /**
     * The view on two time axes: {@code asOf} keeps what had happened by the end of that day (by event date, a
     * period counting from its first day), {@code knownAt} keeps only what had been reported by that instant, so
     * a correction or retraction reported later is not applied. Either may be null (no bound). Exact by
     * construction: the reference fold over the developments within both bounds.
     */
    public static NegotiationStatus asOf(String negotiationId, Collection<Development> developments,
                                         java.time.LocalDate asOf, Instant knownAt) {
        List<Development> known = developments.stream()
                .filter(d -> knownAt == null || !d.getReportedAt().isAfter(knownAt))
                .toList();
        // Corrections apply whatever their date; then only what had happened by the end of asOf is shown.
        return fold(negotiationId, known, d -> asOf == null || !d.getOccurredOn().getStart().isAfter(asOf));
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
