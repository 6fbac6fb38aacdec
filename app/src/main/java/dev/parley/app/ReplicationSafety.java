package dev.parley.app;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Whether a cluster's replication keeps exactly-once true when a broker dies. A committed development must be on
 * at least two brokers before it counts, and a third must be there to take over: replication factor 3 or more,
 * {@code min.insync.replicas} 2 or more, the same for the transaction log, and no unclean leader election (which
 * can bring back a replica missing committed records). A single broker has nothing to fail over to, so its
 * settings are not judged here.
 */
final class ReplicationSafety {

    static final String ALLOW = "PARLEY_ALLOW_UNSAFE_REPLICATION";

    private ReplicationSafety() {
    }

    /**
     * What is unsafe, one sentence each naming the setting, its value and what it should be; empty when all is well.
     *
     * @param brokers          brokers in the cluster
     * @param brokerConfig     one broker's configuration (transaction log and leader election settings)
     */
    static List<String> problems(int brokers, short replicationFactor, int minInsyncReplicas, Map<String, String> brokerConfig) {
        List<String> problems = new ArrayList<>();
        if (brokers < 2) {
            return problems;
        }
        if (replicationFactor > brokers) {
            problems.add("PARLEY_REPLICATION_FACTOR is " + replicationFactor + " but the cluster has " + brokers
                    + " brokers: topics cannot be created (expected at most " + brokers + ")");
        } else if (replicationFactor < 3) {
            problems.add("PARLEY_REPLICATION_FACTOR is " + replicationFactor + " on a cluster of " + brokers
                    + " brokers: expected 3 or more, so that a broker can fail without losing committed developments");
        }
        if (minInsyncReplicas < 2) {
            problems.add("PARLEY_MIN_INSYNC_REPLICAS is " + minInsyncReplicas
                    + ": expected 2 or more, so that a write counts only once two brokers hold it");
        } else if (minInsyncReplicas >= replicationFactor) {
            problems.add("PARLEY_MIN_INSYNC_REPLICAS is " + minInsyncReplicas + " with PARLEY_REPLICATION_FACTOR " + replicationFactor
                    + ": expected fewer than the replicas, or every write stops while one broker is down");
        }
        atLeast(problems, brokerConfig, "transaction.state.log.replication.factor", 3);
        atLeast(problems, brokerConfig, "transaction.state.log.min.isr", 2);
        if ("true".equals(brokerConfig.get("unclean.leader.election.enable"))) {
            problems.add("the brokers' unclean.leader.election.enable is true: expected false, or a lagging replica can become "
                    + "leader and drop committed developments");
        }
        return problems;
    }

    /** The message Parley refuses to start with. */
    static String refusal(List<String> problems) {
        return "This Kafka cluster's replication is unsafe for exactly-once:" + System.lineSeparator()
                + String.join(System.lineSeparator(), problems.stream().map(p -> "  - " + p).toList()) + System.lineSeparator()
                + "Fix the settings, or set " + ALLOW + "=true to start anyway (a test cluster, say).";
    }

    private static void atLeast(List<String> problems, Map<String, String> brokerConfig, String name, int expected) {
        String value = brokerConfig.get(name);
        if (value != null && Integer.parseInt(value) < expected) {
            problems.add("the brokers' " + name + " is " + value + ": expected " + expected + " or more");
        }
    }
}
