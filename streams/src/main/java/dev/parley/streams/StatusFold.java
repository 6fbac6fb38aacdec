package dev.parley.streams;

import dev.parley.schemas.Actor;
import dev.parley.schemas.ClaimState;
import dev.parley.schemas.ClaimantStance;
import dev.parley.schemas.DecisionState;
import dev.parley.schemas.Development;
import dev.parley.schemas.DevelopmentType;
import dev.parley.schemas.EventDate;
import dev.parley.schemas.MeasureState;
import dev.parley.schemas.MeetingState;
import dev.parley.schemas.NegotiationStatus;
import dev.parley.schemas.Operation;
import dev.parley.schemas.PhaseState;
import dev.parley.schemas.PositionState;
import dev.parley.schemas.Quote;
import dev.parley.schemas.Stance;
import dev.parley.schemas.Standing;
import dev.parley.schemas.StickingPoint;
import dev.parley.schemas.TrustedClasses;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.BiFunction;
import java.util.function.Function;

/**
 * Folds developments into a negotiation's status view; pure, no Kafka.
 *
 * <p>Every item of the view is a "latest wins" join over the developments about it (see {@link Chronology}),
 * so folding the same set in any order, with duplicates, gives the same view. Items keep their lineage:
 * the ids of the developments they came from, in chronological order.
 */
public final class StatusFold {

    static {
        TrustedClasses.ensureRegistered();
    }

    /** Issue key for developments that name no issue. */
    static final String GENERAL = "general";

    private StatusFold() {
    }

    /** The view of a negotiation nothing is known about yet. */
    public static NegotiationStatus empty(String negotiationId) {
        return NegotiationStatus.newBuilder()
                .setNegotiationId(negotiationId).setVersion(0).setKnownAt(Instant.EPOCH).setDevelopmentCount(0)
                .build();
    }

    /**
     * The reference fold: the view of a set of developments, from scratch. Applies corrections and
     * retractions, ignores duplicates, and folds what remains in chronological order.
     */
    public static NegotiationStatus fold(String negotiationId, Collection<Development> developments) {
        List<Development> inForce = inForce(developments);
        Map<String, Development> byId = new HashMap<>();
        NegotiationStatus status = empty(negotiationId);
        for (Development development : inForce) {
            byId.put(development.getDevelopmentId(), development);
            status = apply(status, development, byId::get);
        }
        return status;
    }

    /**
     * The developments a view is folded from: the latest revision of each id, without the ones a later
     * CORRECT or RETRACT supersedes and without the retractions themselves; in chronological order.
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

    /**
     * Folds one development in force into the view, in O(items it touches). {@code lookup} finds the
     * developments already in the view by id, to compare which one is latest.
     */
    public static NegotiationStatus apply(NegotiationStatus status, Development development, Function<String, Development> lookup) {
        NegotiationStatus next = NegotiationStatus.newBuilder(status).build();
        var fold = new Step(development, lookup);

        next.setDevelopmentCount(status.getDevelopmentCount() + 1);
        if (development.getReportedAt().isAfter(status.getKnownAt())) {
            next.setKnownAt(development.getReportedAt());
        }
        EventDate date = development.getOccurredOn();
        if (status.getCoveredFrom() == null || date.getStart().isBefore(status.getCoveredFrom().getStart())) {
            next.setCoveredFrom(date);
        }
        if (status.getCoveredTo() == null || date.getStart().isAfter(status.getCoveredTo().getStart())) {
            next.setCoveredTo(date);
        }

        if (development.getPhase() != null && fold.wins(status.getPhase() == null ? null : status.getPhase().getDevelopmentIds())) {
            next.setPhase(new PhaseState(development.getPhase(), date, development.getSummary(), fold.lineage()));
        }
        if (development.getDecision() != null && fold.wins(status.getDecision() == null ? null : status.getDecision().getDevelopmentIds())) {
            next.setDecision(new DecisionState(development.getDecision(), date, development.getSummary(), fold.lineage()));
        }
        DevelopmentType type = development.getType();
        if (type == DevelopmentType.MEETING) {
            next.setMeetings(fold.merge(status.getMeetings(), MeetingState::getSubject, MeetingState::getDevelopmentIds,
                    ids -> new MeetingState(fold.subject(), development.getOccurrence(), date, development.getPlace(),
                            development.getActors(), development.getSummary(), development.getSources(), ids),
                    (meeting, ids) -> { meeting.setDevelopmentIds(ids); return meeting; }));
        }
        if (type == DevelopmentType.SUPPORT_MEASURE) {
            next.setSupportMeasures(fold.merge(status.getSupportMeasures(), MeasureState::getSubject, MeasureState::getDevelopmentIds,
                    ids -> fold.measure(ids), (measure, ids) -> { measure.setDevelopmentIds(ids); return measure; }));
        }
        if (type == DevelopmentType.RESOLUTION) {
            next.setResolutions(fold.merge(status.getResolutions(), MeasureState::getSubject, MeasureState::getDevelopmentIds,
                    ids -> fold.measure(ids), (measure, ids) -> { measure.setDevelopmentIds(ids); return measure; }));
        }
        if (type == DevelopmentType.POSITION) {
            next.setPositions(fold.positions(status.getPositions()));
        }
        if (development.getStickingPoint()) {
            next.setStickingPoints(fold.stickingPoints(status.getStickingPoints()));
        }
        if (!development.getClaims().isEmpty()) {
            next.setClaims(fold.claims(status.getClaims()));
        }
        return next;
    }

    /** Standing of a claim from its claimants' stances; a claim anyone contests is never stated as fact. */
    static Standing standing(List<ClaimantStance> stances) {
        boolean supported = stances.stream().anyMatch(s -> s.getStance() == Stance.ASSERTS || s.getStance() == Stance.PARTIALLY_CONFIRMS);
        boolean disputed = stances.stream().anyMatch(s -> s.getStance() == Stance.CONTESTS || s.getStance() == Stance.DENIES);
        long supportingParties = stances.stream()
                .filter(s -> s.getStance() == Stance.ASSERTS || s.getStance() == Stance.PARTIALLY_CONFIRMS)
                .map(ClaimantStance::getParty).distinct().count();
        if (supported && disputed) {
            return Standing.CONTESTED;
        }
        if (disputed) {
            return Standing.REFUTED;
        }
        return supportingParties > 1 ? Standing.CORROBORATED : Standing.CLAIMED;
    }

    /** Folding one development: the comparisons and item builders it needs. */
    private record Step(Development development, Function<String, Development> lookup) {

        String subject() {
            return development.getSubject() != null ? development.getSubject() : development.getDevelopmentId();
        }

        List<String> lineage() {
            return List.of(development.getDevelopmentId());
        }

        /** True when this development is later than the latest of an item's lineage (or the item is new). */
        boolean wins(List<String> lineage) {
            return lineage == null || lineage.isEmpty() || Chronology.isLater(development, lookup.apply(lineage.get(lineage.size() - 1)));
        }

        /** The lineage with this development inserted in chronological order. */
        List<String> withThis(List<String> lineage) {
            List<String> ids = new ArrayList<>(lineage);
            int at = ids.size();
            while (at > 0 && Chronology.isLater(lookup.apply(ids.get(at - 1)), development)) {
                at--; // late arrivals walk back from the end: in-order ones stop at once
            }
            ids.add(at, development.getDevelopmentId());
            return ids;
        }

        /** Merge into a list of items keyed by subject: the latest development rewrites the item, every one joins its lineage. */
        <T> List<T> merge(List<T> items, Function<T, String> key, Function<T, List<String>> ids,
                          Function<List<String>, T> rewrite, BiFunction<T, List<String>, T> relink) {
            List<T> merged = new ArrayList<>(items.size() + 1);
            boolean found = false;
            for (T item : items) {
                if (key.apply(item).equals(subject())) {
                    found = true;
                    List<String> lineage = withThis(ids.apply(item));
                    merged.add(wins(ids.apply(item)) ? rewrite.apply(lineage) : relink.apply(item, lineage));
                } else {
                    merged.add(item);
                }
            }
            if (!found) {
                merged.add(rewrite.apply(lineage()));
            }
            // Items in event-time order of their first development (the lookup already holds this one).
            merged.sort(Comparator.comparing((T item) -> lookup.apply(ids.apply(item).get(0)), Chronology.ORDER));
            return merged;
        }

        MeasureState measure(List<String> ids) {
            List<String> parties = development.getActors().stream().map(Actor::getParty).distinct().sorted().toList();
            return new MeasureState(subject(), development.getSummary(), parties, development.getBinding(),
                    development.getOccurredOn(), ids);
        }

        List<PositionState> positions(List<PositionState> positions) {
            Map<String, PositionState> byKey = new TreeMap<>();
            positions.forEach(p -> byKey.put(p.getParty() + "/" + p.getIssue(), p));
            for (String party : parties()) {
                for (String issue : issues()) {
                    PositionState current = byKey.get(party + "/" + issue);
                    if (wins(current == null ? null : current.getDevelopmentIds())) {
                        byKey.put(party + "/" + issue, new PositionState(party, issue, development.getSummary(), quoteOf(party),
                                development.getOccurredOn(), development.getSources(), lineage()));
                    }
                }
            }
            return new ArrayList<>(byKey.values());
        }

        List<StickingPoint> stickingPoints(List<StickingPoint> points) {
            Map<String, StickingPoint> byIssue = new TreeMap<>();
            points.forEach(p -> byIssue.put(p.getIssue(), p));
            for (String issue : issues()) {
                StickingPoint current = byIssue.get(issue);
                if (wins(current == null ? null : current.getDevelopmentIds())) {
                    byIssue.put(issue, new StickingPoint(issue, development.getSummary(), development.getOccurredOn(), lineage()));
                }
            }
            return new ArrayList<>(byIssue.values());
        }

        List<ClaimState> claims(List<ClaimState> claims) {
            Map<String, ClaimState> bySubject = new TreeMap<>();
            claims.forEach(c -> bySubject.put(c.getSubject(), ClaimState.newBuilder(c).build()));
            for (var claim : development.getClaims()) {
                String subject = development.getSubject() != null ? development.getSubject() : "claim:" + claim.getClaim();
                ClaimState state = bySubject.computeIfAbsent(subject,
                        s -> new ClaimState(s, claim.getClaim(), Standing.CLAIMED, new ArrayList<>()));
                Map<String, ClaimantStance> byClaimant = new TreeMap<>();
                state.getStances().forEach(s -> byClaimant.put(s.getClaimant(), s));
                ClaimantStance current = byClaimant.get(claim.getClaimant());
                if (current == null || Chronology.isLater(development, lookup.apply(current.getDevelopmentId()))) {
                    byClaimant.put(claim.getClaimant(), new ClaimantStance(claim.getClaimant(), partyOf(claim.getClaimant()),
                            claim.getStance(), development.getOccurredOn(), development.getDevelopmentId()));
                }
                List<ClaimantStance> stances = new ArrayList<>(byClaimant.values());
                // The claim reads as its chronologically first report put it.
                boolean earliest = state.getStances().stream()
                        .allMatch(s -> Chronology.isLater(lookup.apply(s.getDevelopmentId()), development));
                state.setClaim(earliest ? claim.getClaim() : state.getClaim());
                state.setStances(stances);
                state.setStanding(standing(stances));
            }
            return new ArrayList<>(bySubject.values());
        }

        private List<String> parties() {
            List<String> parties = development.getActors().stream().map(Actor::getParty).distinct().sorted().toList();
            return parties.isEmpty() ? List.of("unattributed") : parties;
        }

        private List<String> issues() {
            List<String> issues = development.getIssues().stream().distinct().sorted().toList();
            return issues.isEmpty() ? List.of(GENERAL) : issues;
        }

        private String partyOf(String actorName) {
            return development.getActors().stream().filter(a -> a.getName().equals(actorName))
                    .map(Actor::getParty).findFirst().orElse("unattributed");
        }

        private Quote quoteOf(String party) {
            return development.getQuotes().stream().filter(q -> party.equals(partyOf(q.getSpeaker()))).findFirst().orElse(null);
        }
    }
}
