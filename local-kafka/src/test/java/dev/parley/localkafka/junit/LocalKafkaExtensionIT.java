package dev.parley.localkafka.junit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.localkafka.LocalKafka;
import java.util.Collection;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.common.Node;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(LocalKafkaExtension.class)
@Timeout(value = 2, unit = TimeUnit.MINUTES)
class LocalKafkaExtensionIT {

    private final LocalKafka injectedInConstructor;

    LocalKafkaExtensionIT(LocalKafka kafka) {
        this.injectedInConstructor = kafka;
    }

    @Test
    void shouldInjectARunningBrokerThatDescribesItsCluster(LocalKafka kafka) throws Exception {
        // given the broker of the test run
        assertThat(kafka.isRunning()).isTrue();

        // when a client asks it to describe its cluster
        Collection<Node> nodes;
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers()))) {
            nodes = admin.describeCluster().nodes().get(30, TimeUnit.SECONDS);
        }

        // then it answers with itself as the one node
        assertThat(nodes).singleElement()
                .satisfies(node -> assertThat(node.host() + ":" + node.port()).isEqualTo(kafka.bootstrapServers()));
    }

    @Test
    void shouldInjectTheSameBrokerEverywhere(LocalKafka kafka) {
        // given a broker injected into the constructor and one into the test method
        // when both are looked at
        // then they are one and the same broker
        assertThat(kafka).isSameAs(injectedInConstructor);
    }
}
