package io.kafkaconcierge.provisioner.instance;

import io.kafkaconcierge.contracts.InstanceStatus;
import io.kafkaconcierge.contracts.RequestCommand;
import io.kafkaconcierge.contracts.RequestState;
import io.kafkaconcierge.provisioner.service.Outcome;

/**
 * Makes instances real somewhere. {@link #begin} records the request durably where the backend keeps its state
 * (files, custom resources) before it returns, so that a provisioner killed right after can resume it; the work
 * then goes on in the background and ends with one call of {@link Listener#finished}.
 */
public interface InstanceBackend {

    /** {@code local} or {@code strimzi}, as shown in events and in the API. */
    String name();

    /** Starts: adopts what exists, resumes unfinished requests, watches health. Called once. */
    void start(Listener listener);

    /**
     * Records the request and starts carrying it out; the status right now. The same request twice (a redelivered
     * command) does not start its work twice.
     */
    InstanceStatus begin(RequestCommand command);

    /** Whether topic and user requests for {@code cluster} are this backend's (KafkaTopic and KafkaUser resources, not Admin calls). */
    default boolean managesTopicsOf(String cluster) {
        return false;
    }

    /**
     * The client settings besides the address that the provisioner's clients (Admin, checks) need to reach the
     * instance, e.g. SASL and the concierge's own credential on an instance with security; empty when none.
     */
    default java.util.Map<String, Object> clientSettings(String instance) {
        return java.util.Map.of();
    }

    /** Stops watching (the instances themselves keep running, to be adopted at the next start). */
    void stop();

    /** What the backend tells the provisioner. */
    interface Listener {

        /** Whether a request's outcome is already out (then a resumed request is not carried out again). */
        boolean finishedBefore(String requestId);

        /** The request is done: READY, DELETED or FAILED, with the status of the instance now. */
        void finished(RequestCommand command, Outcome outcome, InstanceStatus status);

        /** An instance found READY at start (adopted or restarted): it joins the cluster registry. */
        void adopted(RequestCommand command, InstanceStatus status);

        /**
         * While a request is carried out, the backend reports something a person should see before the outcome (a
         * NotReady reason of the operator); the request's step and state stay as they are.
         */
        void progress(RequestCommand command, InstanceStatus status);

        /** A READY instance's health changed ({@code DEGRADED}, or {@code READY} again); {@code command}: its last. */
        void health(RequestCommand command, RequestState state, InstanceStatus status);
    }
}
