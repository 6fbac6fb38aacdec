package dev.parley.streams;

import dev.parley.schemas.ChangeKind;
import dev.parley.schemas.ClaimState;
import dev.parley.schemas.DecisionState;
import dev.parley.schemas.DecisionStatus;
import dev.parley.schemas.MeetingState;
import dev.parley.schemas.PhaseState;
import org.apache.avro.specific.SpecificRecord;

/** Names what a reader would notice when one item of the view went from {@code before} to {@code after}. */
final class ChangeKinds {

    private ChangeKinds() {
    }

    static ChangeKind of(ItemKey.Kind kind, SpecificRecord before, SpecificRecord after) {
        if (after == null) {
            return ChangeKind.ITEM_REMOVED;
        }
        return switch (kind) {
            case PHASE -> before != null && ((PhaseState) before).getPhase() == ((PhaseState) after).getPhase()
                    ? ChangeKind.OTHER : ChangeKind.PHASE_CHANGED;
            case DECISION -> ((DecisionState) after).getStatus() == DecisionStatus.ANNOUNCED
                    ? ChangeKind.DECISION_ANNOUNCED : ChangeKind.DECISION_STATED;
            case MEETING -> meeting((MeetingState) before, (MeetingState) after);
            case POSITION -> ChangeKind.POSITION_CHANGED;
            case STANCE, CLAIM -> claim((ClaimState) before, (ClaimState) after);
            case SUPPORT -> before == null ? ChangeKind.SUPPORT_ANNOUNCED : ChangeKind.OTHER;
            case RESOLUTION -> before == null ? ChangeKind.RESOLUTION_ADOPTED : ChangeKind.OTHER;
            case STATEMENTS -> ChangeKind.STATEMENT_MADE;
            case STICKING_POINT -> before == null ? ChangeKind.STICKING_POINT_OPENED : ChangeKind.OTHER;
            case TIMELINE -> ChangeKind.OTHER;
        };
    }

    private static ChangeKind meeting(MeetingState before, MeetingState after) {
        if (before != null && before.getOccurrence() == after.getOccurrence()) {
            return ChangeKind.MEETING_UPDATED;
        }
        return switch (after.getOccurrence()) {
            case OCCURRED -> ChangeKind.MEETING_HELD;
            case SCHEDULED -> ChangeKind.MEETING_SCHEDULED;
            case POSTPONED -> ChangeKind.MEETING_POSTPONED;
            case CANCELLED -> ChangeKind.MEETING_CANCELLED;
            case UNKNOWN -> ChangeKind.MEETING_UPDATED;
        };
    }

    private static ChangeKind claim(ClaimState before, ClaimState after) {
        if (before == null) {
            return ChangeKind.CLAIM_ADDED;
        }
        if (before.getStanding() == after.getStanding()) {
            return ChangeKind.CLAIM_UPDATED;
        }
        return switch (after.getStanding()) {
            case CONTESTED -> ChangeKind.CLAIM_CONTESTED;
            case CORROBORATED -> ChangeKind.CLAIM_CORROBORATED;
            case REFUTED -> ChangeKind.CLAIM_REFUTED;
            case CLAIMED -> ChangeKind.CLAIM_UPDATED;
        };
    }
}
