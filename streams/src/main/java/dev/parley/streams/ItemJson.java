package dev.parley.streams;

import dev.parley.schemas.json.AvroJson;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.avro.specific.SpecificRecord;

/**
 * The JSON of the items in the latest changes, kept by identity: an item's value after one change is, very often, the
 * same instance as its value before the next change about it, and writing a busy item's JSON (a group of 20
 * statements) was a fifth of the stream thread's CPU. Sound because a fold step never changes an item in place
 * ({@link StatusView} puts new items in new lists), so the same instance always has the same JSON. One per fold: not
 * thread-safe.
 */
final class ItemJson {

    /** Items kept: a busy negotiation's view has a hundred or so; a few kB each. */
    static final int CAPACITY = 1_024;

    private final Map<Identity, String> recent = new LinkedHashMap<>(CAPACITY, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<Identity, String> eldest) {
            return size() > CAPACITY;
        }
    };

    /** A key equal only to itself: items' own equals and hashCode walk their whole content. */
    private record Identity(SpecificRecord item) {
        @Override
        public boolean equals(Object other) {
            return other instanceof Identity identity && identity.item == item;
        }

        @Override
        public int hashCode() {
            return System.identityHashCode(item);
        }
    }

    /** The item as JSON; null for none. */
    String of(SpecificRecord item) {
        if (item == null) {
            return null;
        }
        return recent.computeIfAbsent(new Identity(item), key -> AvroJson.toJsonString(key.item()));
    }
}
