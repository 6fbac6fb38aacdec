package dev.parley.localkafka.junit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.localkafka.KafkaBroker;
import java.util.Collection;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.common.Node;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(KafkaExtension.class)
@Timeout(value = 2, unit = TimeUnit.MINUTES)
class KafkaExtensionIT {

    private final KafkaBroker injectedInConstructor;

    KafkaExtensionIT(KafkaBroker kafka) {
        this.injectedInConstructor = kafka;
    }

    @Test
    void shouldInjectARunningBrokerThatDescribesItsCluster(KafkaBroker kafka) throws Exception {
        // given the broker of the test run
        // when a client asks it to describe its cluster
        Collection<Node> nodes;
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers()))) {
            nodes = admin.describeCluster().nodes().get(30, TimeUnit.SECONDS);
        }

        // then it answers with itself as the one node
        assertThat(nodes).singleElement()
                .satisfies(node -> assertThat(kafka.bootstrapServers()).endsWith(node.host() + ":" + node.port()));
    }

    @Test
    void shouldBeTestcontainersKafkaWhereDockerRunsElseTheLocalBroker(KafkaBroker kafka) {
        assertThat(kafka).isInstanceOf(KafkaExtension.whyNotTestcontainers().isEmpty() ? ContainerKafka.class : dev.parley.localkafka.LocalKafka.class);
    }

    @Test
    void shouldInjectTheSameBrokerEverywhere(KafkaBroker kafka) {
        // given a broker injected into the constructor and one into the test method
        // when both are looked at
        // then they are one and the same broker
        assertThat(kafka).isSameAs(injectedInConstructor);
    }
}
