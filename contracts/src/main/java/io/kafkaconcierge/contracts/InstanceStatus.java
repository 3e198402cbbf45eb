package io.kafkaconcierge.contracts;

import java.time.Instant;
import java.util.List;

/**
 * What the backend reports of an instance, carried by instance events.
 *
 * @param backend      {@code local} or {@code strimzi}
 * @param kafkaVersion the version it runs
 * @param readyBrokers how many brokers answered the last check
 * @param listeners    where clients connect, per listener (set once READY)
 * @param conditions   Kubernetes-style conditions ({@code Ready}, {@code NotReady}, ...)
 */
public record InstanceStatus(String backend, String kafkaVersion, int readyBrokers, List<ListenerAddress> listeners,
        List<Condition> conditions) {

    public InstanceStatus {
        listeners = listeners == null ? List.of() : List.copyOf(listeners);
        conditions = conditions == null ? List.of() : List.copyOf(conditions);
    }

    /** A listener's bootstrap servers, {@code host:port,host:port}. */
    public record ListenerAddress(String name, String bootstrapServers) {
    }

    /** As in Kubernetes: {@code status} is {@code True}, {@code False} or {@code Unknown}. */
    public record Condition(String type, String status, String reason, String message, Instant lastTransitionTime) {
    }

    /** The bootstrap servers of the first listener, or null before there are any. */
    public String bootstrapServers() {
        return listeners.isEmpty() ? null : listeners.get(0).bootstrapServers();
    }
}
