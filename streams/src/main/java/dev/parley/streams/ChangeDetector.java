package dev.parley.streams;

import dev.parley.schemas.Change;
import dev.parley.schemas.ChangeKind;
import dev.parley.schemas.ClaimState;
import dev.parley.schemas.DecisionStatus;
import dev.parley.schemas.MeasureState;
import dev.parley.schemas.MeetingState;
import dev.parley.schemas.NegotiationStatus;
import dev.parley.schemas.PositionState;
import dev.parley.schemas.StickingPoint;
import dev.parley.schemas.json.AvroJson;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.BiFunction;
import java.util.function.Function;
import org.apache.avro.specific.SpecificRecord;

/**
 * What a reader would notice between two versions of a view: each changed item with its kind, before and after.
 * Counts and time ranges alone are not a visible change. Pure, no Kafka.
 */
public final class ChangeDetector {

    private ChangeDetector() {
    }

    public static List<Change> between(NegotiationStatus before, NegotiationStatus after) {
        List<Change> changes = new ArrayList<>();
        if (!Objects.equals(before.getPhase(), after.getPhase())) {
            boolean samePhase = before.getPhase() != null && after.getPhase() != null
                    && before.getPhase().getPhase() == after.getPhase().getPhase();
            changes.add(change(samePhase ? ChangeKind.OTHER : ChangeKind.PHASE_CHANGED, "phase", before.getPhase(), after.getPhase()));
        }
        if (!Objects.equals(before.getDecision(), after.getDecision())) {
            boolean announced = after.getDecision() != null && after.getDecision().getStatus() == DecisionStatus.ANNOUNCED;
            changes.add(change(announced ? ChangeKind.DECISION_ANNOUNCED : ChangeKind.DECISION_STATED, "decision",
                    before.getDecision(), after.getDecision()));
        }
        compare(changes, before.getMeetings(), after.getMeetings(), m -> "meeting:" + strip(m.getSubject(), "meeting:"),
                (was, now) -> switch (now.getOccurrence()) {
                    case OCCURRED -> was != null && was.getOccurrence() == now.getOccurrence() ? ChangeKind.MEETING_UPDATED : ChangeKind.MEETING_HELD;
                    case SCHEDULED -> was != null && was.getOccurrence() == now.getOccurrence() ? ChangeKind.MEETING_UPDATED : ChangeKind.MEETING_SCHEDULED;
                    case POSTPONED -> ChangeKind.MEETING_POSTPONED;
                    case CANCELLED -> ChangeKind.MEETING_CANCELLED;
                    default -> ChangeKind.MEETING_UPDATED;
                });
        compare(changes, before.getPositions(), after.getPositions(), p -> "position:" + p.getParty() + "/" + p.getIssue(),
                (was, now) -> ChangeKind.POSITION_CHANGED);
        compare(changes, before.getClaims(), after.getClaims(), c -> "claim:" + strip(c.getSubject(), "claim:"),
                (was, now) -> {
                    if (was == null) {
                        return ChangeKind.CLAIM_ADDED;
                    }
                    if (was.getStanding() == now.getStanding()) {
                        return ChangeKind.CLAIM_UPDATED;
                    }
                    return switch (now.getStanding()) {
                        case CONTESTED -> ChangeKind.CLAIM_CONTESTED;
                        case CORROBORATED -> ChangeKind.CLAIM_CORROBORATED;
                        case REFUTED -> ChangeKind.CLAIM_REFUTED;
                        default -> ChangeKind.CLAIM_UPDATED;
                    };
                });
        compare(changes, before.getSupportMeasures(), after.getSupportMeasures(), m -> "support:" + m.getSubject(),
                (was, now) -> was == null ? ChangeKind.SUPPORT_ANNOUNCED : ChangeKind.OTHER);
        compare(changes, before.getResolutions(), after.getResolutions(), m -> "resolution:" + strip(m.getSubject(), "resolution:"),
                (was, now) -> was == null ? ChangeKind.RESOLUTION_ADOPTED : ChangeKind.OTHER);
        compare(changes, before.getStickingPoints(), after.getStickingPoints(), p -> "sticking-point:" + p.getIssue(),
                (was, now) -> was == null ? ChangeKind.STICKING_POINT_OPENED : ChangeKind.OTHER);
        return changes;
    }

    private static <T extends SpecificRecord> void compare(List<Change> changes, List<T> before, List<T> after,
                                                           Function<T, String> key, BiFunction<T, T, ChangeKind> kind) {
        Map<String, T> was = index(before, key);
        Map<String, T> now = index(after, key);
        now.forEach((item, current) -> {
            T previous = was.get(item);
            if (!current.equals(previous)) {
                changes.add(change(kind.apply(previous, current), item, previous, current));
            }
        });
        was.forEach((item, previous) -> {
            if (!now.containsKey(item)) {
                changes.add(change(ChangeKind.ITEM_REMOVED, item, previous, null));
            }
        });
    }

    private static <T> Map<String, T> index(List<T> items, Function<T, String> key) {
        Map<String, T> byKey = new LinkedHashMap<>();
        items.forEach(item -> byKey.put(key.apply(item), item));
        return byKey;
    }

    private static Change change(ChangeKind kind, String item, SpecificRecord before, SpecificRecord after) {
        return new Change(kind, item, before == null ? null : AvroJson.toJsonString(before),
                after == null ? null : AvroJson.toJsonString(after));
    }

    private static String strip(String subject, String prefix) {
        return subject.startsWith(prefix) ? subject.substring(prefix.length()) : subject;
    }
}
