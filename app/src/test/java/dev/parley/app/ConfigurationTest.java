package dev.parley.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigurationTest {

    @TempDir
    Path dir;

    @Test
    void shouldLetTheEnvironmentWinOverTheConfigFileAndFlagsWinOverBoth() throws Exception {
        // given a config file and an environment that both set the port
        Path file = Files.writeString(dir.resolve("prod.properties"), """
                # production
                PARLEY_PORT=9000
                PARLEY_PARTITIONS=12
                KAFKA_LINGER_MS=20
                KAFKA_SASL_JAAS_CONFIG=org.apache.kafka.common.security.scram.ScramLoginModule required password="s3cret";
                """);
        Map<String, String> env = Map.of("PARLEY_CONFIG", file.toString(), "PARLEY_PORT", "8081", "PARLEY_API_TOKEN", "t0ken");

        // when
        Configuration configuration = Configuration.load(env, null);
        AppSettings settings = AppSettings.from(configuration.environment());

        // then
        assertThat(settings.httpPort()).isEqualTo(8081);
        assertThat(settings.partitions()).isEqualTo(12);
        assertThat(configuration.source("PARLEY_PORT")).isEqualTo(Configuration.Source.ENVIRONMENT);
        assertThat(configuration.source("PARLEY_PARTITIONS")).isEqualTo(Configuration.Source.FILE);
        assertThat(configuration.source("PARLEY_HOME")).isEqualTo(Configuration.Source.DEFAULT);
        assertThat(settings.withHttpPort(7000).httpPort()).isEqualTo(7000);

        // and parley config shows each value and where it comes from, secrets masked
        String shown = ConfigCommand.render(configuration, settings.withHttpPort(7000), Set.of("PARLEY_PORT"));
        assertThat(shown).contains("the config file " + file.toAbsolutePath())
                .containsPattern("PARLEY_PORT +7000 +flag --port")
                .containsPattern("PARLEY_PARTITIONS +12 +config file")
                .containsPattern("PARLEY_HOME +\\S+ +default")
                .containsPattern("PARLEY_API_TOKEN +\\*{8} +environment")
                .containsPattern("KAFKA_LINGER_MS \\(linger.ms\\) +20 +config file")
                .containsPattern("KAFKA_SASL_JAAS_CONFIG \\(sasl.jaas.config\\) +\\*{8} +config file")
                .doesNotContain("s3cret").doesNotContain("t0ken");
    }

    @Test
    void shouldNameTheFileAndTheSettingItDoesNotKnow() throws Exception {
        Path file = Files.writeString(dir.resolve("bad.properties"), "port=8081\n");

        assertThatThrownBy(() -> Configuration.load(Map.of(), file)).hasMessage(file + ": \"port\" is not a setting "
                + "(expected PARLEY_* or KAFKA_* names, as in the environment, e.g. PARLEY_PORT=8081)");
        assertThatThrownBy(() -> Configuration.load(Map.of("PARLEY_CONFIG", dir.resolve("missing").toString()), null))
                .hasMessage("PARLEY_CONFIG: \"" + dir.resolve("missing") + "\" is not a file (expected a file of NAME=value lines, "
                        + "e.g. PARLEY_PORT=8081)");
    }

    @Test
    void shouldReadNoFileWhenNoneIsNamedAndThereIsNoneHere() {
        Configuration configuration = Configuration.load(Map.of("PARLEY_PORT", "8081"), null);

        assertThat(configuration.file()).isNull(); // the build runs in a module folder, which has no parley.properties
        assertThat(configuration.environment()).containsEntry("PARLEY_PORT", "8081");
    }
}
