package io.kafkaconcierge.provisioner.instance.local;

import io.kafkaconcierge.contracts.InstanceSpec;
import io.kafkaconcierge.contracts.InstanceStatus;
import io.kafkaconcierge.contracts.InstanceStatus.Condition;
import io.kafkaconcierge.contracts.InstanceStatus.ListenerAddress;
import io.kafkaconcierge.contracts.Operation;
import io.kafkaconcierge.contracts.RequestCommand;
import io.kafkaconcierge.provisioner.instance.local.LocalState.Node;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Predicate;

/**
 * The shape of local instances, without I/O: which nodes a new instance (or an added broker) gets with which ports,
 * where clients connect, and the {@link InstanceStatus} of an instance given which of its nodes are alive. The ports
 * come from a {@link PortSource} (free ports on 127.0.0.1 in the backend, made-up ones in tests).
 */
final class LocalTopology {

    /** The id of the first broker of an instance with dedicated controllers; controllers are 1 to 3. */
    static final int FIRST_BROKER_ID = 100;

    /** Where the ports of new nodes come from: {@code count} distinct ports. */
    @FunctionalInterface
    interface PortSource {
        List<Integer> take(int count);
    }

    private final PortSource ports;
    private final String kafkaVersion;
    private final Clock clock;

    /**
     * @param kafkaVersion the version the local brokers run, as shown in the status of an existing instance
     */
    LocalTopology(PortSource ports, String kafkaVersion, Clock clock) {
        this.ports = ports;
        this.kafkaVersion = kafkaVersion;
        this.clock = clock;
    }

    /**
     * The nodes of a new instance: one broker is a single combined node (id 1); two brokers get one controller,
     * three or more a quorum of three (ids 1 to 3), and the brokers ids from {@link #FIRST_BROKER_ID}.
     */
    List<Node> newInstance(InstanceSpec spec) {
        List<String> listeners = listenerNames(spec);
        int brokers = spec.brokers();
        int controllers = brokers == 1 ? 0 : brokers >= 3 ? 3 : 1;
        List<Integer> free = ports.take(brokers * listeners.size() + Math.max(controllers, 1));
        int next = 0;
        List<Node> nodes = new ArrayList<>();
        if (controllers == 0) {
            nodes.add(new Node(1, LocalState.COMBINED, portsOf(listeners, free, next), free.get(listeners.size())));
            return nodes;
        }
        for (int c = 1; c <= controllers; c++) {
            nodes.add(new Node(c, LocalState.CONTROLLER, Map.of(), free.get(next++)));
        }
        for (int b = 0; b < brokers; b++) {
            nodes.add(new Node(FIRST_BROKER_ID + b, LocalState.BROKER, portsOf(listeners, free, next), null));
            next += listeners.size();
        }
        return nodes;
    }

    /** {@code more} brokers to add to {@code existing}, with ids after the highest there (at least from 100). */
    List<Node> addedBrokers(InstanceSpec spec, int more, List<Node> existing) {
        if (more <= 0) {
            return List.of();
        }
        List<String> listeners = listenerNames(spec);
        int id = Math.max(
                FIRST_BROKER_ID - 1, existing.stream().mapToInt(Node::id).max().orElse(0));
        List<Integer> free = ports.take(more * listeners.size());
        List<Node> nodes = new ArrayList<>();
        for (int b = 0; b < more; b++) {
            nodes.add(new Node(++id, LocalState.BROKER, portsOf(listeners, free, b * listeners.size()), null));
        }
        return nodes;
    }

    /** Every port the nodes listen on: their listeners' and the controllers'. */
    static List<Integer> ports(List<Node> nodes) {
        List<Integer> all = new ArrayList<>();
        for (Node n : nodes) {
            all.addAll(n.ports().values());
            if (n.controllerPort() != null) {
                all.add(n.controllerPort());
            }
        }
        return all;
    }

    /** {@code 127.0.0.1:port,...}: the brokers' addresses on {@code listener}. */
    static String bootstrap(LocalState state, String listener) {
        return String.join(
                ",",
                state.brokers().stream()
                        .map(n -> "127.0.0.1:" + n.ports().get(listener))
                        .filter(Objects::nonNull)
                        .toList());
    }

    /** The status of an instance with one condition; {@code alive} tells which nodes run now. */
    InstanceStatus status(LocalState state, Condition condition, Predicate<Node> alive) {
        return status(state, state.command(), List.of(condition), alive);
    }

    /**
     * The status of an instance: its brokers alive counted as ready, and each requested listener's address (with
     * SASL/SCRAM on a secured instance). An instance without a state (never made, or gone) has neither.
     */
    InstanceStatus status(LocalState state, RequestCommand command, List<Condition> conditions, Predicate<Node> alive) {
        if (state == null) {
            return absent(command, conditions);
        }
        int ready = (int) state.brokers().stream().filter(alive).count();
        List<ListenerAddress> listeners = new ArrayList<>();
        for (InstanceSpec.Listener l : command.instance().listeners()) {
            listeners.add(
                    state.adminCredential() != null && command.instance().secured()
                            ? ListenerAddress.scram(l.name(), bootstrap(state, l.name()))
                            : new ListenerAddress(l.name(), bootstrap(state, l.name())));
        }
        return new InstanceStatus(LocalInstanceBackend.NAME, kafkaVersion, ready, listeners, conditions);
    }

    /** The status of an instance that has no processes (not made, failed to be made, or deleted). */
    InstanceStatus absent(RequestCommand command, List<Condition> conditions) {
        return new InstanceStatus(
                LocalInstanceBackend.NAME, command.instance().kafkaVersion(), 0, List.of(), conditions);
    }

    /** Ready while the latest request is done; otherwise the step it is at. */
    Condition conditionFor(LocalState state) {
        return state.done()
                ? condition("Ready", "True", "BrokersReady", "running")
                : condition(
                        "Ready",
                        "False",
                        progressReason(state.command().operation()),
                        "working on request " + state.command().requestId());
    }

    static String progressReason(Operation operation) {
        return switch (operation) {
            case CREATE -> "Provisioning";
            case UPDATE -> "Updating";
            case DELETE -> "Deleting";
        };
    }

    Condition condition(String type, String status, String reason, String message) {
        return new Condition(type, status, reason, message, clock.instant());
    }

    private static List<String> listenerNames(InstanceSpec spec) {
        return spec.listeners().stream().map(InstanceSpec.Listener::name).toList();
    }

    private static Map<String, Integer> portsOf(List<String> listeners, List<Integer> free, int from) {
        Map<String, Integer> p = new HashMap<>();
        for (int i = 0; i < listeners.size(); i++) {
            p.put(listeners.get(i), free.get(from + i));
        }
        return p;
    }
}
