package dev.parley.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

class StoredBytesTest {

    @Test
    void shouldSayWhatEachTopicGrewByPerDevelopment() {
        // given the topics before and after 1,000 developments (a topic may be new, another application's is left out)
        var before = new StoredBytes(Map.of("parley.developments", 100_000L, "parley.status-changes", 50_000L,
                "bench-16-status-by-negotiation-store-changelog", 0L));
        var after = new StoredBytes(Map.of("parley.developments", 100_000L + 204_800L, "parley.status-changes", 50_000L + 9_216_000L,
                "parley.status", 2_048_000L, "bench-16-status-by-negotiation-store-changelog", 2_048_000L,
                "bench-16-developments-by-item-store-changelog", 512_000L, "bench-wide-developments-by-item-store-changelog", 99L));

        // when
        String perDevelopment = after.perDevelopmentSince(before, "bench-16", 1_000);

        // then
        assertThat(perDevelopment).isEqualTo("0.20 kB development, 9.00 kB changes, 2.00 kB views, "
                + "0.50 kB changelog of developments-by-item-store, 2.00 kB changelog of status-by-negotiation-store");
        assertThat(after.total() - before.total()).isEqualTo(204_800L + 9_216_000L + 2_048_000L + 2_048_000L + 512_000L + 99L);
    }
}
