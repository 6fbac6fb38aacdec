package dev.parley.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.parley.producer.ProducerSettings;
import java.io.PrintWriter;
import java.io.StringWriter;
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

        assertThatThrownBy(() -> Configuration.load(Map.of(), file)).hasMessageStartingWith(file + ": line 1: \"port\" is not a setting "
                + "(expected PARLEY_* names");
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

    @Test
    void shouldReadAKafkaClientPropertiesFileAsKafkasToolsDoAndHonourItsCluster() throws Exception {
        // given the client properties file a Kafka user already has, named with Kafka's tools' flags
        Path file = Files.writeString(dir.resolve("client.properties"), """
                bootstrap.servers=broker-1:9092,broker-2:9092
                security.protocol=SASL_SSL
                sasl.mechanism=SCRAM-SHA-512
                sasl.jaas.config=org.apache.kafka.common.security.scram.ScramLoginModule required username="parley" password="s3cret";
                PARLEY_PORT=8081
                """);
        StringWriter out = new StringWriter();

        // when parley config is given it as --command-config
        int exit = Parley.commandLine().setOut(new PrintWriter(out)).execute("config", "--command-config", file.toString());

        // then every client uses its cluster and its security settings, and parley config shows them in force
        assertThat(exit).isZero();
        AppSettings settings = AppSettings.from(Configuration.load(Map.of(), file).environment());
        assertThat(settings.kafka()).isEqualTo("broker-1:9092,broker-2:9092");
        assertThat(settings.kafkaClient()).containsEntry("bootstrap.servers", "broker-1:9092,broker-2:9092")
                .containsEntry("security.protocol", "SASL_SSL").containsEntry("sasl.mechanism", "SCRAM-SHA-512");
        assertThat(ProducerSettings.from(settings.env(), settings.kafka()).toKafkaProperties())
                .containsEntry("bootstrap.servers", "broker-1:9092,broker-2:9092").containsEntry("security.protocol", "SASL_SSL");
        assertThat(out.toString()).containsPattern("PARLEY_BOOTSTRAP_SERVERS +broker-1:9092,broker-2:9092 +config file \\(KAFKA_BOOTSTRAP_SERVERS\\)")
                .containsPattern("KAFKA_SECURITY_PROTOCOL \\(security.protocol\\) +SASL_SSL +config file")
                .containsPattern("PARLEY_PORT +8081 +config file")
                .doesNotContain("s3cret");
    }

    @Test
    void shouldNameEveryLineOfTheFileThatIsNotASetting() throws Exception {
        Path file = Files.writeString(dir.resolve("typos.properties"), """
                # three typos and two good lines
                port=8081
                bootstrap.servers=broker-1:9092
                bootstrap.server=broker-2:9092
                KAFKA_LINGER_MS=5
                KAFKA_LINGER_MSS=5
                """);

        assertThatThrownBy(() -> Configuration.load(Map.of(), file)).hasMessage(file + ": "
                + "line 2: \"port\" is not a setting; line 4: \"bootstrap.server\" is not a setting; "
                + "line 6: \"KAFKA_LINGER_MSS\" is not a setting (expected PARLEY_* names, or Kafka client properties as Kafka's tools take them, "
                + "e.g. bootstrap.servers=host:9092, or as KAFKA_* variables, e.g. KAFKA_BOOTSTRAP_SERVERS=host:9092)");
    }
}
