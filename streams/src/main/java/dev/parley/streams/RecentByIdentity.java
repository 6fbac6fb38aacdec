package dev.parley.streams;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Function;

/**
 * What a function gave for the objects it was last asked about, kept by identity: for the fold's objects, which never
 * change once made (a fold step makes new items in new lists, a new revision is a new development), so the same
 * instance always gives the same value. The JSON of an item's value after one change, for instance, is very often
 * the JSON of its value before the next. Not thread-safe: one per fold, or per thread.
 */
final class RecentByIdentity<K, V> {

    private final Function<K, V> function;
    private final Map<Identity<K>, V> recent;

    RecentByIdentity(int capacity, Function<K, V> function) {
        this.function = function;
        this.recent = new LinkedHashMap<>(Math.min(capacity, 1_024), 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<Identity<K>, V> eldest) {
                return size() > capacity;
            }
        };
    }

    /** A key equal only to itself: the fold's records' own equals and hashCode walk their whole content. */
    private record Identity<K>(K object) {
        @Override
        public boolean equals(Object other) {
            return other instanceof Identity<?> identity && identity.object == object;
        }

        @Override
        public int hashCode() {
            return System.identityHashCode(object);
        }
    }

    /** The function's value for {@code object}; null for null. */
    V apply(K object) {
        if (object == null) {
            return null;
        }
        return recent.computeIfAbsent(new Identity<>(object), key -> function.apply(key.object()));
    }
}
