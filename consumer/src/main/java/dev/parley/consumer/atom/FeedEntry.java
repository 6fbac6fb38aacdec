package dev.parley.consumer.atom;

import dev.parley.schemas.Change;
import dev.parley.schemas.StatusChange;
import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * One status change of a negotiation as a feed reader sees it. The text is rendered once, when the change
 * arrives, and read back verbatim from the feed file, so a feed rebuilt after a restart reads the same.
 *
 * @param version the view's version after the change ({@code to_version}); names the entry
 * @param title   the kinds and items that changed, e.g. {@code v7: MEETING_HELD meeting:moscow-2025-12-02}
 * @param updated when the development that caused the change was reported ({@code known_at})
 * @param summary one line: how many changes, which versions, which developments, and whether replayed
 * @param kinds   the distinct kinds of change, in order of first appearance; one category each
 * @param content plain text: each changed item with its JSON after and before
 */
record FeedEntry(long version, String title, Instant updated, String summary, List<String> kinds, String content) {

    /** Items named in a title before the rest is only counted; feed readers show titles on one line. */
    static final int TITLE_ITEMS = 5;

    FeedEntry {
        Objects.requireNonNull(updated, "updated");
        // Cleaned here, so every entry can be written as XML and reads back equal.
        title = XmlText.clean(title);
        summary = XmlText.clean(summary);
        content = XmlText.clean(content);
        kinds = kinds.stream().map(XmlText::clean).toList();
    }

    static FeedEntry of(StatusChange change) {
        List<Change> changes = change.getChanges();
        return new FeedEntry(change.getToVersion(), title(change), change.getKnownAt(), summary(change),
                changes.stream().map(item -> item.getKind().name()).distinct().toList(), content(change));
    }

    /** {@code v7: MEETING_HELD meeting:moscow-2025-12-02; POSITION_CHANGED position:RU/territory}. */
    static String title(StatusChange change) {
        List<Change> changes = change.getChanges();
        var text = new StringBuilder("v").append(change.getToVersion()).append(':');
        for (int i = 0; i < Math.min(changes.size(), TITLE_ITEMS); i++) {
            text.append(i == 0 ? " " : "; ").append(changes.get(i).getKind()).append(' ').append(changes.get(i).getItem());
        }
        if (changes.size() > TITLE_ITEMS) {
            text.append("; +").append(changes.size() - TITLE_ITEMS).append(" more");
        }
        return text.toString();
    }

    /** {@code Replayed from history, not live. 2 changes (v6 → v7) caused by moscow-meeting.} */
    static String summary(StatusChange change) {
        int count = change.getChanges().size();
        return (change.getReplayed() ? "Replayed from history, not live. " : "")
                + count + (count == 1 ? " change" : " changes")
                + " (v" + change.getFromVersion() + " → v" + change.getToVersion() + ")"
                + (change.getCausedBy().isEmpty() ? "" : " caused by " + String.join(", ", change.getCausedBy()))
                + ".";
    }

    /** Each item on its own line, then its JSON after and before; the XML writer escapes it, so it stays text. */
    static String content(StatusChange change) {
        var text = new StringBuilder();
        for (Change item : change.getChanges()) {
            text.append(item.getKind()).append(' ').append(item.getItem()).append('\n')
                    .append("  after: ").append(item.getAfter() == null ? "(removed)" : item.getAfter()).append('\n')
                    .append("  before: ").append(item.getBefore() == null ? "(new)" : item.getBefore()).append('\n');
        }
        if (!change.getCausedBy().isEmpty()) {
            text.append("Caused by: ").append(String.join(", ", change.getCausedBy())).append('\n');
        }
        text.append("Known at: ").append(change.getKnownAt());
        if (change.getReplayed()) {
            text.append('\n').append("Replayed from history, not live.");
        }
        return text.toString();
    }
}
