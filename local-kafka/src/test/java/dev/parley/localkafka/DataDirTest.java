package dev.parley.localkafka;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DataDirTest {

    @TempDir
    Path root;

    @Test
    void shouldLetBrokerPropertiesOverrideDefaultsButNotTheListeners() throws Exception {
        // given a data directory
        DataDir dataDir = new DataDir(root);

        // when server.properties is written with overrides of a default and of a listener
        dataDir.writeServerProperties(new Ports(40001, 40002),
                Map.of("num.partitions", "3", "listeners", "PLAINTEXT://0.0.0.0:9092"), null);

        // then the default gives way and the listeners stay LocalKafka's
        Properties written = new Properties();
        try (Reader reader = Files.newBufferedReader(dataDir.serverProperties())) {
            written.load(reader);
        }
        assertThat(written)
                .containsEntry("num.partitions", "3")
                .containsEntry("listeners", "PLAINTEXT://127.0.0.1:40001,CONTROLLER://127.0.0.1:40002")
                .containsEntry("controller.quorum.voters", "1@127.0.0.1:40002")
                .containsEntry("offsets.topic.replication.factor", "1")
                .containsEntry("log.dirs", root.resolve("kafka-logs").toAbsolutePath().toString());
    }

    @Test
    void shouldRememberThePortsOfTheFirstStart() {
        // given a data directory that has never been started
        DataDir dataDir = new DataDir(root);
        assertThat(dataDir.rememberedPorts()).isEmpty();

        // when ports are remembered
        dataDir.remember(new Ports(40001, 40002));

        // then a later look finds them
        assertThat(new DataDir(root).rememberedPorts()).contains(new Ports(40001, 40002));
    }

    @Test
    void shouldChooseTwoDifferentFreePortsButKeepGivenOnes() {
        // given no port for either listener, then a given broker port
        // when ports are chosen
        Ports free = Ports.choose(0, 0);
        Ports half = Ports.choose(40001, 0);

        // then free ports are real and distinct, and a given port is kept
        assertThat(free.broker()).isPositive().isNotEqualTo(free.controller());
        assertThat(free.controller()).isPositive();
        assertThat(half.broker()).isEqualTo(40001);
        assertThat(half.controller()).isPositive();
    }
}
