package io.kafkaconcierge.contracts;

/** Why a request FAILED: stable codes for machines, each event also carries a message for people. */
public enum FailureReason {
    /** The resource exists with another spec than the one asked for. */
    CONFLICT,
    /** The resource to change or delete does not exist on the cluster. */
    NOT_FOUND,
    /** The cluster refused the spec (a config value, a partition count, a replication factor). */
    INVALID_SPEC,
    /** The cluster is not registered with the provisioner. */
    UNKNOWN_CLUSTER,
    /** The cluster did not answer in time, after all retries. */
    CLUSTER_UNAVAILABLE,
    /** The concierge's credentials may not do this on the cluster. */
    NOT_AUTHORIZED,
    /** An approver rejected the request; the message has the comment. It never reached the provisioner. */
    APPROVAL_REJECTED,
    /** Nobody decided before the policy's approval expiry. It never reached the provisioner. */
    APPROVAL_EXPIRED,
    /**
     * No terminal state within the deadline of its kind (concierge-api's {@code concierge.api.deadlines.*}); the
     * message says in which state it stuck and since when. Decided once by concierge-api.
     */
    TIMEOUT,
    /** Anything else; the message says what. */
    INTERNAL
}
