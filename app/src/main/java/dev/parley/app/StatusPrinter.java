package dev.parley.app;

import dev.parley.schemas.Actor;
import dev.parley.schemas.ClaimState;
import dev.parley.schemas.EventDates;
import dev.parley.schemas.ItemCounts;
import dev.parley.schemas.MeasureState;
import dev.parley.schemas.MeetingState;
import dev.parley.schemas.NegotiationStatus;
import dev.parley.schemas.Phase;
import dev.parley.schemas.PositionState;
import dev.parley.schemas.StatementGroup;
import dev.parley.schemas.StatementState;
import dev.parley.schemas.StickingPoint;
import java.util.List;
import java.util.stream.Collectors;

/** Renders a negotiation's view as plain text for an 80-column terminal; news text stays in its own language. */
final class StatusPrinter {

    static final int WIDTH = 80;

    private final StringBuilder out = new StringBuilder();

    private StatusPrinter() {
    }

    static String render(NegotiationStatus status) {
        return new StatusPrinter().print(status).out.toString();
    }

    private StatusPrinter print(NegotiationStatus s) {
        String title = s.getNegotiationId() + "  (version " + s.getVersion() + ", " + s.getDevelopmentCount() + " developments"
                + (s.getCoveredFrom() == null ? "" : ", " + range(s)) + ")";
        line(title);
        line("=".repeat(Math.min(WIDTH, title.length())));
        if (s.getPhase() != null) {
            field("Phase", phase(s.getPhase().getPhase()) + ", since " + EventDates.display(s.getPhase().getSince()));
            if (s.getPhase().getPath().size() > 1) {
                wrap("reached by " + s.getPhase().getPath().stream().map(step -> phase(step.getPhase()))
                        .collect(Collectors.joining(" → ")), 10);
            }
        }
        if (s.getDecision() != null) {
            field("Decision", switch (s.getDecision().getStatus()) {
                case NONE_ANNOUNCED -> "no formal decision announced";
                case ANNOUNCED -> "formal decision announced";
            } + " (" + EventDates.display(s.getDecision().getDate()) + ")");
            wrap(s.getDecision().getSummary(), 4);
        }
        ItemCounts counts = s.getItemCounts();
        section("Meetings", s.getMeetings(), counts == null ? 0 : counts.getMeetings(), this::meeting);
        section("Positions", s.getPositions(), counts == null ? 0 : counts.getPositions(), this::position);
        section("Claims (never stated as fact)", s.getClaims(), counts == null ? 0 : counts.getClaims(), this::claim);
        section("Support measures", s.getSupportMeasures(), counts == null ? 0 : counts.getSupportMeasures(), m -> measure(m, false));
        section("Resolutions", s.getResolutions(), counts == null ? 0 : counts.getResolutions(), m -> measure(m, true));
        section("Open sticking points", s.getStickingPoints(), counts == null ? 0 : counts.getStickingPoints(), this::stickingPoint);
        section("Statements", s.getStatements(), counts == null ? 0 : counts.getStatements(), this::statements);
        return this;
    }

    private void statements(StatementGroup group) {
        int notShown = group.getStatementCount() - group.getStatements().size();
        line("  - on " + group.getSubject() + ":" + (notShown > 0 ? " (the latest " + group.getStatements().size() + " of "
                + group.getStatementCount() + ")" : ""));
        for (StatementState statement : group.getStatements()) {
            String who = statement.getSpeakers().isEmpty() ? "unattributed"
                    : statement.getSpeakers().stream().map(StatusPrinter::actor).collect(Collectors.joining(", "));
            wrap(who + ", " + EventDates.display(statement.getDate()) + ": " + statement.getSummary(), 4);
        }
    }

    private static String phase(Phase phase) {
        return phase.name().replace('_', ' ').toLowerCase();
    }

    private void meeting(MeetingState m) {
        String occurrence = switch (m.getOccurrence()) {
            case OCCURRED -> "held";
            case SCHEDULED -> "scheduled";
            case POSTPONED -> "postponed";
            case CANCELLED -> "cancelled";
            case UNKNOWN -> "status unknown";
        };
        line("  - " + occurrence + ", " + EventDates.display(m.getDate()) + (m.getPlace() == null ? "" : ", " + m.getPlace()));
        wrap(m.getParticipants().stream().map(StatusPrinter::actor).collect(Collectors.joining(", ")), 4);
    }

    private void position(PositionState p) {
        line("  - " + p.getParty() + " on " + p.getIssue() + " (" + EventDates.display(p.getDate()) + ")");
        wrap(p.getSummary(), 4);
    }

    private void claim(ClaimState c) {
        line("  - " + c.getClaim() + ": " + c.getStanding().name().toLowerCase());
        c.getStances().forEach(stance -> wrap(stance.getClaimant() + " (" + stance.getParty() + ") "
                + stance.getStance().name().toLowerCase().replace('_', ' '), 4));
    }

    private void measure(MeasureState m, boolean resolution) {
        String binding = !resolution || m.getBinding() == null ? "" : m.getBinding() ? ", binding" : ", non-binding";
        line("  - " + String.join(", ", m.getParties()) + " (" + EventDates.display(m.getDate()) + binding + ")");
        wrap(m.getSummary(), 4);
    }

    private void stickingPoint(StickingPoint p) {
        line("  - " + p.getIssue() + " (" + EventDates.display(p.getDate()) + ")");
        wrap(p.getSummary(), 4);
    }

    /** A list of the view; {@code count} is how many it holds in all, of which the view shows the latest. */
    private <T> void section(String title, List<T> items, int count, java.util.function.Consumer<T> printer) {
        if (!items.isEmpty()) {
            line("");
            line(title + (count > items.size() ? " (the latest " + items.size() + " of " + count + "; the timeline has them all)" : "") + ":");
            items.forEach(printer);
        }
    }

    private void field(String name, String value) {
        line(String.format("%-9s %s", name + ":", value));
    }

    private static String actor(Actor a) {
        return a.getName() + " (" + a.getParty() + ")";
    }

    private static String range(NegotiationStatus s) {
        String from = EventDates.display(s.getCoveredFrom());
        String to = EventDates.display(s.getCoveredTo());
        return from.equals(to) ? from : from + " to " + to;
    }

    private void line(String text) {
        out.append(text).append(System.lineSeparator());
    }

    private void wrap(String text, int indent) {
        out.append(wrapped(text, indent));
    }

    /** Word-wraps text to the terminal width under the given indent (a word longer than a line stays whole). */
    static String wrapped(String text, int indent) {
        String pad = " ".repeat(indent);
        StringBuilder lines = new StringBuilder();
        StringBuilder current = new StringBuilder(pad);
        for (String word : text.strip().split("\\s+")) {
            if (current.length() > indent && current.length() + 1 + word.length() > WIDTH) {
                lines.append(current).append(System.lineSeparator());
                current = new StringBuilder(pad);
            }
            if (current.length() > indent) {
                current.append(' ');
            }
            current.append(word);
        }
        if (current.length() > indent) {
            lines.append(current).append(System.lineSeparator());
        }
        return lines.toString();
    }
}
