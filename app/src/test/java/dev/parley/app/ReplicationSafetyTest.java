package dev.parley.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

class ReplicationSafetyTest {

    private static final Map<String, String> SAFE_BROKERS = Map.of(
            "transaction.state.log.replication.factor", "3", "transaction.state.log.min.isr", "2",
            "unclean.leader.election.enable", "false");

    @Test
    void shouldAcceptOneBrokerWhateverItsSettings() {
        assertThat(ReplicationSafety.problems(1, (short) 1, 1, Map.of("transaction.state.log.min.isr", "1"))).isEmpty();
    }

    @Test
    void shouldAcceptThreeReplicasWithTwoInSyncOnThreeBrokers() {
        assertThat(ReplicationSafety.problems(3, (short) 3, 2, SAFE_BROKERS)).isEmpty();
    }

    @Test
    void shouldNameEachUnsafeSettingWithItsValueAndWhatIsExpected() {
        var problems = ReplicationSafety.problems(3, (short) 1, 1, Map.of(
                "transaction.state.log.replication.factor", "1", "transaction.state.log.min.isr", "1",
                "unclean.leader.election.enable", "true"));

        assertThat(problems).containsExactly(
                "PARLEY_REPLICATION_FACTOR is 1 on a cluster of 3 brokers: expected 3 or more, so that a broker can fail "
                        + "without losing committed developments",
                "PARLEY_MIN_INSYNC_REPLICAS is 1: expected 2 or more, so that a write counts only once two brokers hold it",
                "the brokers' transaction.state.log.replication.factor is 1: expected 3 or more",
                "the brokers' transaction.state.log.min.isr is 1: expected 2 or more",
                "the brokers' unclean.leader.election.enable is true: expected false, or a lagging replica can become leader "
                        + "and drop committed developments");
    }

    @Test
    void shouldRefuseMoreReplicasThanBrokersAndAsManyInSyncAsReplicas() {
        assertThat(ReplicationSafety.problems(2, (short) 3, 2, SAFE_BROKERS)).containsExactly(
                "PARLEY_REPLICATION_FACTOR is 3 but the cluster has 2 brokers: topics cannot be created (expected at most 2)");
        assertThat(ReplicationSafety.problems(3, (short) 3, 3, SAFE_BROKERS)).containsExactly(
                "PARLEY_MIN_INSYNC_REPLICAS is 3 with PARLEY_REPLICATION_FACTOR 3: expected fewer than the replicas, "
                        + "or every write stops while one broker is down");
    }

    @Test
    void shouldSayHowToStartAnyway() {
        assertThat(ReplicationSafety.refusal(ReplicationSafety.problems(3, (short) 1, 2, SAFE_BROKERS)))
                .startsWith("This Kafka cluster's replication is unsafe for exactly-once:")
                .contains("  - PARLEY_REPLICATION_FACTOR is 1")
                .endsWith("set PARLEY_ALLOW_UNSAFE_REPLICATION=true to start anyway (a test cluster, say).");
    }
}
