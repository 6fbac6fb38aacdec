package dev.parley.consumer.atom;

import dev.parley.consumer.RejectedChangeException;
import dev.parley.consumer.Sink;
import dev.parley.schemas.StatusChange;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.regex.Pattern;
import javax.xml.stream.XMLStreamException;

/**
 * Keeps one Atom feed per negotiation, {@code <dir>/<negotiation-id>.atom}, with its latest status changes
 * newest first, for people following a negotiation in a feed reader. Idempotent: it remembers the last version
 * written per negotiation (read back from the feed files on start), so redelivery writes nothing twice.
 */
public final class AtomFeedSink implements Sink {

    public static final int DEFAULT_MAX_ENTRIES = 100;

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

    /** Feeds of at most {@value #DEFAULT_MAX_ENTRIES} entries, without links. */
    public AtomFeedSink(Path dir) throws IOException {
        this(dir, null, DEFAULT_MAX_ENTRIES);
    }

    /**
     * @param dir        where the feeds are; created if missing
     * @param baseUrl    the HTTP API's address (e.g. {@code http://127.0.0.1:8080}) for each feed's self link
     *                   ({@code <base>/feeds/<id>.atom}) and alternate link ({@code <base>/#<id>}); null for none
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
        Path file = feedFile(negotiationId);
        long version = change.getToVersion();
        if (version <= lastVersion.getOrDefault(negotiationId, 0L)) {
            return false; // already written
        }
        List<FeedEntry> entries = readEntries(negotiationId, file);
        // The file is the truth: another sink on this directory (before a rebalance) may have written it since we started.
        if (!entries.isEmpty() && version <= entries.get(0).version()) {
            lastVersion.put(negotiationId, entries.get(0).version());
            return false;
        }
        List<FeedEntry> feed = AtomFeed.withNewest(FeedEntry.of(change), entries, maxEntries);
        writeAtomically(file, AtomFeed.render(negotiationId, baseUrl, feed));
        lastVersion.put(negotiationId, version);
        return true;
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
    private static void writeAtomically(Path file, String xml) throws IOException {
        // Not Files.createTempFile: its owner-only permissions would carry over to the feed, which others serve.
        Path temporary = file.resolveSibling("." + file.getFileName() + "."
                + Long.toUnsignedString(ThreadLocalRandom.current().nextLong(), 36) + ".tmp");
        try {
            try (FileChannel channel = FileChannel.open(temporary, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
                ByteBuffer bytes = ByteBuffer.wrap(xml.getBytes(StandardCharsets.UTF_8));
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
