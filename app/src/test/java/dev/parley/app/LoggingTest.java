package dev.parley.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ch.qos.logback.classic.Level;
import java.util.Map;
import org.junit.jupiter.api.Test;

class LoggingTest {

    @Test
    void shouldKeepParleysLifecycleAtInfoAndKafkaQuietByDefault() {
        assertThat(Logging.levels("")).containsEntry("ROOT", Level.WARN).containsEntry("dev.parley", Level.INFO);
    }

    @Test
    void shouldSetParleysLevelOrAnyPackages() {
        assertThat(Logging.levels("debug")).containsEntry("dev.parley", Level.DEBUG).containsEntry("ROOT", Level.WARN);
        assertThat(Logging.levels("warn, org.apache.kafka.streams=INFO, dev.parley.consumer=trace"))
                .containsEntry("dev.parley", Level.WARN)
                .containsEntry("org.apache.kafka.streams", Level.INFO)
                .containsEntry("dev.parley.consumer", Level.TRACE);
    }

    @Test
    void shouldNameTheBadValueAndWhatItExpects() {
        assertThatThrownBy(() -> Logging.levels("info,org.apache.kafka=loud"))
                .hasMessage("PARLEY_LOG_LEVEL: \"org.apache.kafka=loud\" is not a level (expected trace, debug, info, warn, error or off, "
                        + "for Parley's own logs or per package: info,org.apache.kafka.streams=info)");
        assertThatThrownBy(() -> Logging.configure(Map.of("PARLEY_LOG_FORMAT", "xml")))
                .hasMessage("PARLEY_LOG_FORMAT: \"xml\" is not a log format (expected text or json)");
    }
}
