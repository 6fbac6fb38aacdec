package dev.parley.streams;

import dev.parley.schemas.Actor;
import dev.parley.schemas.Claim;
import dev.parley.schemas.Development;
import dev.parley.schemas.DevelopmentType;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * One item of a negotiation's view that developments are about: the phase, a meeting, a party's position on
 * an issue, one claimant's stance on a claim... Each item is recomputed from the developments about it alone.
 *
 * @param encoded the item's key in the development index, ending with SEP so it is a safe prefix: made once, since
 *                the fold uses it for every read and write about the item
 */
record ItemKey(Kind kind, List<String> parts, String encoded) {

    /** Separates key parts; NUL sorts before every other character, so a key prefix never matches a longer part. */
    static final String SEP = "\u0000";

    /** Issue key for developments that name no issue. */
    static final String GENERAL = "general";

    /** Party for actors nobody attributed. */
    static final String UNATTRIBUTED = "unattributed";

    /** In the order a batch is applied: a claim's stances before its text. */
    enum Kind { TIMELINE, PHASE, DECISION, MEETING, POSITION, STANCE, CLAIM, SUPPORT, RESOLUTION, STATEMENTS, STICKING_POINT }

    /** Developments that are said rather than done: grouped by subject in the view's statements. */
    static final Set<DevelopmentType> STATEMENT_TYPES = java.util.EnumSet.of(DevelopmentType.STATEMENT, DevelopmentType.ASSESSMENT,
            DevelopmentType.PROPOSAL, DevelopmentType.CONSULTATION, DevelopmentType.OUTCOME, DevelopmentType.OTHER);

    static ItemKey of(Kind kind, String... parts) {
        var key = new StringBuilder(kind.name()).append(SEP);
        for (String part : parts) {
            key.append(part).append(SEP);
        }
        return new ItemKey(kind, List.of(parts), key.toString());
    }

    /** Every item a development in force is about. */
    static Set<ItemKey> of(Development d) {
        Set<ItemKey> items = new LinkedHashSet<>();
        items.add(of(Kind.TIMELINE));
        if (d.getPhase() != null) {
            items.add(of(Kind.PHASE));
        }
        if (d.getDecision() != null) {
            items.add(of(Kind.DECISION));
        }
        DevelopmentType type = d.getType();
        if (type == DevelopmentType.MEETING) {
            items.add(of(Kind.MEETING, subject(d)));
        }
        if (type == DevelopmentType.SUPPORT_MEASURE) {
            items.add(of(Kind.SUPPORT, subject(d)));
        }
        if (type == DevelopmentType.RESOLUTION) {
            items.add(of(Kind.RESOLUTION, subject(d)));
        }
        if (STATEMENT_TYPES.contains(type) && !(type == DevelopmentType.OUTCOME && d.getDecision() != null)) {
            items.add(of(Kind.STATEMENTS, statementSubject(d)));
        }
        if (type == DevelopmentType.POSITION) {
            for (String party : parties(d)) {
                for (String issue : issues(d)) {
                    items.add(of(Kind.POSITION, party, issue));
                }
            }
        }
        if (d.getStickingPoint()) {
            issues(d).forEach(issue -> items.add(of(Kind.STICKING_POINT, issue)));
        }
        for (Claim claim : d.getClaims()) {
            String subject = claimSubject(d, claim);
            items.add(of(Kind.STANCE, subject, claim.getClaimant()));
            items.add(of(Kind.CLAIM, subject));
        }
        return items;
    }

    /** Which part of the view the item shows up in, as change items name it ("claim:pokrovsk-capture"). */
    String viewItem() {
        return switch (kind) {
            case TIMELINE -> "timeline";
            case PHASE -> "phase";
            case DECISION -> "decision";
            case MEETING -> "meeting:" + strip(parts.get(0), "meeting:");
            case POSITION -> "position:" + parts.get(0) + "/" + parts.get(1);
            case STANCE, CLAIM -> "claim:" + strip(parts.get(0), "claim:");
            case SUPPORT -> "support:" + strip(parts.get(0), "measure:");
            case RESOLUTION -> "resolution:" + strip(parts.get(0), "resolution:");
            case STATEMENTS -> "statements:" + parts.get(0);
            case STICKING_POINT -> "sticking-point:" + parts.get(0);
        };
    }

    /** The list of the view the item shows up in; null for the phase, the decision and the timeline. */
    ViewList list() {
        return switch (kind) {
            case MEETING -> ViewList.MEETINGS;
            case POSITION -> ViewList.POSITIONS;
            case STANCE, CLAIM -> ViewList.CLAIMS;
            case SUPPORT -> ViewList.SUPPORT_MEASURES;
            case RESOLUTION -> ViewList.RESOLUTIONS;
            case STATEMENTS -> ViewList.STATEMENTS;
            case STICKING_POINT -> ViewList.STICKING_POINTS;
            case TIMELINE, PHASE, DECISION -> null;
        };
    }

    /** The item as the view shows it: a claimant's stance is part of its claim. */
    ItemKey shownAs() {
        return kind == Kind.STANCE ? of(Kind.CLAIM, parts.get(0)) : this;
    }

    /** What tells the item from the others of its list, as {@link ViewList#key} reads it off the item's value. */
    String keyInList() {
        return kind == Kind.POSITION ? parts.get(0) + SEP + parts.get(1) : parts.get(0);
    }

    /**
     * A meeting, measure or resolution without a subject is an event of its own, keyed by its development id: one item
     * per such development, of which the view shows the latest.
     */
    static String subject(Development d) {
        return d.getSubject() != null ? d.getSubject() : d.getDevelopmentId();
    }

    /**
     * Statements without a subject are grouped by who spoke and about what ("said:RU/territory:donetsk"), so that a
     * stream of them updates a few groups rather than making an item each.
     */
    static String statementSubject(Development d) {
        return d.getSubject() != null ? d.getSubject()
                : "said:" + String.join("+", parties(d)) + "/" + String.join("+", issues(d));
    }

    static String claimSubject(Development d, Claim claim) {
        return d.getSubject() != null ? d.getSubject() : "claim:" + claim.getClaim();
    }

    static List<String> parties(Development d) {
        List<String> parties = d.getActors().stream().map(Actor::getParty).distinct().sorted().toList();
        return parties.isEmpty() ? List.of(UNATTRIBUTED) : parties;
    }

    static List<String> issues(Development d) {
        List<String> issues = d.getIssues().stream().distinct().sorted().toList();
        return issues.isEmpty() ? List.of(GENERAL) : new ArrayList<>(issues);
    }

    private static String strip(String subject, String prefix) {
        return subject.startsWith(prefix) ? subject.substring(prefix.length()) : subject;
    }
}
