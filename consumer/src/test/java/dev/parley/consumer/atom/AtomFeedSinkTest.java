package dev.parley.consumer.atom;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.parley.consumer.Delivery;
import dev.parley.consumer.RejectedChangeException;
import dev.parley.schemas.Change;
import dev.parley.schemas.ChangeKind;
import dev.parley.schemas.StatusChange;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

class AtomFeedSinkTest {

    private static final String ATOM = "http://www.w3.org/2005/Atom";
    private static final String NEGOTIATION = "ukraine-peace-2025";
    private static final Instant FIRST_KNOWN_AT = Instant.parse("2025-12-02T18:00:00Z");

    @TempDir
    Path dir;

    @Test
    void shouldWriteOneEntryPerStatusChangeNewestFirst() throws Exception {
        // given
        var sink = new AtomFeedSink(dir);

        // when three changes arrive, the last with two items of two kinds
        assertThat(sink.accept(change(1))).isTrue();
        assertThat(sink.accept(change(2))).isTrue();
        assertThat(sink.accept(change(3, false,
                item(ChangeKind.MEETING_HELD, "meeting:moscow-2025-12-02", null, "{\"summary\":\"« très bonne »\"}"),
                item(ChangeKind.POSITION_CHANGED, "position:RU/territory", "{\"stance\":\"REJECTS\"}", "{\"stance\":\"OPEN\"}")))).isTrue();

        // then the file is an Atom feed of the negotiation with the entries newest first
        Document feed = parse(dir.resolve(NEGOTIATION + ".atom"));
        Element root = feed.getDocumentElement();
        assertThat(root.getNamespaceURI()).isEqualTo(ATOM);
        assertThat(root.getLocalName()).isEqualTo("feed");
        assertThat(child(root, "id")).isEqualTo("tag:parley.dev,2025:negotiation/ukraine-peace-2025");
        assertThat(child(root, "title")).isEqualTo("ukraine-peace-2025 — status changes");
        assertThat(child(root, "updated")).isEqualTo("2025-12-02T20:00:00Z");
        assertThat(child(root, "generator")).isEqualTo("Parley");
        assertThat(((Element) root.getElementsByTagNameNS(ATOM, "author").item(0)).getTextContent().strip()).isEqualTo("Parley");
        assertThat(root.getElementsByTagNameNS(ATOM, "link").getLength()).isZero();
        List<Element> entries = entries(feed);
        assertThat(entries).extracting(entry -> child(entry, "id")).containsExactly(
                "tag:parley.dev,2025:negotiation/ukraine-peace-2025/v3",
                "tag:parley.dev,2025:negotiation/ukraine-peace-2025/v2",
                "tag:parley.dev,2025:negotiation/ukraine-peace-2025/v1");

        // and the newest entry says what changed in words, and what was reported about each item, as HTML
        Element newest = entries.get(0);
        assertThat(child(newest, "title")).isEqualTo("Meeting held: moscow 2025 12 02; Position changed: RU territory");
        assertThat(child(newest, "updated")).isEqualTo("2025-12-02T20:00:00Z");
        assertThat(child(newest, "summary")).isEqualTo("2 changes (v2 → v3) caused by development-3.");
        assertThat(categories(newest)).containsExactly("MEETING_HELD", "POSITION_CHANGED");
        Element content = (Element) newest.getElementsByTagNameNS(ATOM, "content").item(0);
        assertThat(content.getAttribute("type")).isEqualTo("html");
        assertThat(content.getTextContent()).isEqualTo("<h3>Meeting held: moscow 2025 12 02</h3><p>« très bonne »</p>"
                + "<h3>Position changed: RU territory</h3>"
                + "<p>Caused by: development-3. Known at 2025-12-02T20:00:00Z, version 3.</p>");
    }

    @Test
    void shouldWriteNothingWhenTheSameChangesAreReplayed() throws Exception {
        // given two changes written
        var sink = new AtomFeedSink(dir);
        sink.accept(change(1));
        sink.accept(change(2));
        Path file = dir.resolve(NEGOTIATION + ".atom");
        byte[] before = Files.readAllBytes(file);

        // when both arrive again, as a replay
        boolean first = sink.accept(change(1, true));
        boolean second = sink.accept(change(2, true));

        // then neither is written and the file is byte for byte the same, with no temporary file left
        assertThat(first).isFalse();
        assertThat(second).isFalse();
        assertThat(Files.readAllBytes(file)).isEqualTo(before);
        assertThat(filesIn(dir)).containsExactly(NEGOTIATION + ".atom");
    }

    @Test
    void shouldStillIgnoreWrittenChangesAfterARestart() throws Exception {
        // given two changes written by sinks that then stopped
        new AtomFeedSink(dir).accept(change(1));
        new AtomFeedSink(dir).accept(change(2));
        Path file = dir.resolve(NEGOTIATION + ".atom");
        byte[] before = Files.readAllBytes(file);

        // when a new sink on the same directory is offered them again
        var restarted = new AtomFeedSink(dir);
        boolean first = restarted.accept(change(1));
        boolean second = restarted.accept(change(2));

        // then neither is written
        assertThat(first).isFalse();
        assertThat(second).isFalse();
        assertThat(Files.readAllBytes(file)).isEqualTo(before);

        // when a new change follows
        boolean third = restarted.accept(change(3));

        // then it is written, and the feed is the one a sink that never stopped writes
        assertThat(third).isTrue();
        Path other = Files.createDirectory(dir.resolve("never-stopped"));
        var neverStopped = new AtomFeedSink(other);
        for (long version = 1; version <= 3; version++) {
            neverStopped.accept(change(version));
        }
        assertThat(Files.readString(file)).isEqualTo(Files.readString(other.resolve(NEGOTIATION + ".atom")));
    }

    @Test
    void shouldKeepNewsTextThatLooksLikeMarkupAsContentText() throws Exception {
        // given news text with a script tag, a CDATA end and an ampersand
        String after = "{\"summary\":\"<script>alert(1)</script> ]]> & <![CDATA[x]]>\"}";
        var sink = new AtomFeedSink(dir);

        // when
        sink.accept(change(1, false, item(ChangeKind.STATEMENT_MADE, "statement:<b>kremlin</b>", null, after)));

        // then the feed parses, holds no such elements, and the text is the entry's text as it was
        Path file = dir.resolve(NEGOTIATION + ".atom");
        Document feed = parse(file);
        assertThat(feed.getElementsByTagName("script").getLength()).isZero();
        assertThat(feed.getElementsByTagName("b").getLength()).isZero();
        Element entry = entries(feed).get(0);
        String escaped = "&lt;script&gt;alert(1)&lt;/script&gt; ]]&gt; &amp; &lt;![CDATA[x]]&gt;";
        assertThat(child(entry, "content")).contains("<p>" + escaped + "</p>");
        assertThat(child(entry, "title")).isEqualTo("Statement made: <b>kremlin< b>");
        assertThat(Files.readString(file)).doesNotContain("<script>", "]]>", "<![CDATA[");

        // and it reads back after a restart
        assertThat(new AtomFeedSink(dir).accept(change(2))).isTrue();
        assertThat(child(entries(parse(file)).get(1), "content")).contains("<p>" + escaped + "</p>");
    }

    @Test
    void shouldReplaceCharactersThatXmlCannotHold() throws Exception {
        // given an item with a control character and a lone surrogate, which XML 1.0 has no way to write
        var sink = new AtomFeedSink(dir);

        // when
        sink.accept(change(1, false, item(ChangeKind.OTHER, "note:bell\u0007 half\uD83D", null, "{}")));

        // then the feed still parses, with a replacement character in their place
        Element entry = entries(parse(dir.resolve(NEGOTIATION + ".atom"))).get(0);
        assertThat(child(entry, "title")).isEqualTo("Other: bell\uFFFD half\uFFFD");
    }

    @Test
    void shouldKeepOnlyTheLatestEntries() throws Exception {
        // given a sink keeping three entries per feed
        var sink = new AtomFeedSink(dir, null, 3);

        // when five changes arrive, across a restart
        for (long version = 1; version <= 4; version++) {
            sink.accept(change(version));
        }
        new AtomFeedSink(dir, null, 3).accept(change(5));

        // then the feed holds the latest three
        assertThat(entries(parse(dir.resolve(NEGOTIATION + ".atom")))).extracting(entry -> child(entry, "id"))
                .containsExactly(
                        "tag:parley.dev,2025:negotiation/ukraine-peace-2025/v5",
                        "tag:parley.dev,2025:negotiation/ukraine-peace-2025/v4",
                        "tag:parley.dev,2025:negotiation/ukraine-peace-2025/v3");
    }

    @Test
    void shouldShowTheLatestStatementOfAGroupWithItsSourcesAsLinks() throws Exception {
        // given a group of statements, as the view holds it, with an older and a newer statement
        String group = """
                {"subject":"said:RU/territory","statements":[
                  {"summary":"Older.","reported_at":"2025-12-01T10:00:00Z","sources":[]},
                  {"summary":"Moscow asks for Donetsk.","reported_at":"2025-12-03T10:00:00Z",
                   "sources":[{"outlet":"Le Monde","url":"https://www.lemonde.fr/a?x=1&y=2","citation":"Questions territoriales","language":"fr"},
                              {"outlet":"TASS","url":null,"citation":null,"language":"ru"}]}],
                 "statement_count":2}""";
        var sink = new AtomFeedSink(dir);

        // when
        sink.accept(change(1, false, item(ChangeKind.STATEMENT_MADE, "statements:said:RU/territory", null, group)));

        // then the entry shows the newest statement, its sources linked when they have an address
        Element entry = entries(parse(dir.resolve(NEGOTIATION + ".atom"))).get(0);
        assertThat(child(entry, "title")).isEqualTo("Statement made: RU territory");
        assertThat(child(entry, "content")).startsWith("<h3>Statement made: RU territory</h3><p>Moscow asks for Donetsk.</p>"
                + "<p>Sources: <a href=\"https://www.lemonde.fr/a?x=1&amp;y=2\">Le Monde</a> (Questions territoriales); TASS</p>");
    }

    @Test
    void shouldMarkReplayedChangesInTheSummary() throws Exception {
        // given
        var sink = new AtomFeedSink(dir);

        // when a change arrives while history is replayed
        sink.accept(change(1, true));

        // then
        Element entry = entries(parse(dir.resolve(NEGOTIATION + ".atom"))).get(0);
        assertThat(child(entry, "summary")).isEqualTo("Replayed from history, not live. 1 change (v0 → v1) caused by development-1.");
    }

    @Test
    void shouldLinkToTheFeedAndTheDashboardWhenGivenABaseUrl() throws Exception {
        // given
        var sink = new AtomFeedSink(dir, URI.create("http://127.0.0.1:8080/"), AtomFeedSink.DEFAULT_MAX_ENTRIES);

        // when
        sink.accept(change(1));

        // then the feed links to itself and to the negotiation's page of the dashboard, and so does each entry
        Document feed = parse(dir.resolve(NEGOTIATION + ".atom"));
        NodeList links = feed.getDocumentElement().getElementsByTagNameNS(ATOM, "link");
        assertThat(links.getLength()).isEqualTo(3);
        assertThat(((Element) links.item(0)).getAttribute("rel")).isEqualTo("self");
        assertThat(((Element) links.item(0)).getAttribute("href")).isEqualTo("http://127.0.0.1:8080/feeds/ukraine-peace-2025.atom");
        assertThat(((Element) links.item(1)).getAttribute("rel")).isEqualTo("alternate");
        assertThat(((Element) links.item(1)).getAttribute("href")).isEqualTo("http://127.0.0.1:8080/?negotiation=ukraine-peace-2025");
        Element entryLink = (Element) entries(feed).get(0).getElementsByTagNameNS(ATOM, "link").item(0);
        assertThat(entryLink.getAttribute("rel")).isEqualTo("alternate");
        assertThat(entryLink.getAttribute("href")).isEqualTo("http://127.0.0.1:8080/?negotiation=ukraine-peace-2025");
    }

    @Test
    void shouldWriteAPollOfChangesAsAcceptingThemOneAtATimeWould() throws Exception {
        // given a poll: two negotiations interleaved, one change of them delivered before and one offered twice
        List<StatusChange> poll = List.of(change(1), change("talks-b", 1), change(2), change(3), change("talks-b", 2), change(3, true));
        var oneAtATime = new AtomFeedSink(dir.resolve("one"));
        var atOnce = new AtomFeedSink(dir.resolve("all"));
        oneAtATime.accept(change(1));
        atOnce.accept(change(1));

        // when one sink takes them one at a time and the other all at once
        List<Delivery> accepted = new ArrayList<>();
        for (StatusChange change : poll) {
            accepted.add(Delivery.of(oneAtATime.accept(change)));
        }
        List<Delivery> acceptedAtOnce = atOnce.acceptAll(poll);

        // then both say the same of each change, and write the same feeds
        assertThat(accepted).containsExactly(Delivery.ALREADY_HAD, Delivery.DELIVERED, Delivery.DELIVERED, Delivery.DELIVERED,
                Delivery.DELIVERED, Delivery.ALREADY_HAD);
        assertThat(acceptedAtOnce).isEqualTo(accepted);
        for (String feed : List.of(NEGOTIATION + ".atom", "talks-b.atom")) {
            assertThat(Files.readString(dir.resolve("all").resolve(feed))).isEqualTo(Files.readString(dir.resolve("one").resolve(feed)));
        }
        assertThat(entries(parse(dir.resolve("all").resolve(NEGOTIATION + ".atom")))).extracting(entry -> child(entry, "id"))
                .containsExactly("tag:parley.dev,2025:negotiation/ukraine-peace-2025/v3",
                        "tag:parley.dev,2025:negotiation/ukraine-peace-2025/v2",
                        "tag:parley.dev,2025:negotiation/ukraine-peace-2025/v1");
        assertThat(filesIn(dir.resolve("all"))).containsExactlyInAnyOrder(NEGOTIATION + ".atom", "talks-b.atom");
    }

    @Test
    void shouldReadTheFeedAgainWhenAnotherSinkWroteItSince() throws Exception {
        // given a sink that wrote two changes, and then another sink on the same folder that wrote the third
        var first = new AtomFeedSink(dir);
        first.accept(change(1));
        first.accept(change(2));
        new AtomFeedSink(dir).accept(change(3));

        // when the first sink is offered the third and a fourth
        List<Delivery> accepted = first.acceptAll(List.of(change(3), change(4)));

        // then it writes the fourth on top of the feed as it is now, the other sink's entry kept
        assertThat(accepted).containsExactly(Delivery.ALREADY_HAD, Delivery.DELIVERED);
        assertThat(entries(parse(dir.resolve(NEGOTIATION + ".atom")))).extracting(entry -> child(entry, "id"))
                .containsExactly("tag:parley.dev,2025:negotiation/ukraine-peace-2025/v4", "tag:parley.dev,2025:negotiation/ukraine-peace-2025/v3",
                        "tag:parley.dev,2025:negotiation/ukraine-peace-2025/v2", "tag:parley.dev,2025:negotiation/ukraine-peace-2025/v1");
    }

    @Test
    void shouldLeaveOutOfAPollOnlyTheNegotiationsItCannotWrite() throws Exception {
        // given a poll with a negotiation whose id cannot name a file, and one whose feed is a folder
        var sink = new AtomFeedSink(dir);
        Files.createDirectories(dir.resolve("blocked.atom"));
        List<StatusChange> poll = List.of(change("../escape", 1), change(1), change("blocked", 1), change(2));

        // when
        List<Delivery> accepted = sink.acceptAll(poll);

        // then those two are left out, for one-at-a-time delivery (where the first is parked), and the rest is written
        assertThat(accepted).containsExactly(Delivery.LEFT_OUT, Delivery.DELIVERED, Delivery.LEFT_OUT, Delivery.DELIVERED);
        assertThat(entries(parse(dir.resolve(NEGOTIATION + ".atom")))).hasSize(2);
        assertThatThrownBy(() -> sink.accept(poll.get(0))).isInstanceOf(RejectedChangeException.class);
        assertThat(dir.resolveSibling("escape.atom")).doesNotExist();
    }

    @Test
    void shouldRefuseANegotiationIdThatIsNotASafeFileName() throws Exception {
        // given
        var sink = new AtomFeedSink(dir);

        for (String id : List.of("../escape", "a/b", ".hidden", "", "with space", "x".repeat(201))) {
            // when
            StatusChange change = StatusChange.newBuilder().setNegotiationId(id).setFromVersion(0).setToVersion(1)
                    .setChanges(List.of(item(ChangeKind.OTHER, "phase", null, "{}"))).setCausedBy(List.of("development-1"))
                    .setKnownAt(FIRST_KNOWN_AT).setReplayed(false).build();

            // then
            assertThatThrownBy(() -> sink.accept(change))
                    .isInstanceOf(RejectedChangeException.class)
                    .hasMessageContaining("negotiation id \"" + id + "\"")
                    .hasMessageContaining("cannot name a feed file");
        }
        assertThat(filesIn(dir)).isEmpty();
        assertThat(dir.resolveSibling("escape.atom")).doesNotExist();
    }

    @Test
    void shouldRefuseToStartOnAFeedItCannotRead() throws Exception {
        // given a feed file that is not XML
        Path file = dir.resolve(NEGOTIATION + ".atom");
        Files.writeString(file, "<feed xmlns=\"http://www.w3.org/2005/Atom\"><entry>");

        // when / then the sink does not start, naming the file, and leaves the file alone
        assertThatThrownBy(() -> new AtomFeedSink(dir))
                .isInstanceOf(IOException.class)
                .hasMessageContaining(file + " is not a Parley Atom feed of ukraine-peace-2025");
        assertThat(Files.readString(file)).isEqualTo("<feed xmlns=\"http://www.w3.org/2005/Atom\"><entry>");
    }

    // ---- fixtures ----

    private static StatusChange change(long version) {
        return change(version, false);
    }

    private static StatusChange change(long version, boolean replayed) {
        return change(version, replayed,
                item(ChangeKind.MEETING_HELD, "meeting:moscow-2025-12-02", null, "{\"summary\":\"v" + version + "\"}"));
    }

    private static StatusChange change(String negotiationId, long version) {
        StatusChange change = change(version);
        change.setNegotiationId(negotiationId);
        return change;
    }

    private static StatusChange change(long version, boolean replayed, Change... items) {
        return StatusChange.newBuilder()
                .setNegotiationId(NEGOTIATION)
                .setFromVersion(version - 1)
                .setToVersion(version)
                .setChanges(List.of(items))
                .setCausedBy(List.of("development-" + version))
                .setKnownAt(FIRST_KNOWN_AT.plus(Duration.ofHours(version - 1)))
                .setReplayed(replayed)
                .build();
    }

    private static Change item(ChangeKind kind, String item, String before, String after) {
        return Change.newBuilder().setKind(kind).setItem(item).setBefore(before).setAfter(after).build();
    }

    private static Document parse(Path file) throws Exception {
        var factory = DocumentBuilderFactory.newInstance();
        factory.setNamespaceAware(true);
        return factory.newDocumentBuilder().parse(file.toFile());
    }

    private static List<Element> entries(Document feed) {
        NodeList nodes = feed.getElementsByTagNameNS(ATOM, "entry");
        List<Element> entries = new ArrayList<>();
        for (int i = 0; i < nodes.getLength(); i++) {
            entries.add((Element) nodes.item(i));
        }
        return entries;
    }

    /** The text of the first direct child of that name, so a feed's id is not an entry's. */
    private static String child(Element parent, String name) {
        for (var node = parent.getFirstChild(); node != null; node = node.getNextSibling()) {
            if (node instanceof Element element && ATOM.equals(element.getNamespaceURI()) && name.equals(element.getLocalName())) {
                return element.getTextContent();
            }
        }
        throw new AssertionError("no <" + name + "> in <" + parent.getLocalName() + ">");
    }

    private static List<String> categories(Element entry) {
        NodeList nodes = entry.getElementsByTagNameNS(ATOM, "category");
        List<String> terms = new ArrayList<>();
        for (int i = 0; i < nodes.getLength(); i++) {
            terms.add(((Element) nodes.item(i)).getAttribute("term"));
        }
        return terms;
    }

    private static List<String> filesIn(Path dir) throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.map(file -> file.getFileName().toString()).toList();
        }
    }
}
