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
 * @param title   what changed, in words, e.g. {@code Meeting held: moscow witkoff kushner putin}
 * @param updated when the development that caused the change was reported ({@code known_at})
 * @param summary one line: how many changes, which versions, which developments, and whether replayed
 * @param kinds   the distinct kinds of change, in order of first appearance; one category each
 * @param content HTML (Atom's {@code type="html"}): each changed item with what the development said and its sources
 */
record FeedEntry(long version, String title, Instant updated, String summary, List<String> kinds, String content) {

    /** Items named in a title before the rest is only counted; feed readers show titles on one line. */
    static final int TITLE_ITEMS = 3;

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

    /** {@code Meeting held: moscow witkoff kushner putin; Position changed: RU / territory}. */
    static String title(StatusChange change) {
        List<Change> changes = change.getChanges();
        var text = new StringBuilder();
        for (int i = 0; i < Math.min(changes.size(), TITLE_ITEMS); i++) {
            text.append(i == 0 ? "" : "; ").append(FeedText.heading(changes.get(i)));
        }
        if (changes.size() > TITLE_ITEMS) {
            text.append("; +").append(changes.size() - TITLE_ITEMS).append(" more");
        }
        return text.length() == 0 ? "v" + change.getToVersion() : text.toString();
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

    /** Each item: its heading, what was reported about it, its sources as links; then what caused the change. */
    static String content(StatusChange change) {
        var html = new StringBuilder();
        for (Change item : change.getChanges()) {
            html.append(FeedText.html(item));
        }
        html.append("<p>");
        if (!change.getCausedBy().isEmpty()) {
            html.append("Caused by: ").append(FeedText.escape(String.join(", ", change.getCausedBy()))).append(". ");
        }
        html.append("Known at ").append(change.getKnownAt()).append(", version ").append(change.getToVersion()).append('.');
        if (change.getReplayed()) {
            html.append(" Replayed from history, not live.");
        }
        return html.append("</p>").toString();
    }
}
