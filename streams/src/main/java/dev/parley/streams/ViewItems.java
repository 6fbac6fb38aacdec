package dev.parley.streams;

import dev.parley.schemas.Actor;
import dev.parley.schemas.Claim;
import dev.parley.schemas.ClaimState;
import dev.parley.schemas.ClaimantStance;
import dev.parley.schemas.DecisionState;
import dev.parley.schemas.Development;
import dev.parley.schemas.MeasureState;
import dev.parley.schemas.MeetingState;
import dev.parley.schemas.PhaseState;
import dev.parley.schemas.PhaseStep;
import dev.parley.schemas.PositionState;
import dev.parley.schemas.Quote;
import dev.parley.schemas.StatementGroup;
import dev.parley.schemas.StatementState;
import dev.parley.schemas.Stance;
import dev.parley.schemas.Standing;
import dev.parley.schemas.StickingPoint;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.function.Function;

/**
 * What each item of the view says, given the developments about it: pure functions, no Kafka, no state.
 * {@code about} is the item's window ({@link #window}) in event-time order with the latest last, and never empty.
 */
final class ViewItems {

    private ViewItems() {
    }

    /**
     * The item's value in the view; a {@code String} (the claim's text) for CLAIM, null for TIMELINE. {@code count} is
     * how many developments are about the item in all, of which {@code about} holds the latest.
     */
    static Object compute(ItemKey item, List<Development> about, int count) {
        return compute(item, about, count, ViewItems::statement);
    }

    /** As {@link #compute(ItemKey, List, int)}, with each development's statement from {@code statements}. */
    static Object compute(ItemKey item, List<Development> about, int count, Function<Development, StatementState> statements) {
        Development latest = about.get(about.size() - 1);
        return switch (item.kind()) {
            case TIMELINE -> null;
            case PHASE -> new PhaseState(latest.getPhase(), latest.getOccurredOn(), latest.getSummary(), latest.getSources(),
                    about.stream().map(d -> new PhaseStep(d.getPhase(), d.getOccurredOn(), d.getDevelopmentId())).toList(),
                    List.of(latest.getDevelopmentId()));
            case DECISION -> new DecisionState(latest.getDecision(), latest.getOccurredOn(), latest.getSummary(), latest.getSources(),
                    List.of(latest.getDevelopmentId()));
            case MEETING -> new MeetingState(item.parts().get(0), latest.getOccurrence(), latest.getOccurredOn(),
                    latest.getReportedAt(), latest.getPlace(),
                    latest.getActors(), latest.getSummary(), latest.getSources(), ids(about));
            case POSITION -> {
                String party = item.parts().get(0);
                yield new PositionState(party, item.parts().get(1), latest.getSummary(), quoteOf(latest, party),
                        latest.getOccurredOn(), latest.getSources(), List.of(latest.getDevelopmentId()));
            }
            case STANCE -> {
                String subject = item.parts().get(0);
                String claimant = item.parts().get(1);
                Claim claim = latest.getClaims().stream()
                        .filter(c -> c.getClaimant().equals(claimant) && ItemKey.claimSubject(latest, c).equals(subject))
                        .findFirst().orElseThrow();
                yield new ClaimantStance(claimant, partyOf(latest, claimant), claim.getStance(), latest.getOccurredOn(),
                        latest.getSources(), latest.getDevelopmentId());
            }
            case CLAIM -> about.get(0).getClaims().stream() // the claim reads as its first report put it
                    .filter(c -> ItemKey.claimSubject(about.get(0), c).equals(item.parts().get(0)))
                    .map(Claim::getClaim).findFirst().orElseThrow();
            case SUPPORT, RESOLUTION -> new MeasureState(item.parts().get(0), latest.getSummary(),
                    latest.getActors().stream().map(Actor::getParty).distinct().sorted().toList(), latest.getBinding(),
                    latest.getOccurredOn(), latest.getReportedAt(), latest.getSources(), ids(about));
            case STATEMENTS -> new StatementGroup(item.parts().get(0), about.stream().map(statements).toList(), count);
            case STICKING_POINT -> new StickingPoint(item.parts().get(0), latest.getSummary(), latest.getOccurredOn(),
                    latest.getSources(), List.of(latest.getDevelopmentId()));
        };
    }

    /** A claim with one claimant's stance put in (null: taken out); null when no stance is left. */
    static ClaimState withStance(ClaimState claim, ItemKey stanceItem, ClaimantStance stance) {
        String claimant = stanceItem.parts().get(1);
        List<ClaimantStance> stances = new ArrayList<>(claim == null ? List.of() : claim.getStances());
        stances.removeIf(s -> s.getClaimant().equals(claimant));
        if (stance != null) {
            stances.add(stance);
        }
        stances.sort(Comparator.comparing(ClaimantStance::getClaimant));
        // The constructor, not a builder: a builder deep-copies the stances, and items are never changed in place.
        return stances.isEmpty() ? null
                : new ClaimState(stanceItem.parts().get(0), claim == null ? "" : claim.getClaim(), standing(stances), stances);
    }

    /** A claim reading as {@code text}. */
    static ClaimState withText(ClaimState claim, String text) {
        return text.equals(claim.getClaim()) ? claim : new ClaimState(claim.getSubject(), text, claim.getStanding(), claim.getStances());
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

    /** What a development says, as one statement of a group. */
    static StatementState statement(Development d) {
        return new StatementState(d.getType(), d.getActors(), d.getSummary(), d.getQuotes(), d.getOccurredOn(), d.getReportedAt(),
                d.getSources(), d.getDevelopmentId());
    }

    /** How many developments the item is computed from: its latest few, the first for a claim's text. */
    static int window(ItemKey.Kind kind, ViewBounds bounds) {
        return switch (kind) {
            case PHASE, MEETING, SUPPORT, RESOLUTION -> bounds.lineage();
            case STATEMENTS -> bounds.statementsShown();
            default -> 1;
        };
    }

    private static List<String> ids(List<Development> about) {
        return about.stream().map(Development::getDevelopmentId).toList();
    }

    static String partyOf(Development d, String actorName) {
        return d.getActors().stream().filter(a -> a.getName().equals(actorName))
                .map(Actor::getParty).findFirst().orElse(ItemKey.UNATTRIBUTED);
    }

    private static Quote quoteOf(Development d, String party) {
        return d.getQuotes().stream().filter(q -> party.equals(partyOf(d, q.getSpeaker()))).findFirst().orElse(null);
    }
}
