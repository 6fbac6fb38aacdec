package dev.parley.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** On a two-core machine, as here and in CI: Java's HttpClient must not start a thread per webhook post. */
class WebhookThreadsTest {

    private static final int POSTS = 200;

    @Test
    void shouldPostWebhooksWithoutAThreadPerPostOnTwoCores() throws Exception {
        assertThat(threadsStartedFor("parley")).isLessThan(POSTS / 10);
    }

    @Test
    void shouldHaveStartedAThreadPerPostWithoutParleysSetting() throws Exception {
        // The probe itself can tell: without the setting, Java's HttpClient completes each post on a thread of its own.
        assertThat(threadsStartedFor("java-defaults")).isGreaterThanOrEqualTo(POSTS);
    }

    private static long threadsStartedFor(String settings) throws Exception {
        Process probe = new ProcessBuilder(KafkaPerformance.java(), "-XX:ActiveProcessorCount=2", "-Xmx128m",
                "-cp", System.getProperty("java.class.path"), WebhookThreadsProbe.class.getName(), settings, String.valueOf(POSTS))
                .redirectErrorStream(true).start();
        String output = new String(probe.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(probe.waitFor(2, TimeUnit.MINUTES)).as(output).isTrue();
        assertThat(probe.exitValue()).as(output).isZero();
        String[] lines = output.strip().split("\n");
        return Long.parseLong(lines[lines.length - 1].strip());
    }
}
