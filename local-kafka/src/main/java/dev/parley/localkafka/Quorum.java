package dev.parley.localkafka;

import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * A node's place in a local cluster of several KRaft nodes, each both broker and controller: its id, the cluster's
 * id (every node is formatted with it), and each node's controller port, which make the static quorum.
 *
 * @param nodeId          this node's {@code node.id}
 * @param clusterId       the cluster's id, the same for every node
 * @param controllerPorts every node's controller port, by node id
 */
public record Quorum(int nodeId, String clusterId, Map<Integer, Integer> controllerPorts) {

    public Quorum {
        controllerPorts = Map.copyOf(controllerPorts);
        if (!controllerPorts.containsKey(nodeId)) {
            throw new IllegalArgumentException("node " + nodeId + " is not one of the quorum's nodes " + controllerPorts.keySet());
        }
    }

    /** How many nodes the cluster has. */
    int size() {
        return controllerPorts.size();
    }

    /** {@code controller.quorum.voters}: {@code 1@127.0.0.1:p1,2@127.0.0.1:p2,...}. */
    String voters() {
        return new TreeMap<>(controllerPorts).entrySet().stream().map(voter -> voter.getKey() + "@127.0.0.1:" + voter.getValue())
                .collect(Collectors.joining(","));
    }
}
