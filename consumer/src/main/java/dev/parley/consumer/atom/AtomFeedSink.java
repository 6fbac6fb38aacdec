package dev.parley.consumer.atom;

import dev.parley.consumer.RejectedChangeException;
import dev.parley.consumer.Delivery;
import dev.parley.consumer.Sink;
import dev.parley.consumer.atom.AtomFeed.RenderedEntry;
import dev.parley.schemas.StatusChange;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import javax.xml.stream.XMLStreamException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps one Atom feed per negotiation, {@code <dir>/<negotiation-id>.atom}, with its latest status changes
 * newest first, for people following a negotiation in a feed reader. Idempotent: it remembers the last version
 * written per negotiation (read back from the feed files on start), so redelivery writes nothing twice.
 */
public final class AtomFeedSink implements Sink {

    public static final int DEFAULT_MAX_ENTRIES = 100;

    /** How many bytes of recently written feeds are kept, rendered, so the next change does not read them back. */
    static final long KEPT_BYTES = 32L * 1024 * 1024;

    private static final Logger log = LoggerFactory.getLogger(AtomFeedSink.class);

    private static final String EXTENSION = ".atom";

    /**
     * Ids that are file names on any system: no separators, no leading dot (hidden files, {@code ..}), and short
     * enough that the temporary file's longer name still fits the usual 255-byte limit.
     */
    private static final Pattern SAFE_ID = Pattern.compile("[A-Za-z0-9_-][A-Za-z0-9._-]{0,199}");

    private final Path dir;
    private final URI baseUrl;
    private final int maxEntries;
    private final Map<String, Long> lastVersion = new HashMap<>();
    private final KeptFeeds kept = new KeptFeeds();

    /** Feeds of at most {@value #DEFAULT_MAX_ENTRIES} entries, without links. */
    public AtomFeedSink(Path dir) throws IOException {
        this(dir, null, DEFAULT_MAX_ENTRIES);
    }

    /**
     * @param dir        where the feeds are; created if missing
     * @param baseUrl    the HTTP API's address (e.g. {@code http://127.0.0.1:8080}) for each feed's self link
     *                   ({@code <base>/feeds/<id>.atom}) and its and each entry's link to the dashboard
     *                   ({@code <base>/?negotiation=<id>}); null for none
     * @param maxEntries how many of the latest status changes a feed keeps
     */
    public AtomFeedSink(Path dir, URI baseUrl, int maxEntries) throws IOException {
        if (maxEntries < 1) {
            throw new IllegalArgumentException("a feed keeps at least one entry, not " + maxEntries);
        }
        if (baseUrl != null && !baseUrl.isAbsolute()) {
            throw new IllegalArgumentException("the base URL of feed links must be absolute, e.g. http://127.0.0.1:8080, not " + baseUrl);
        }
        this.dir = dir;
        this.baseUrl = baseUrl;
        this.maxEntries = maxEntries;
        Files.createDirectories(dir);
        try (var files = Files.list(dir)) {
            for (Path file : (Iterable<Path>) files::iterator) {
                String name = file.getFileName().toString();
                String negotiationId = name.substring(0, Math.max(0, name.length() - EXTENSION.length()));
                if (name.endsWith(EXTENSION) && isSafe(negotiationId) && Files.isRegularFile(file)) {
                    readEntries(negotiationId, file).stream().findFirst()
                            .ifPresent(newest -> lastVersion.put(negotiationId, newest.version()));
                }
            }
        }
    }

    @Override
    public String name() {
        return "atom";
    }

    public Path dir() {
        return dir;
    }

    /**
     * Where the feed of a negotiation is (or will be) written.
     *
     * @throws IllegalArgumentException when the negotiation id cannot be a file name
     */
    public Path feedFile(String negotiationId) {
        return feedFile(dir, negotiationId);
    }

    /** Where the feed of a negotiation is in {@code dir}, for readers of the feeds this sink writes. */
    public static Path feedFile(Path dir, String negotiationId) {
        if (!isSafe(negotiationId)) {
            throw new IllegalArgumentException(unsafeId(negotiationId));
        }
        return dir.resolve(negotiationId + EXTENSION);
    }

    @Override
    public boolean accept(StatusChange change) throws IOException, RejectedChangeException {
        String negotiationId = change.getNegotiationId();
        if (!isSafe(negotiationId)) {
            // Retrying cannot make the id a file name: park the change rather than stop the subscription.
            throw new RejectedChangeException(unsafeId(negotiationId));
        }
        return write(negotiationId, List.of(change)).get(0) == Delivery.DELIVERED;
    }

    /**
     * A poll's changes with each negotiation's feed read, rendered and written once, not once per change: a feed holds
     * its latest 100 changes with their items' JSON, often a megabyte of XML, and doing that per change made this sink
     * the busiest thread of {@code parley up} under load. A negotiation whose id cannot name a file, or whose feed
     * cannot be read or written, is left out, to be offered again through {@link #accept}, with its retries and
     * parking.
     */
    @Override
    public List<Delivery> acceptAll(List<StatusChange> changes) {
        Map<String, List<Integer>> byNegotiation = Sink.byNegotiation(changes);
        Delivery[] outcomes = new Delivery[changes.size()];
        Arrays.fill(outcomes, Delivery.LEFT_OUT);
        byNegotiation.forEach((negotiationId, indexes) -> {
            if (!isSafe(negotiationId)) {
                return;
            }
            try {
                List<StatusChange> ofNegotiation = indexes.stream().map(changes::get).toList();
                List<Delivery> written = write(negotiationId, ofNegotiation);
                for (int i = 0; i < indexes.size(); i++) {
                    outcomes[indexes.get(i)] = written.get(i);
                }
            } catch (IOException | RuntimeException e) {
                log.debug("Atom feed of {}: {} changes left for one-at-a-time delivery: {}", negotiationId, indexes.size(), e.toString());
            }
        });
        return Arrays.asList(outcomes);
    }

    /**
     * Adds a negotiation's changes (in version order) to its feed in one write; per change, true if it is new to the
     * feed, false if the feed already had it (same version or a later one).
     */
    private List<Delivery> write(String negotiationId, List<StatusChange> changes) throws IOException {
        Path file = feedFile(negotiationId);
        long newest = lastVersion.getOrDefault(negotiationId, 0L);
        List<RenderedEntry> feed = null; // read only once a change is newer than what this sink knows of
        List<Delivery> written = new ArrayList<>(changes.size());
        for (StatusChange change : changes) {
            long version = change.getToVersion();
            if (version > newest && feed == null) {
                feed = entries(negotiationId, file);
                if (!feed.isEmpty()) {
                    newest = Math.max(newest, feed.get(0).version());
                }
            }
            if (version <= newest) {
                written.add(Delivery.ALREADY_HAD);
                continue;
            }
            // Newer than every entry of the feed: on top.
            feed = Stream.concat(Stream.of(AtomFeed.renderEntry(negotiationId, baseUrl, FeedEntry.of(change))), feed.stream())
                    .limit(maxEntries).toList();
            newest = version;
            written.add(Delivery.DELIVERED);
        }
        if (written.contains(Delivery.DELIVERED)) {
            writeAtomically(file, AtomFeed.renderFeed(negotiationId, baseUrl, feed));
            kept.keep(negotiationId, new KeptFeed(feed, Files.readAttributes(file, BasicFileAttributes.class)));
        }
        lastVersion.put(negotiationId, newest);
        return written;
    }

    /**
     * A feed's entries, newest first: as this sink last wrote them if the file is still that one, else read from the
     * file, which is the truth (another sink on this directory, before a rebalance, may have written it since).
     */
    private List<RenderedEntry> entries(String negotiationId, Path file) throws IOException {
        KeptFeed feed = kept.get(negotiationId);
        if (feed != null && feed.isStill(file)) {
            return feed.entries();
        }
        return readEntries(negotiationId, file).stream().map(entry -> AtomFeed.renderEntry(negotiationId, baseUrl, entry)).toList();
    }

    /** A feed as this sink wrote it, and which file that was (its identity, size and time), to know it is still the one. */
    private record KeptFeed(List<RenderedEntry> entries, BasicFileAttributes written) {

        boolean isStill(Path file) throws IOException {
            BasicFileAttributes now;
            try {
                now = Files.readAttributes(file, BasicFileAttributes.class);
            } catch (java.nio.file.NoSuchFileException deleted) {
                return false;
            }
            return java.util.Objects.equals(now.fileKey(), written.fileKey()) && now.size() == written.size()
                    && now.lastModifiedTime().equals(written.lastModifiedTime());
        }

        long bytes() {
            return entries.stream().mapToLong(entry -> entry.xml().length).sum();
        }
    }

    /** The feeds written last, up to {@value #KEPT_BYTES} bytes of entries: a busy negotiation's feed is about a megabyte. */
    private static final class KeptFeeds {
        private final LinkedHashMap<String, KeptFeed> feeds = new LinkedHashMap<>(16, 0.75f, true);
        private long bytes;

        KeptFeed get(String negotiationId) {
            return feeds.get(negotiationId);
        }

        void keep(String negotiationId, KeptFeed feed) {
            KeptFeed before = feeds.put(negotiationId, feed);
            bytes += feed.bytes() - (before == null ? 0 : before.bytes());
            for (var eldest = feeds.entrySet().iterator(); bytes > KEPT_BYTES && eldest.hasNext(); ) {
                bytes -= eldest.next().getValue().bytes();
                eldest.remove();
            }
        }
    }

    /** Nothing to release: each feed is written and closed in {@link #accept}. */
    @Override
    public void close() {
    }

    private static String unsafeId(String negotiationId) {
        return "negotiation id \"" + negotiationId + "\" cannot name a feed file: "
                + "it must be 1 to 200 of A-Z a-z 0-9 . _ - and not start with '.'";
    }

    static boolean isSafe(String negotiationId) {
        return negotiationId != null && SAFE_ID.matcher(negotiationId).matches();
    }

    /** The feed's entries, newest first; none when it has no feed yet. */
    private static List<FeedEntry> readEntries(String negotiationId, Path file) throws IOException {
        if (!Files.exists(file)) {
            return List.of();
        }
        try (InputStream in = Files.newInputStream(file)) {
            return AtomFeed.read(negotiationId, in);
        } catch (XMLStreamException e) {
            // Never overwritten: it holds entries we could not carry over. Fix or remove it, then replay.
            throw new IOException(file + " is not a Parley Atom feed of " + negotiationId + ": " + e.getMessage(), e);
        }
    }

    /**
     * Written in full to a hidden file next to the feed, then renamed over it: a feed reader sees the old feed
     * or the new one, never half of one, and a crash at any point leaves the old feed as it was.
     */
    private static void writeAtomically(Path file, byte[] xml) throws IOException {
        // Not Files.createTempFile: its owner-only permissions would carry over to the feed, which others serve.
        Path temporary = file.resolveSibling("." + file.getFileName() + "."
                + Long.toUnsignedString(ThreadLocalRandom.current().nextLong(), 36) + ".tmp");
        try {
            try (FileChannel channel = FileChannel.open(temporary, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
                ByteBuffer bytes = ByteBuffer.wrap(xml);
                while (bytes.hasRemaining()) {
                    channel.write(bytes);
                }
                channel.force(true); // on disk before the rename, or a power cut could leave the new name on an empty file
            }
            Files.move(temporary, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } finally {
            Files.deleteIfExists(temporary);
        }
    }
}
