package dev.parley.streams;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

class SortedKeyValuesTest {

    @Test
    void shouldWriteThroughACacheAndForgetWhatWasDeleted() {
        // given storage behind a cache of two values
        SortedKeyValues<String> storage = SortedKeyValues.inMemory();
        storage.put("a|1", "stored before");
        SortedKeyValues<String> cached = SortedKeyValues.cached(storage, 2);

        // when values are read, written and deleted through the cache
        assertThat(cached.get("a|1")).isEqualTo("stored before");
        cached.put("a|2", "two");
        cached.put("a|3", "three");
        cached.put("a|1", "replaced");
        cached.delete("a|2");

        // then the storage holds the same as the cache answers
        assertThat(storage.get("a|1")).isEqualTo("replaced");
        assertThat(cached.get("a|1")).isEqualTo("replaced");
        assertThat(storage.get("a|2")).isNull();
        assertThat(cached.get("a|2")).isNull();
        assertThat(cached.get("a|3")).isEqualTo("three");
        assertThat(cached.withPrefix("a|", 10, false)).containsExactly(Map.entry("a|1", "replaced"), Map.entry("a|3", "three"));
        assertThat(cached.withPrefix("a|", 1, true)).containsExactly(Map.entry("a|3", "three"));
    }
}
