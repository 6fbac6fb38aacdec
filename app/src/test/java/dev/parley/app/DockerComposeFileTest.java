package dev.parley.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.apache.kafka.common.Uuid;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;

/**
 * The compose file cannot be run here (no Docker engine), so it is checked instead: it parses (with its anchors and
 * merges), has every service, a consistent three-broker KRaft cluster, and Parley instances whose environment holds
 * only settings Parley reads, with values Parley accepts. And every setting Parley reads is in the README.
 */
class DockerComposeFileTest {

    private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
    private static final List<String> BROKERS = List.of("kafka-1", "kafka-2", "kafka-3");
    private static final List<String> PARLEYS = List.of("parley-1", "parley-2");

    @Test
    void shouldDeclareAThreeBrokerClusterPostgresqlAndTwoParleys() throws IOException {
        Map<String, Map<String, Object>> services = services();

        assertThat(services).containsOnlyKeys("kafka-1", "kafka-2", "kafka-3", "postgres", "parley-1", "parley-2");
        for (int i = 0; i < BROKERS.size(); i++) {
            Map<String, String> env = environment(services.get(BROKERS.get(i)));
            assertThat(env).as(BROKERS.get(i))
                    .containsEntry("KAFKA_NODE_ID", String.valueOf(i + 1))
                    .containsEntry("KAFKA_ADVERTISED_LISTENERS", "PLAINTEXT://" + BROKERS.get(i) + ":9092")
                    .containsEntry("KAFKA_CONTROLLER_QUORUM_VOTERS", "1@kafka-1:9093,2@kafka-2:9093,3@kafka-3:9093")
                    .containsEntry("KAFKA_DEFAULT_REPLICATION_FACTOR", "3")
                    .containsEntry("KAFKA_MIN_INSYNC_REPLICAS", "2")
                    .containsEntry("KAFKA_TRANSACTION_STATE_LOG_MIN_ISR", "2");
            assertThat(Uuid.fromString(env.get("CLUSTER_ID"))).as("a cluster id Kafka accepts").isNotNull();
            assertThat(services.get(BROKERS.get(i))).containsKey("healthcheck");
        }
        assertThat(services.get("postgres")).containsKey("healthcheck");
    }

    @Test
    void shouldStartEachParleyWithSettingsItReadsAndAccepts() throws IOException {
        Map<String, Map<String, Object>> services = services();
        Set<String> read = settingsParleyReads();
        Set<String> hostPorts = new TreeSet<>();

        for (String name : PARLEYS) {
            Map<String, Object> service = services.get(name);
            Map<String, String> env = environment(service);

            // only settings Parley reads (a typo would be ignored silently), with values it accepts
            assertThat(env.keySet().stream().filter(key -> key.startsWith("PARLEY_"))).as(name).allMatch(read::contains);
            AppSettings settings = AppSettings.from(withDefaults(env));
            assertThat(settings.embedded()).isFalse();
            assertThat(settings.bootstrapServers()).isEqualTo("kafka-1:9092,kafka-2:9092,kafka-3:9092");
            assertThat(settings.replicationFactor()).isEqualTo((short) 3);
            assertThat(settings.advertisedAddress()).as("where the other instance reaches " + name).contains(name + ":8080");
            assertThat(settings.databaseUrl()).startsWith("jdbc:postgresql://postgres:5432/");
            assertThat(env).containsEntry("PARLEY_APPLICATION_ID", "parley-status"); // one application: they share the work

            assertThat(service.get("depends_on").toString()).contains("kafka-1", "kafka-2", "kafka-3", "postgres");
            assertThat(service).containsKey("healthcheck");
            hostPorts.add(String.valueOf(((List<?>) service.get("ports")).get(0)).split(":")[0]);
        }
        assertThat(hostPorts).as("each dashboard on a port of its own").hasSize(PARLEYS.size());
    }

    @Test
    void shouldDocumentEverySettingParleyReadsInTheReadme() throws IOException {
        String readme = Files.readString(ROOT.resolve("README.md"));
        assertThat(settingsParleyReads()).allSatisfy(setting -> assertThat(readme).contains("| `" + setting + "` |"));
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Map<String, Object>> services() throws IOException {
        Map<String, Object> compose = new Yaml().load(Files.readString(ROOT.resolve("docker-compose.yml")));
        return (Map<String, Map<String, Object>>) compose.get("services");
    }

    private static Map<String, String> environment(Map<String, Object> service) {
        Map<String, String> env = new HashMap<>();
        ((Map<?, ?>) service.get("environment")).forEach((key, value) -> env.put(key.toString(), value.toString()));
        return env;
    }

    /** Compose's {@code ${NAME:-default}} as compose would fill it when NAME is not set. */
    private static Map<String, String> withDefaults(Map<String, String> env) {
        Map<String, String> filled = new HashMap<>();
        env.forEach((key, value) -> filled.put(key, value.replaceAll("\\$\\{[A-Z_]+:-([^}]*)}", "$1")));
        return filled;
    }

    /** The {@code PARLEY_*} names the main code of every module reads, the test fixtures' {@code PARLEY_TEST_*} aside. */
    private static Set<String> settingsParleyReads() throws IOException {
        Set<String> names = new TreeSet<>();
        Pattern setting = Pattern.compile("\"(PARLEY_[A-Z_]+)\"");
        try (Stream<Path> files = Files.walk(ROOT)) {
            for (Path file : files.filter(f -> f.toString().endsWith(".java") && f.toString().contains("/src/main/")).toList()) {
                Matcher matcher = setting.matcher(Files.readString(file));
                while (matcher.find()) {
                    if (!matcher.group(1).startsWith("PARLEY_TEST_")) { // the test fixtures' own, in the README's Tests section
                        names.add(matcher.group(1));
                    }
                }
            }
        }
        assertThat(names).as("settings found in the code").contains("PARLEY_BOOTSTRAP_SERVERS", "PARLEY_HOME");
        return names;
    }
}
