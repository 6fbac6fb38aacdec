package dev.parley.streams;

import dev.parley.schemas.Change;
import dev.parley.schemas.ChangeKind;
import dev.parley.schemas.ClaimState;
import dev.parley.schemas.DecisionState;
import dev.parley.schemas.DecisionStatus;
import dev.parley.schemas.MeetingState;
import dev.parley.schemas.NegotiationStatus;
import dev.parley.schemas.PhaseState;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;
import org.apache.avro.specific.SpecificRecord;

/** Names what a reader would notice when one part of the view went from {@code before} to {@code after}. */
final class ChangeKinds {

    private ChangeKinds() {
    }

    /**
     * The changes between two consecutive views, looking only at {@code items} (those the folded development touched):
     * one per part of the view whose value differs, in the order of {@code items}, with both values as JSON (from
     * {@code json}). The timeline is never a change by itself.
     */
    static List<Change> between(NegotiationStatus before, NegotiationStatus after, Collection<ItemKey> items,
                                Function<SpecificRecord, String> json) {
        Map<String, ItemKey> byViewItem = new LinkedHashMap<>(); // a claim's stances and its text are one part of the view
        for (ItemKey item : items) {
            byViewItem.putIfAbsent(item.viewItem(), item);
        }
        List<Change> changes = new ArrayList<>();
        byViewItem.forEach((viewItem, item) -> {
            SpecificRecord was = StatusView.get(before, item);
            SpecificRecord now = StatusView.get(after, item);
            if (item.kind() != ItemKey.Kind.TIMELINE && !Objects.equals(was, now)) {
                changes.add(new Change(of(item.kind(), was, now), viewItem, json.apply(was), json.apply(now)));
            }
        });
        return changes;
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
