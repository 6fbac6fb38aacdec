package dev.parley.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.parley.consumer.JsonLinesSink;
import dev.parley.consumer.atom.AtomFeedSink;
import dev.parley.consumer.jdbc.DatabaseSink;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SinksTest {

    @TempDir
    Path dir;

    private final AppSettings settings = AppSettings.from(Map.of());

    @Test
    void shouldOpenTheSinkEachSpecNames() throws Exception {
        try (var file = Sinks.parse("file:" + dir.resolve("changes.jsonl"), settings);
             var feeds = Sinks.parse("atom:" + dir.resolve("feeds"), settings);
             var database = Sinks.parse("jdbc:sqlite:" + dir.resolve("parley.db"), settings)) {
            assertThat(file).isInstanceOf(JsonLinesSink.class);
            assertThat(feeds).isInstanceOf(AtomFeedSink.class);
            assertThat(database).isInstanceOf(DatabaseSink.class);
        }
        assertThat(dir.resolve("parley.db")).exists();
        assertThat(Files.isDirectory(dir.resolve("feeds"))).isTrue();
    }

    @Test
    void shouldSayWhatASinkSpecCanBe() {
        assertThatThrownBy(() -> Sinks.parse("kafka:elsewhere", settings))
                .hasMessageStartingWith("sink: \"kafka:elsewhere\" is not a sink (expected file:PATH (JSON lines), atom:DIR");
    }

    @Test
    void shouldRefuseAWebhookWithoutASecret() {
        assertThatThrownBy(() -> Sinks.parse("https://example.org/hooks/parley?token=abc", settings))
                .hasMessageStartingWith("sink: the webhook https://example.org/hooks/parley?… needs a secret to sign with")
                .hasMessageContaining("PARLEY_WEBHOOK_SECRET")
                .hasMessageNotContaining("abc");
    }

    @Test
    void shouldRefuseAWebhookToAPrivateAddressUnlessAllowed() {
        var allowed = AppSettings.from(Map.of("PARLEY_WEBHOOK_SECRET", WebhookReceiver.SECRET, "PARLEY_WEBHOOK_ALLOW_PRIVATE_TARGETS", "true"));
        var refused = AppSettings.from(Map.of("PARLEY_WEBHOOK_SECRET", WebhookReceiver.SECRET));
        assertThat(catchMessage(() -> Sinks.parse("http://127.0.0.1:9/hook", refused))).contains("PARLEY_WEBHOOK_ALLOW_PRIVATE_TARGETS");
        assertThat(catchMessage(() -> Sinks.parse("http://127.0.0.1:9/hook", allowed))).isNull();
    }

    private static String catchMessage(ThrowingCall call) {
        try {
            call.run().close();
            return null;
        } catch (Exception e) {
            return e.getMessage();
        }
    }

    private interface ThrowingCall {
        AutoCloseable run() throws Exception;
    }
}
