package io.kafkaconcierge.contracts;

import java.time.Instant;

/**
 * A request the API accepted, as written to {@link ConciergeTopics#REQUESTS} keyed by {@link ResourceRef#key()}.
 *
 * @param requestId      the id the API answered with (UUID)
 * @param operation      what to do
 * @param resource       which resource
 * @param spec           for a topic: the desired spec after the operation (for DELETE: the spec being deleted)
 * @param change         for a topic UPDATE: the delta to apply; otherwise null
 * @param idempotencyKey the client's Idempotency-Key header, if any
 * @param requestHash    SHA-256 of the request as received, to tell a retry from a different request
 * @param acceptedAt     when the API accepted it
 * @param instance       for an instance: the desired spec after the operation (for DELETE: the spec being deleted)
 * @param instanceChange for an instance UPDATE: the delta to apply; otherwise null
 * @param requestedBy    who asked (never a credential); null in commands written before identity existed
 * @param user           for a user: the desired spec after the operation (for DELETE: the spec being deleted)
 * @param credential     for a user CREATE, or an UPDATE that rotates it: the new password, sealed with the key the
 *                       API and the provisioner share ({@code secrets.SecretBox}); never in clear, never in an event
 */
public record RequestCommand(
        String requestId,
        Operation operation,
        ResourceRef resource,
        TopicSpec spec,
        TopicChange change,
        String idempotencyKey,
        String requestHash,
        Instant acceptedAt,
        InstanceSpec instance,
        InstanceChange instanceChange,
        Requester requestedBy,
        UserSpec user,
        String credential) {

    public RequestCommand(
            String requestId,
            Operation operation,
            ResourceRef resource,
            TopicSpec spec,
            TopicChange change,
            String idempotencyKey,
            String requestHash,
            Instant acceptedAt,
            InstanceSpec instance,
            InstanceChange instanceChange,
            Requester requestedBy) {
        this(
                requestId,
                operation,
                resource,
                spec,
                change,
                idempotencyKey,
                requestHash,
                acceptedAt,
                instance,
                instanceChange,
                requestedBy,
                null,
                null);
    }

    /** A user command: {@code credential} sealed, or null when the password stays as it is. */
    public static RequestCommand user(
            String requestId,
            Operation operation,
            UserSpec user,
            String credential,
            String idempotencyKey,
            String requestHash,
            Instant acceptedAt) {
        return new RequestCommand(
                requestId,
                operation,
                user.ref(),
                null,
                null,
                idempotencyKey,
                requestHash,
                acceptedAt,
                null,
                null,
                null,
                user,
                credential);
    }

    public RequestCommand(
            String requestId,
            Operation operation,
            ResourceRef resource,
            TopicSpec spec,
            TopicChange change,
            String idempotencyKey,
            String requestHash,
            Instant acceptedAt,
            InstanceSpec instance,
            InstanceChange instanceChange) {
        this(
                requestId,
                operation,
                resource,
                spec,
                change,
                idempotencyKey,
                requestHash,
                acceptedAt,
                instance,
                instanceChange,
                null);
    }

    /** This command, asked by {@code requester}. */
    public RequestCommand by(Requester requester) {
        return new RequestCommand(
                requestId,
                operation,
                resource,
                spec,
                change,
                idempotencyKey,
                requestHash,
                acceptedAt,
                instance,
                instanceChange,
                requester,
                user,
                credential);
    }

    /** This command without its sealed password (for a record kept outside concierge.requests). */
    public RequestCommand withoutCredential() {
        return new RequestCommand(
                requestId,
                operation,
                resource,
                spec,
                change,
                idempotencyKey,
                requestHash,
                acceptedAt,
                instance,
                instanceChange,
                requestedBy,
                user,
                null);
    }

    /** The team that owns the resource this command is about, or null. */
    public String owner() {
        if (instance != null) {
            return instance.owner();
        }
        if (user != null) {
            return user.owner();
        }
        return spec == null ? null : spec.owner();
    }

    /** A topic command. */
    public RequestCommand(
            String requestId,
            Operation operation,
            ResourceRef resource,
            TopicSpec spec,
            TopicChange change,
            String idempotencyKey,
            String requestHash,
            Instant acceptedAt) {
        this(requestId, operation, resource, spec, change, idempotencyKey, requestHash, acceptedAt, null, null);
    }

    /** Never the sealed credential: commands may be logged by a curious developer. */
    @Override
    public String toString() {
        return "RequestCommand[requestId=" + requestId + ", operation=" + operation + ", resource=" + resource
                + (credential == null ? "" : ", credential=<sealed>") + "]";
    }
}
