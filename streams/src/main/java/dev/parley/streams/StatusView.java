package dev.parley.streams;

import dev.parley.schemas.ClaimState;
import dev.parley.schemas.ClaimantStance;
import dev.parley.schemas.DecisionState;
import dev.parley.schemas.MeasureState;
import dev.parley.schemas.MeetingState;
import dev.parley.schemas.NegotiationStatus;
import dev.parley.schemas.PhaseState;
import dev.parley.schemas.PositionState;
import dev.parley.schemas.Stance;
import dev.parley.schemas.Standing;
import dev.parley.schemas.StatementGroup;
import dev.parley.schemas.StickingPoint;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.function.Function;
import org.apache.avro.specific.SpecificRecord;

/** Reads and replaces one item in a {@link NegotiationStatus}, keeping every list in its documented order. */
final class StatusView {

    private static final Comparator<MeetingState> MEETINGS =
            Comparator.comparing((MeetingState m) -> m.getDate().getStart()).thenComparing(MeetingState::getReportedAt)
                    .thenComparing(MeetingState::getSubject);
    private static final Comparator<MeasureState> MEASURES =
            Comparator.comparing((MeasureState m) -> m.getDate().getStart()).thenComparing(MeasureState::getReportedAt)
                    .thenComparing(MeasureState::getSubject);
    private static final Comparator<StatementGroup> STATEMENTS = Comparator
            .comparing((StatementGroup g) -> last(g.getStatements()).getDate().getStart())
            .thenComparing(g -> last(g.getStatements()).getReportedAt())
            .thenComparing(StatementGroup::getSubject);
    private static final Comparator<PositionState> POSITIONS =
            Comparator.comparing(PositionState::getParty).thenComparing(PositionState::getIssue);

    private StatusView() {
    }

    /** The part of the view an item shows up in (for STANCE and CLAIM: the whole claim), or null. */
    static SpecificRecord get(NegotiationStatus status, ItemKey item) {
        String key = item.parts().isEmpty() ? null : item.parts().get(0);
        return switch (item.kind()) {
            case TIMELINE -> null;
            case PHASE -> status.getPhase();
            case DECISION -> status.getDecision();
            case MEETING -> find(status.getMeetings(), MeetingState::getSubject, key);
            case POSITION -> {
                String issue = item.parts().get(1);
                for (PositionState position : status.getPositions()) {
                    if (position.getParty().equals(key) && position.getIssue().equals(issue)) {
                        yield position;
                    }
                }
                yield null;
            }
            case STANCE, CLAIM -> find(status.getClaims(), ClaimState::getSubject, key);
            case SUPPORT -> find(status.getSupportMeasures(), MeasureState::getSubject, key);
            case RESOLUTION -> find(status.getResolutions(), MeasureState::getSubject, key);
            case STATEMENTS -> find(status.getStatements(), StatementGroup::getSubject, key);
            case STICKING_POINT -> find(status.getStickingPoints(), StickingPoint::getIssue, key);
        };
    }

    /** Puts an item's new value (from {@link ViewItems#compute}) into the status; null removes it. */
    static void put(NegotiationStatus status, ItemKey item, Object value) {
        String key = item.parts().isEmpty() ? null : item.parts().get(0);
        switch (item.kind()) {
            case TIMELINE -> { }
            case PHASE -> status.setPhase((PhaseState) value);
            case DECISION -> status.setDecision((DecisionState) value);
            case MEETING -> status.setMeetings(replace(status.getMeetings(), MeetingState::getSubject, key, (MeetingState) value, MEETINGS));
            case POSITION -> {
                String issue = item.parts().get(1);
                status.setPositions(replace(status.getPositions(), p -> p.getParty().equals(key) && p.getIssue().equals(issue),
                        (PositionState) value, POSITIONS));
            }
            case STANCE -> putStance(status, key, item.parts().get(1), (ClaimantStance) value);
            case CLAIM -> {
                ClaimState claim = find(status.getClaims(), ClaimState::getSubject, key);
                if (claim != null && value != null) {
                    status.setClaims(replace(status.getClaims(), ClaimState::getSubject, key,
                            // The constructor, not a builder: a builder deep-copies the claim's stances (2% of the stream
                            // thread, and one of the JIT's longest compiles), and items are never changed in place.
                            new ClaimState(key, (String) value, claim.getStanding(), claim.getStances()),
                            Comparator.comparing(ClaimState::getSubject)));
                }
            }
            case SUPPORT -> status.setSupportMeasures(replace(status.getSupportMeasures(), MeasureState::getSubject, key, (MeasureState) value, MEASURES));
            case RESOLUTION -> status.setResolutions(replace(status.getResolutions(), MeasureState::getSubject, key, (MeasureState) value, MEASURES));
            case STATEMENTS -> status.setStatements(replace(status.getStatements(), StatementGroup::getSubject, key,
                    (StatementGroup) value, STATEMENTS));
            case STICKING_POINT -> status.setStickingPoints(replace(status.getStickingPoints(), StickingPoint::getIssue, key,
                    (StickingPoint) value, Comparator.comparing(StickingPoint::getIssue)));
        }
    }

    private static void putStance(NegotiationStatus status, String subject, String claimant, ClaimantStance stance) {
        ClaimState claim = find(status.getClaims(), ClaimState::getSubject, subject);
        List<ClaimantStance> stances = new ArrayList<>(claim == null ? List.of() : claim.getStances());
        stances.removeIf(s -> s.getClaimant().equals(claimant));
        if (stance != null) {
            stances.add(stance);
        }
        stances.sort(Comparator.comparing(ClaimantStance::getClaimant));
        ClaimState updated = stances.isEmpty() ? null
                : new ClaimState(subject, claim == null ? "" : claim.getClaim(), standing(stances), stances);
        status.setClaims(replace(status.getClaims(), ClaimState::getSubject, subject, updated, Comparator.comparing(ClaimState::getSubject)));
    }

    /**
     * Standing of a claim from its claimants' latest stances; a claim anyone contests is never stated as fact.
     * CONTESTED: supported and disputed; REFUTED: only disputed; CORROBORATED: supported by more than one party,
     * undisputed; CLAIMED: supported by one party only.
     */
    static Standing standing(List<ClaimantStance> stances) {
        boolean disputed = stances.stream().anyMatch(s -> s.getStance() == Stance.CONTESTS || s.getStance() == Stance.DENIES);
        long supportingParties = stances.stream()
                .filter(s -> s.getStance() == Stance.ASSERTS || s.getStance() == Stance.PARTIALLY_CONFIRMS)
                .map(ClaimantStance::getParty).distinct().count();
        if (disputed) {
            return supportingParties > 0 ? Standing.CONTESTED : Standing.REFUTED;
        }
        return supportingParties > 1 ? Standing.CORROBORATED : Standing.CLAIMED;
    }

    private static <T> T last(List<T> items) {
        return items.get(items.size() - 1);
    }

    private static <T> T find(List<T> items, Function<T, String> key, String wanted) {
        for (T item : items) {
            if (Objects.equals(key.apply(item), wanted)) {
                return item;
            }
        }
        return null;
    }

    private static <T> List<T> replace(List<T> items, Function<T, String> key, String wanted, T value, Comparator<T> order) {
        return replace(items, item -> Objects.equals(key.apply(item), wanted), value, order);
    }

    /**
     * A new list: {@code items} (in {@code order}) without those {@code replaced} matches, with {@code value} (unless
     * null) where {@code order} puts it. Hot in the fold, hence a copy and a binary search rather than a sort.
     */
    private static <T> List<T> replace(List<T> items, java.util.function.Predicate<T> replaced, T value, Comparator<T> order) {
        List<T> kept = new ArrayList<>(items.size() + 1);
        for (T item : items) {
            if (!replaced.test(item)) {
                kept.add(item);
            }
        }
        if (value != null) {
            int at = java.util.Collections.binarySearch(kept, value, order);
            kept.add(at < 0 ? -at - 1 : at, value);
        }
        return kept;
    }
}
