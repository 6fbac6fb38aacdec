package dev.parley.streams;

import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;

/**
 * The little a {@link DevelopmentIndex} needs from storage: a sorted map of string keys. Backed by a Kafka
 * Streams state store in the topology and by a {@link TreeMap} in tests and the reference fold.
 */
interface SortedKeyValues<V> {

    V get(String key);

    void put(String key, V value);

    void delete(String key);

    /**
     * Up to {@code limit} entries whose keys start with {@code prefix}, from the first ({@code fromEnd} false) or from
     * the last, in that order.
     */
    List<Map.Entry<String, V>> withPrefix(String prefix, int limit, boolean fromEnd);

    static <V> SortedKeyValues<V> inMemory() {
        NavigableMap<String, V> map = new TreeMap<>();
        return new SortedKeyValues<>() {
            public V get(String key) {
                return map.get(key);
            }

            public void put(String key, V value) {
                map.put(key, value);
            }

            public void delete(String key) {
                map.remove(key);
            }

            public List<Map.Entry<String, V>> withPrefix(String prefix, int limit, boolean fromEnd) {
                NavigableMap<String, V> range = map.subMap(prefix, true, prefix + Character.MAX_VALUE, false);
                // Walk, don't stream: a sub-map's size() counts every entry in it.
                return first(limit, (fromEnd ? range.descendingMap() : range).entrySet().iterator(),
                        entry -> Map.entry(entry.getKey(), entry.getValue()));
            }
        };
    }

    /** A store as interactive queries see it: read only. */
    static <V> SortedKeyValues<V> readOnly(ReadOnlyKeyValueStore<String, V> store) {
        return of(store, (key, value) -> {
            throw new UnsupportedOperationException("read only");
        }, key -> {
            throw new UnsupportedOperationException("read only");
        });
    }

    static <V> SortedKeyValues<V> of(KeyValueStore<String, V> store) {
        return of(store, store::put, store::delete);
    }

    private static <V> SortedKeyValues<V> of(ReadOnlyKeyValueStore<String, V> store, java.util.function.BiConsumer<String, V> put,
                                             java.util.function.Consumer<String> delete) {
        return new SortedKeyValues<>() {
            public V get(String key) {
                return store.get(key);
            }

            public void put(String key, V value) {
                put.accept(key, value);
            }

            public void delete(String key) {
                delete.accept(key);
            }

            public List<Map.Entry<String, V>> withPrefix(String prefix, int limit, boolean fromEnd) {
                // Keys are UTF-8; every key part is below U+FFFF's encoding (validated ids, ASCII sort keys).
                String end = prefix + Character.MAX_VALUE;
                try (var entries = fromEnd ? store.reverseRange(prefix, end) : store.range(prefix, end)) {
                    return present(limit, entries);
                }
            }
        };
    }

    /**
     * The same storage with its latest-used values kept as objects, so the developments a busy negotiation's items
     * keep being recomputed from are not read and decoded again for each new one. Only for an owner that is
     * rebuilt whenever its store is (a processor, in {@code init}), so the two never disagree.
     */
    static <V> SortedKeyValues<V> cached(SortedKeyValues<V> storage, int capacity) {
        java.util.Map<String, V> recent = new java.util.LinkedHashMap<>(capacity, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(java.util.Map.Entry<String, V> eldest) {
                return size() > capacity;
            }
        };
        return new SortedKeyValues<>() {
            public V get(String key) {
                V value = recent.get(key);
                if (value == null) {
                    value = storage.get(key);
                    if (value != null) {
                        recent.put(key, value);
                    }
                }
                return value;
            }

            public void put(String key, V value) {
                storage.put(key, value);
                recent.put(key, value);
            }

            public void delete(String key) {
                storage.delete(key);
                recent.remove(key);
            }

            public List<Map.Entry<String, V>> withPrefix(String prefix, int limit, boolean fromEnd) {
                return storage.withPrefix(prefix, limit, fromEnd);
            }
        };
    }

    /** The first {@code limit} items an iterator gives, read no further. */
    private static <T, V> List<V> first(int limit, java.util.Iterator<T> items, java.util.function.Function<T, V> value) {
        List<V> collected = new java.util.ArrayList<>(Math.min(limit, 64));
        while (items.hasNext() && collected.size() < limit) {
            collected.add(value.apply(items.next()));
        }
        return collected;
    }

    /**
     * The first {@code limit} entries of a store's range, read no further, without entries whose value is null (a
     * cached store's range can give a key deleted since the last commit so; the topology reads no cached store by
     * range, see {@link StatusTopology}).
     */
    private static <V> List<Map.Entry<String, V>> present(int limit, java.util.Iterator<KeyValue<String, V>> entries) {
        List<Map.Entry<String, V>> collected = new java.util.ArrayList<>(Math.min(limit, 64));
        while (entries.hasNext() && collected.size() < limit) {
            KeyValue<String, V> entry = entries.next();
            if (entry.value != null) {
                collected.add(Map.entry(entry.key, entry.value));
            }
        }
        return collected;
    }
}
