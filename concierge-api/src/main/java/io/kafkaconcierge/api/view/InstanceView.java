package io.kafkaconcierge.api.view;

import io.kafkaconcierge.contracts.FailureReason;
import io.kafkaconcierge.contracts.InstanceSpec;
import io.kafkaconcierge.contracts.InstanceStatus.Condition;
import io.kafkaconcierge.contracts.InstanceStatus.ListenerAddress;
import io.kafkaconcierge.contracts.Operation;
import io.kafkaconcierge.contracts.RequestState;
import java.time.Instant;
import java.util.List;

/**
 * A dedicated instance the concierge manages.
 *
 * @param state            the state of its latest request, or its health since (DEGRADED, READY again)
 * @param backend          where it runs: {@code local} or {@code strimzi}
 * @param readyBrokers     brokers that answered the backend's last check
 * @param listeners        where clients connect, per listener
 * @param spec             the spec last confirmed READY; null until then and after a delete
 * @param requested        the spec its latest request asks for
 */
public record InstanceView(
        String name,
        String owner,
        RequestState state,
        String backend,
        String kafkaVersion,
        Integer brokers,
        Integer readyBrokers,
        List<ListenerAddress> listeners,
        List<Condition> conditions,
        InstanceSpec spec,
        InstanceSpec requested,
        String lastRequestId,
        Operation lastOperation,
        FailureReason reason,
        String message,
        Instant updatedAt) {

    /** Whether the instance exists or is on its way to exist (a name taken). */
    public boolean live() {
        return switch (lastOperation) {
            case DELETE -> state == RequestState.FAILED && spec != null;
            case CREATE, UPDATE -> state != RequestState.FAILED || spec != null;
        };
    }

    /** The spec it will have once in-flight requests are done: the base a change applies to. */
    public InstanceSpec desired() {
        return state == RequestState.FAILED ? spec : requested;
    }

    /** Whether a request for it is being carried out now. */
    public boolean busy() {
        return !state.terminal() && state != RequestState.DEGRADED;
    }
}
