package io.kafkaconcierge.provisioner.instance.local;

import io.kafkaconcierge.contracts.RequestCommand;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * What the local backend knows of one instance, kept as {@code instance.json} in its folder: the latest request and
 * whether its outcome is out, the KRaft cluster id, and each node with its ports. Written before a request is
 * acknowledged, so a restarted provisioner finds every instance and every unfinished request.
 *
 * @param command   the latest request on the instance
 * @param done      whether that request's outcome has been published
 * @param clusterId the KRaft cluster id its storage is formatted with
 * @param nodes     its processes
 * @param adminCredential the password of the concierge's own super user on an instance with security, sealed with
 *                  {@code concierge.secrets.key} as users' passwords are; null on a plaintext instance
 */
record LocalState(RequestCommand command, boolean done, String clusterId, List<Node> nodes, String adminCredential) {

    LocalState(RequestCommand command, boolean done, String clusterId, List<Node> nodes) {
        this(command, done, clusterId, nodes, null);
    }

    static final String BROKER = "broker";
    static final String CONTROLLER = "controller";
    static final String COMBINED = "broker,controller";

    /**
     * One process: {@code roles} as in {@code process.roles}; {@code ports}: each listener's port (brokers);
     * {@code controllerPort} (controllers).
     */
    record Node(int id, String roles, Map<String, Integer> ports, Integer controllerPort) {
        boolean broker() {
            return roles.contains(BROKER);
        }

        boolean controller() {
            return roles.contains(CONTROLLER);
        }

        String dirName() {
            return "node-" + id;
        }
    }

    LocalState with(RequestCommand newCommand, boolean newDone) {
        return new LocalState(newCommand, newDone, clusterId, nodes, adminCredential);
    }

    LocalState withNodes(List<Node> newNodes) {
        return new LocalState(command, done, clusterId, newNodes, adminCredential);
    }

    List<Node> brokers() {
        return nodes.stream().filter(Node::broker).toList();
    }

    List<Node> controllers() {
        return nodes.stream().filter(Node::controller).toList();
    }

    /** {@code 1@127.0.0.1:port,...}: the static controller quorum. */
    String voters() {
        List<String> voters = new ArrayList<>();
        for (Node n : controllers()) {
            voters.add(n.id() + "@127.0.0.1:" + n.controllerPort());
        }
        return String.join(",", voters);
    }
}
