package dev.parley.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.parley.consumer.ConsumerSettings;
import dev.parley.producer.ProducerSettings;
import dev.parley.streams.StreamsSettings;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

class AppSettingsTest {

    @Test
    void shouldDefaultTheHttpWriteSettingsForOneMachine() {
        // when
        AppSettings settings = AppSettings.from(Map.of());

        // then
        assertThat(settings.apiToken()).isNull();
        assertThat(settings.maxBodyBytes()).isEqualTo(1024 * 1024);
        assertThat(settings.rateLimitPerSecond()).isEqualTo(20);
    }

    @Test
    void shouldReadTheHttpWriteSettingsFromTheEnvironmentAndKeepThemThroughOverrides() {
        // when
        AppSettings settings = AppSettings.from(Map.of("PARLEY_API_TOKEN", " s3cret ", "PARLEY_MAX_BODY_BYTES", "4096",
                "PARLEY_RATE_LIMIT_PER_SECOND", "5")).withHttpPort(9000).withBootstrapServers("kafka:9092");

        // then
        assertThat(settings.apiToken()).isEqualTo("s3cret");
        assertThat(settings.maxBodyBytes()).isEqualTo(4096);
        assertThat(settings.rateLimitPerSecond()).isEqualTo(5);
    }

    @Test
    void shouldNameTheSettingAndWhatItExpectsWhenALimitIsNotPositive() {
        assertThatThrownBy(() -> AppSettings.from(Map.of("PARLEY_RATE_LIMIT_PER_SECOND", "0")))
                .hasMessage("PARLEY_RATE_LIMIT_PER_SECOND: \"0\" is too small (expected 1 or more, e.g. 20)");
        assertThatThrownBy(() -> AppSettings.from(Map.of("PARLEY_MAX_BODY_BYTES", "1MB")))
                .hasMessage("PARLEY_MAX_BODY_BYTES: \"1MB\" is not a number (expected e.g. 1048576)");
    }

    @Test
    void shouldReadTheReplicationSettingsAndRefuseBadOnesOnStart() {
        assertThat(AppSettings.from(Map.of()).minInsyncReplicas()).isEqualTo(1);
        assertThat(AppSettings.from(Map.of()).allowUnsafeReplication()).isFalse();
        var cluster = AppSettings.from(Map.of("PARLEY_REPLICATION_FACTOR", "3", "PARLEY_MIN_INSYNC_REPLICAS", "2",
                "PARLEY_ALLOW_UNSAFE_REPLICATION", "true"));
        assertThat(cluster.replicationFactor()).isEqualTo((short) 3);
        assertThat(cluster.minInsyncReplicas()).isEqualTo(2);
        assertThat(cluster.allowUnsafeReplication()).isTrue();

        assertThatThrownBy(() -> AppSettings.from(Map.of("PARLEY_MIN_INSYNC_REPLICAS", "two")))
                .hasMessage("PARLEY_MIN_INSYNC_REPLICAS: \"two\" is not a number (expected e.g. 1)");
        assertThatThrownBy(() -> AppSettings.from(Map.of("PARLEY_ALLOW_UNSAFE_REPLICATION", "yes")))
                .hasMessage("PARLEY_ALLOW_UNSAFE_REPLICATION: \"yes\" is not true or false");
    }

    @Test
    void shouldNeverPrintTheApiToken() {
        // given
        AppSettings settings = AppSettings.from(Map.of("PARLEY_API_TOKEN", "s3cret"));

        // when / then
        assertThat(settings.toString()).doesNotContain("s3cret").contains("apiToken=(from PARLEY_API_TOKEN)");
    }

    @Test
    void shouldAdvertiseTheHttpAddressToTheOtherInstancesUnlessTheUrlIsGiven() {
        // when / then
        assertThat(AppSettings.from(Map.of()).advertisedAddress()).contains("127.0.0.1:8080");
        assertThat(AppSettings.from(Map.of()).withHttpPort(9000).advertisedAddress()).contains("127.0.0.1:9000");
        assertThat(AppSettings.from(Map.of("PARLEY_ADVERTISED_URL", "http://parley-1:8081/")).advertisedAddress()).contains("parley-1:8081");
    }

    @Test
    void shouldAdvertiseNothingWhenThePortIsChosenAtStart() {
        assertThat(AppSettings.from(Map.of("PARLEY_PORT", "0")).advertisedAddress()).isEmpty();
    }

    @Test
    void shouldNameTheSettingAndWhatItExpectsWhenTheAdvertisedUrlIsNotOneToCall() {
        assertThatThrownBy(() -> AppSettings.from(Map.of("PARLEY_ADVERTISED_URL", "parley-1:8080")))
                .hasMessage("PARLEY_ADVERTISED_URL: \"parley-1:8080\" is not an address other instances can reach "
                        + "(expected http://HOST:PORT, e.g. http://parley-1:8080)");
        assertThatThrownBy(() -> AppSettings.from(Map.of("PARLEY_ADVERTISED_URL", "http://parley-1")))
                .hasMessageStartingWith("PARLEY_ADVERTISED_URL: \"http://parley-1\" is not an address");
    }

    @Test
    void shouldUseTheClusterKafkaBootstrapServersNamesEverywhereAndLetTheFlagWin() {
        // given the variable Kafka's own images and tools use
        AppSettings settings = AppSettings.from(Map.of("KAFKA_BOOTSTRAP_SERVERS", "broker-1:9092"));

        // then every client of Parley's talks to that cluster, not the embedded default
        assertThat(settings.embedded()).isFalse();
        assertThat(settings.kafkaClient()).containsEntry("bootstrap.servers", "broker-1:9092");
        assertThat(ProducerSettings.from(settings.env(), settings.kafka()).toKafkaProperties()).containsEntry("bootstrap.servers", "broker-1:9092");
        assertThat(ConsumerSettings.from(settings.env(), settings.kafka()).toKafkaProperties("g")).containsEntry("bootstrap.servers", "broker-1:9092");
        assertThat(StreamsSettings.from(settings.env(), settings.kafka(), Path.of("state")).toKafkaProperties())
                .containsEntry("bootstrap.servers", "broker-1:9092");

        // and a --bootstrap-server flag wins over it, for every client too
        AppSettings flagged = settings.withBootstrapServers("broker-2:9092");
        assertThat(flagged.kafkaClient()).containsEntry("bootstrap.servers", "broker-2:9092");
        assertThat(ProducerSettings.from(flagged.env(), flagged.kafka()).toKafkaProperties()).containsEntry("bootstrap.servers", "broker-2:9092");
        assertThat(StreamsSettings.from(flagged.env(), flagged.kafka(), Path.of("state")).toKafkaProperties())
                .containsEntry("bootstrap.servers", "broker-2:9092");
    }

    @Test
    void shouldRefuseTwoVariablesNamingDifferentClusters() {
        assertThat(AppSettings.from(Map.of("KAFKA_BOOTSTRAP_SERVERS", "b:9092", "PARLEY_BOOTSTRAP_SERVERS", "b:9092")).kafka()).isEqualTo("b:9092");
        assertThatThrownBy(() -> AppSettings.from(Map.of("KAFKA_BOOTSTRAP_SERVERS", "a:9092", "PARLEY_BOOTSTRAP_SERVERS", "b:9092")))
                .hasMessage("PARLEY_BOOTSTRAP_SERVERS (\"b:9092\") and KAFKA_BOOTSTRAP_SERVERS (\"a:9092\") name different clusters: "
                        + "set only one of them");
    }

    @Test
    void shouldTakeKafkasOwnSpellingsOfTheClusterFlag() {
        for (String flag : new String[] {"-b", "--bootstrap-server", "--bootstrap-servers"}) {
            java.io.StringWriter out = new java.io.StringWriter();
            int exit = Parley.commandLine().setOut(new java.io.PrintWriter(out)).execute("config", flag, "broker-3:9092");
            assertThat(exit).as(flag).isZero();
            assertThat(out.toString()).as(flag).containsPattern("PARLEY_BOOTSTRAP_SERVERS +broker-3:9092 +flag --bootstrap-server");
        }
    }

    @Test
    void shouldNameAKafkaSettingTheClientsWouldRefuse() {
        assertThatThrownBy(() -> AppSettings.from(Map.of("KAFKA_COMPRESSION_TYPE", "brotli")))
                .hasMessageStartingWith("KAFKA_COMPRESSION_TYPE: Invalid value brotli for configuration compression.type")
                .hasMessageContaining("zstd");
        assertThatThrownBy(() -> AppSettings.from(Map.of("KAFKA_SECURITY_PROTOCOL", "SSH")))
                .hasMessageStartingWith("KAFKA_SECURITY_PROTOCOL: Invalid value SSH for configuration security.protocol");
    }
}
