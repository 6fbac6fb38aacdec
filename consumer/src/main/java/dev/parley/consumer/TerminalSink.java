package dev.parley.consumer;

import dev.parley.schemas.Change;
import dev.parley.schemas.StatusChange;
import java.io.PrintStream;

/** Prints each status change as a short readable block, for people watching {@code parley up}. */
public final class TerminalSink implements Sink {

    private final PrintStream out;

    public TerminalSink(PrintStream out) {
        this.out = out;
    }

    @Override
    public String name() {
        return "terminal";
    }

    @Override
    public boolean accept(StatusChange change) {
        out.println(format(change));
        return true;
    }

    /** {@code ukraine-peace-2025 v3 (after moscow-meeting): MEETING_HELD meeting:moscow-...}. */
    public static String format(StatusChange change) {
        var text = new StringBuilder()
                .append(change.getNegotiationId()).append(" v").append(change.getToVersion())
                .append(change.getReplayed() ? " (replayed)" : "")
                .append(" (after ").append(String.join(", ", change.getCausedBy())).append(')');
        for (Change item : change.getChanges()) {
            text.append(System.lineSeparator()).append("  ").append(item.getKind()).append(' ').append(item.getItem());
        }
        return text.toString();
    }
}
