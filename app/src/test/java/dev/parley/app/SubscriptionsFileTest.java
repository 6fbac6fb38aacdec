package dev.parley.app;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.parley.schemas.ChangeKind;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SubscriptionsFileTest {

    @TempDir
    Path dir;

    @Test
    void shouldReadEachSubscriptionWithItsSinkFilterAndSecret() throws Exception {
        // given a file with two subscriptions
        Path file = dir.resolve("subscriptions.yaml");
        Files.writeString(file, """
                subscriptions:
                  - name: newsroom-db
                    sink: jdbc:postgresql://db:5432/parley?user=parley
                  - name: partner-hook
                    sink: https://partner.example/hooks/parley
                    secret: whsec_c2VjcmV0
                    negotiations: [ukraine-peace-2025]
                    kinds: [phase_changed, MEETING_HELD]
                """);

        // when it is read
        var declared = SubscriptionsFile.read(file);

        // then both are there, the second with its filter and secret
        assertThat(declared).extracting(SubscriptionsFile.Declared::name).containsExactly("newsroom-db", "partner-hook");
        assertThat(declared.get(0).filter().negotiations()).isEmpty();
        assertThat(declared.get(1).secret()).isEqualTo("whsec_c2VjcmV0");
        assertThat(declared.get(1).filter().negotiations()).containsExactly("ukraine-peace-2025");
        assertThat(declared.get(1).filter().kinds()).isEqualTo(Set.of(ChangeKind.PHASE_CHANGED, ChangeKind.MEETING_HELD));
    }

    @Test
    void shouldHaveNoSubscriptionsWhenTheFileDoesNotExist() throws Exception {
        assertThat(SubscriptionsFile.read(dir.resolve("none.yaml"))).isEmpty();
    }

    @Test
    void shouldNameTheFieldTheValueAndWhatWasExpected() {
        assertThat(error("subscriptions:\n  - {name: a, sink: terminal, kinds: [MEETING_HEDL]}"))
                .startsWith("f: subscriptions[0].kinds: \"MEETING_HEDL\" is not a kind of change (expected one of PHASE_CHANGED,");
        assertThat(error("subscriptions:\n  - {name: a}")).isEqualTo("f: subscriptions[0].sink: missing (expected e.g. jdbc:sqlite:parley.db)");
        assertThat(error("subscriptions:\n  - {name: a, sink: terminal}\n  - {name: a, sink: terminal}"))
                .isEqualTo("f: subscriptions[1].name: \"a\" is declared twice (expected each name once)");
        assertThat(error("subscriptions:\n  - {name: a, sink: terminal, negotiation: x}"))
                .isEqualTo("f: subscriptions[0].negotiation: not a field of a subscription (expected one of [kinds, name, negotiations, secret, sink])");
        assertThat(error("subscription: []")).isEqualTo("f: subscriptions: missing (expected a list under \"subscriptions:\")");
    }

    private static String error(String yaml) {
        try {
            SubscriptionsFile.parse("f", new ObjectMapper(new YAMLFactory()).readTree(yaml));
        } catch (IllegalArgumentException e) {
            return e.getMessage();
        } catch (Exception e) {
            throw new AssertionError(e);
        }
        throw new AssertionError("no error for " + yaml);
    }
}
