package dev.parley.consumer.atom;

import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.StringWriter;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import javax.xml.XMLConstants;
import javax.xml.stream.XMLInputFactory;
import javax.xml.stream.XMLOutputFactory;
import javax.xml.stream.XMLStreamConstants;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamReader;
import javax.xml.stream.XMLStreamWriter;

/**
 * The Atom 1.0 feed (RFC 4287) of one negotiation's status changes: rendered from its entries, and its entries
 * read back from a feed file, both with StAX. Pure: no files, no clock.
 */
final class AtomFeed {

    static final String NAMESPACE = "http://www.w3.org/2005/Atom";

    /** Tag URIs (RFC 4151) name the feed and its entries for good, whatever host serves the file. */
    private static final String TAG = "tag:parley.dev,2025:";

    private static final String AUTHOR = "Parley";

    private static final Comparator<FeedEntry> NEWEST_FIRST = Comparator.comparingLong(FeedEntry::version).reversed();

    private AtomFeed() {
    }

    static String feedId(String negotiationId) {
        return TAG + "negotiation/" + negotiationId;
    }

    /** The same for a change whether it arrives live or replayed, so feed readers never show it twice. */
    static String entryId(String negotiationId, long version) {
        return entryIdPrefix(negotiationId) + version;
    }

    private static String entryIdPrefix(String negotiationId) {
        return feedId(negotiationId) + "/v";
    }

    /**
     * An entry as it is written in its feed, UTF-8, so that a feed of the latest 100 changes is written again with one
     * new entry rendered rather than all of them: their content holds whole items as JSON, and escaping it all again
     * per change was most of the sink's CPU under load.
     */
    record RenderedEntry(long version, Instant updated, byte[] xml) {
    }

    /** @param baseUrl the HTTP API's address, for the entry's link to the dashboard; null writes none */
    static RenderedEntry renderEntry(String negotiationId, URI baseUrl, FeedEntry entry) {
        var text = new StringWriter();
        try {
            XMLStreamWriter xml = XMLOutputFactory.newFactory().createXMLStreamWriter(text);
            entry(xml, negotiationId, baseUrl, entry); // in the feed's default namespace, which <feed> declares
            xml.close();
        } catch (XMLStreamException e) {
            throw new IllegalStateException("cannot render entry v" + entry.version() + " of " + negotiationId, e); // a bug: writing to a string
        }
        return new RenderedEntry(entry.version(), entry.updated(), text.toString().getBytes(StandardCharsets.UTF_8));
    }

    /**
     * The feed document.
     *
     * @param baseUrl the HTTP API's address, for the self and alternate links; null writes no links
     * @param entries newest first; at least one, since a negotiation has a feed once it has a change
     */
    static String render(String negotiationId, URI baseUrl, List<FeedEntry> entries) {
        List<RenderedEntry> rendered = entries.stream().map(entry -> renderEntry(negotiationId, baseUrl, entry)).toList();
        return new String(renderFeed(negotiationId, baseUrl, rendered), StandardCharsets.UTF_8);
    }

    /** As {@link #render}, from entries already rendered: the feed's head, the entries' bytes as they are, its end. */
    static byte[] renderFeed(String negotiationId, URI baseUrl, List<RenderedEntry> entries) {
        if (entries.isEmpty()) {
            throw new IllegalArgumentException("a feed needs at least one entry: " + negotiationId);
        }
        var head = new StringWriter();
        try {
            XMLStreamWriter xml = XMLOutputFactory.newFactory().createXMLStreamWriter(head);
            xml.writeStartDocument("UTF-8", "1.0");
            xml.writeCharacters("\n");
            xml.writeStartElement("feed");
            xml.writeDefaultNamespace(NAMESPACE);
            element(xml, 1, "id", feedId(negotiationId));
            element(xml, 1, "title", negotiationId + " — status changes");
            // Entries may arrive in version order but with earlier reported_at (late news): take the latest.
            element(xml, 1, "updated", entries.stream().map(RenderedEntry::updated).max(Comparator.naturalOrder())
                    .orElseThrow().toString());
            indent(xml, 1);
            xml.writeStartElement("author");
            element(xml, 2, "name", AUTHOR);
            indent(xml, 1);
            xml.writeEndElement();
            element(xml, 1, "generator", AUTHOR);
            if (baseUrl != null) {
                link(xml, 1, "self", "application/atom+xml", base(baseUrl) + "/feeds/" + negotiationId + ".atom");
                link(xml, 1, "alternate", "text/html", dashboard(baseUrl, negotiationId));
            }
            xml.writeCharacters(""); // closes the last tag, which StAX leaves open until something follows
            xml.flush();
        } catch (XMLStreamException e) {
            throw new IllegalStateException("cannot render the feed of " + negotiationId, e); // a bug: writing to a string
        }
        var feed = new ByteArrayOutputStream();
        feed.writeBytes(head.toString().getBytes(StandardCharsets.UTF_8));
        for (RenderedEntry entry : entries) {
            feed.writeBytes(entry.xml());
        }
        feed.writeBytes("\n</feed>\n".getBytes(StandardCharsets.UTF_8));
        return feed.toByteArray();
    }

    private static String base(URI baseUrl) {
        return baseUrl.toString().replaceAll("/+$", "");
    }

    /** The dashboard's page of the negotiation. */
    private static String dashboard(URI baseUrl, String negotiationId) {
        return base(baseUrl) + "/?negotiation=" + URLEncoder.encode(negotiationId, StandardCharsets.UTF_8);
    }

    private static void entry(XMLStreamWriter xml, String negotiationId, URI baseUrl, FeedEntry entry) throws XMLStreamException {
        indent(xml, 1);
        xml.writeStartElement("entry");
        element(xml, 2, "id", entryId(negotiationId, entry.version()));
        element(xml, 2, "title", entry.title());
        element(xml, 2, "updated", entry.updated().toString());
        if (baseUrl != null) {
            link(xml, 2, "alternate", "text/html", dashboard(baseUrl, negotiationId));
        }
        element(xml, 2, "summary", entry.summary());
        for (String kind : entry.kinds()) {
            indent(xml, 2);
            xml.writeEmptyElement("category");
            xml.writeAttribute("term", kind);
        }
        indent(xml, 2);
        xml.writeStartElement("content");
        xml.writeAttribute("type", "html"); // escaped HTML, as Atom has it: the writer escapes it once more
        xml.writeCharacters(entry.content());
        xml.writeEndElement();
        indent(xml, 1);
        xml.writeEndElement();
    }

    private static void link(XMLStreamWriter xml, int depth, String rel, String type, String href) throws XMLStreamException {
        indent(xml, depth);
        xml.writeEmptyElement("link");
        xml.writeAttribute("rel", rel);
        xml.writeAttribute("type", type);
        xml.writeAttribute("href", href);
    }

    private static void element(XMLStreamWriter xml, int depth, String name, String text) throws XMLStreamException {
        indent(xml, depth);
        xml.writeStartElement(name);
        xml.writeCharacters(text);
        xml.writeEndElement();
    }

    /** Whitespace between elements only, so people can read the file; readers of Atom ignore it. */
    private static void indent(XMLStreamWriter xml, int depth) throws XMLStreamException {
        xml.writeCharacters("\n" + "  ".repeat(depth));
    }

    /**
     * The entries of a feed written by {@link #render}, newest first; elements it does not know are skipped.
     *
     * @throws XMLStreamException when it is not well-formed, not an Atom feed, or holds an entry that is not
     *                            one of this negotiation's status changes
     */
    static List<FeedEntry> read(String negotiationId, InputStream in) throws XMLStreamException {
        XMLInputFactory factory = XMLInputFactory.newFactory();
        // A feed is plain Atom: no DTD, and never fetch or expand anything from outside the file.
        factory.setProperty(XMLInputFactory.SUPPORT_DTD, false);
        factory.setProperty(XMLInputFactory.IS_SUPPORTING_EXTERNAL_ENTITIES, false);
        XMLStreamReader xml = factory.createXMLStreamReader(in);
        try {
            xml.nextTag();
            if (!isAtom(xml, "feed")) {
                throw new XMLStreamException("expected an Atom <feed>, found <" + xml.getName() + ">", xml.getLocation());
            }
            List<FeedEntry> entries = new ArrayList<>();
            while (xml.nextTag() == XMLStreamConstants.START_ELEMENT) {
                if (isAtom(xml, "entry")) {
                    entries.add(entry(xml, negotiationId));
                } else {
                    skip(xml);
                }
            }
            entries.sort(NEWEST_FIRST);
            return List.copyOf(entries);
        } finally {
            xml.close();
        }
    }

    private static FeedEntry entry(XMLStreamReader xml, String negotiationId) throws XMLStreamException {
        String id = null;
        String title = null;
        String updated = null;
        String summary = null;
        String content = null;
        List<String> kinds = new ArrayList<>();
        while (xml.nextTag() == XMLStreamConstants.START_ELEMENT) {
            if (!NAMESPACE.equals(xml.getNamespaceURI())) {
                skip(xml);
                continue;
            }
            switch (xml.getLocalName()) {
                case "id" -> id = xml.getElementText();
                case "title" -> title = xml.getElementText();
                case "updated" -> updated = xml.getElementText();
                case "summary" -> summary = xml.getElementText();
                case "content" -> content = xml.getElementText();
                case "category" -> {
                    String term = xml.getAttributeValue(XMLConstants.NULL_NS_URI, "term");
                    if (term != null) {
                        kinds.add(term);
                    }
                    skip(xml);
                }
                default -> skip(xml);
            }
        }
        String prefix = entryIdPrefix(negotiationId);
        if (id == null || !id.startsWith(prefix)) {
            throw new XMLStreamException("entry " + id + " is not a status change of " + negotiationId
                    + " (expected an id starting " + prefix + ")", xml.getLocation());
        }
        try {
            return new FeedEntry(Long.parseLong(id.substring(prefix.length())), title, Instant.parse(updated),
                    summary, kinds, content);
        } catch (NumberFormatException | DateTimeParseException | NullPointerException e) {
            throw new XMLStreamException("entry " + id + " has no version or no updated time: " + e.getMessage(),
                    xml.getLocation(), e);
        }
    }

    private static boolean isAtom(XMLStreamReader xml, String name) {
        return NAMESPACE.equals(xml.getNamespaceURI()) && name.equals(xml.getLocalName());
    }

    /** From a start tag to just past its end tag. */
    private static void skip(XMLStreamReader xml) throws XMLStreamException {
        for (int depth = 1; depth > 0; ) {
            int event = xml.next();
            if (event == XMLStreamConstants.START_ELEMENT) {
                depth++;
            } else if (event == XMLStreamConstants.END_ELEMENT) {
                depth--;
            }
        }
    }
}
