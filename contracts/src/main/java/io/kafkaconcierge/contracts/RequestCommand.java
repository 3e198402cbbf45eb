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
 */
public record RequestCommand(String requestId, Operation operation, ResourceRef resource, TopicSpec spec,
        TopicChange change, String idempotencyKey, String requestHash, Instant acceptedAt, InstanceSpec instance,
        InstanceChange instanceChange) {

    /** A topic command. */
    public RequestCommand(String requestId, Operation operation, ResourceRef resource, TopicSpec spec,
            TopicChange change, String idempotencyKey, String requestHash, Instant acceptedAt) {
        this(requestId, operation, resource, spec, change, idempotencyKey, requestHash, acceptedAt, null, null);
    }
}
