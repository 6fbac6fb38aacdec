package dev.parley.app;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PipelineTest {

    @TempDir
    Path home;

    @Test
    void shouldRefuseToStartASecondParleyOnTheSameHome() throws Exception {
        // given another Parley holding the home folder
        try (var other = FileChannel.open(home.resolve("parley.lock"), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
             var lock = other.lock()) {
            AppSettings settings = AppSettings.from(Map.of()).withHome(home).withBootstrapServers("127.0.0.1:1");

            // when / then: it says what to do, before touching Kafka
            assertThatThrownBy(() -> Pipeline.start(settings))
                    .hasMessage("Another Parley is already running with its data in " + home
                            + ". Stop it first, or give this one its own folder with --home.");
        }
    }
}
