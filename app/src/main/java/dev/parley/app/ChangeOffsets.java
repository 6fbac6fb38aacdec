package dev.parley.app;

import java.util.Collections;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * A position in {@code parley.status-changes}: the next offset to read in each partition, written as an SSE event id
 * like {@code 0-12.1-7.2-3} so that a client resuming with {@code Last-Event-ID} restarts each partition exactly there.
 */
record ChangeOffsets(SortedMap<Integer, Long> next) {

    private static final int MAX_LENGTH = 4096;

    ChangeOffsets {
        next = Collections.unmodifiableSortedMap(new TreeMap<>(next));
    }

    static ChangeOffsets of(Map<Integer, Long> next) {
        return new ChangeOffsets(new TreeMap<>(next));
    }

    /**
     * Reads an event id written by {@link #encode()}.
     *
     * @throws IllegalArgumentException naming the value and what was expected, for the 400 answer
     */
    static ChangeOffsets parse(String id) {
        if (id == null || id.isBlank()) {
            throw invalid(id, "it is empty");
        }
        if (id.length() > MAX_LENGTH) {
            throw invalid(id.substring(0, 40) + "…", "it is longer than " + MAX_LENGTH + " characters");
        }
        TreeMap<Integer, Long> next = new TreeMap<>();
        for (String pair : id.trim().split("\\.", -1)) {
            int dash = pair.indexOf('-');
            if (dash <= 0 || dash == pair.length() - 1) {
                throw invalid(id, "\"" + pair + "\" is not <partition>-<offset>");
            }
            int partition;
            long offset;
            try {
                partition = Integer.parseInt(pair.substring(0, dash));
                offset = Long.parseLong(pair.substring(dash + 1));
            } catch (NumberFormatException e) {
                throw invalid(id, "\"" + pair + "\" is not <partition>-<offset> in digits");
            }
            if (partition < 0 || offset < 0) {
                throw invalid(id, "\"" + pair + "\" has a negative number");
            }
            if (next.put(partition, offset) != null) {
                throw invalid(id, "partition " + partition + " appears twice");
            }
        }
        return new ChangeOffsets(next);
    }

    /** The same position after reading the record at {@code offset} of {@code partition}. */
    ChangeOffsets after(int partition, long offset) {
        TreeMap<Integer, Long> moved = new TreeMap<>(next);
        moved.put(partition, offset + 1);
        return new ChangeOffsets(moved);
    }

    /** Where to start reading {@code partition}: a partition the id does not name (added since) starts at its beginning. */
    long nextOffset(int partition) {
        return next.getOrDefault(partition, 0L);
    }

    String encode() {
        return next.entrySet().stream().map(e -> e.getKey() + "-" + e.getValue()).collect(Collectors.joining("."));
    }

    private static IllegalArgumentException invalid(String id, String why) {
        return new IllegalArgumentException("Last-Event-ID: \"" + id + "\" is not a position in the changes (" + why
                + "; expected <partition>-<next offset> pairs joined by '.', e.g. 0-12.1-7.2-3, as sent in an event's id)");
    }
}
