package dev.parley.app;

import static org.assertj.core.api.Assertions.assertThat;

import org.apache.kafka.clients.admin.NewTopic;
import org.junit.jupiter.api.Test;

class TopicSetupTest {

    @Test
    void shouldGiveEveryTopicTheReplicationAskedFor() {
        var topics = TopicSetup.topics(6, (short) 3, 2);

        assertThat(topics).extracting(NewTopic::name).containsExactlyInAnyOrder(
                "parley.developments", "parley.status", "parley.status-changes", "parley.dead-letters", "parley.parked-changes");
        assertThat(topics).allSatisfy(topic -> {
            assertThat(topic.numPartitions()).isEqualTo(6);
            assertThat(topic.replicationFactor()).isEqualTo((short) 3);
            assertThat(topic.configs()).containsEntry("min.insync.replicas", "2");
        });
        assertThat(topics).filteredOn(topic -> topic.name().equals("parley.status"))
                .singleElement().satisfies(status -> assertThat(status.configs()).containsEntry("cleanup.policy", "compact"));
    }
}
