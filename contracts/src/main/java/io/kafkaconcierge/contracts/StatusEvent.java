package io.kafkaconcierge.contracts;

import java.time.Instant;

/**
 * The data of every status CloudEvent on {@link ConciergeTopics#EVENTS}. The schema per type is in
 * {@code schemas/events/}.
 *
 * @param requestId which request this is about
 * @param operation what the request asked
 * @param resource  which resource
 * @param state     the state the request reached
 * @param spec      the spec as asked (for READY: as applied)
 * @param reason    for FAILED: a stable, machine-readable code ({@link FailureReason}); otherwise null
 * @param message   for FAILED: what went wrong and what to do, for a person; otherwise optional
 * @param time      when the state was reached
 * @param instance  for an instance: its spec as asked (for READY: as applied)
 * @param instanceStatus for an instance: what the backend reports (backend, bootstrap servers, conditions)
 * @param sequence  for an instance's health change after its request ended (DEGRADED, then READY again): a number
 *                  that grows with each change, part of the event id; null for the steps of a request
 * @param user      for a user: its spec as asked (for READY: as applied); never a password
 */
public record StatusEvent(
        String requestId,
        Operation operation,
        ResourceRef resource,
        RequestState state,
        TopicSpec spec,
        FailureReason reason,
        String message,
        Instant time,
        InstanceSpec instance,
        InstanceStatus instanceStatus,
        Long sequence,
        UserSpec user) {

    public StatusEvent(
            String requestId,
            Operation operation,
            ResourceRef resource,
            RequestState state,
            TopicSpec spec,
            FailureReason reason,
            String message,
            Instant time,
            InstanceSpec instance,
            InstanceStatus instanceStatus,
            Long sequence) {
        this(
                requestId,
                operation,
                resource,
                state,
                spec,
                reason,
                message,
                time,
                instance,
                instanceStatus,
                sequence,
                null);
    }

    /** A topic event. */
    public StatusEvent(
            String requestId,
            Operation operation,
            ResourceRef resource,
            RequestState state,
            TopicSpec spec,
            FailureReason reason,
            String message,
            Instant time) {
        this(requestId, operation, resource, state, spec, reason, message, time, null, null, null);
    }

    public static StatusEvent of(RequestCommand command, RequestState state, Instant time) {
        return new StatusEvent(
                command.requestId(),
                command.operation(),
                command.resource(),
                state,
                command.spec(),
                null,
                null,
                time,
                command.instance(),
                null,
                null,
                command.user());
    }

    public static StatusEvent failed(RequestCommand command, FailureReason reason, String message, Instant time) {
        return new StatusEvent(
                command.requestId(),
                command.operation(),
                command.resource(),
                RequestState.FAILED,
                command.spec(),
                reason,
                message,
                time,
                command.instance(),
                null,
                null,
                command.user());
    }

    /** This event with the backend's report of the instance. */
    public StatusEvent withStatus(InstanceStatus status) {
        return new StatusEvent(
                requestId, operation, resource, state, spec, reason, message, time, instance, status, sequence, user);
    }

    /** A health change of an instance after its request ended, numbered by {@code sequence}. */
    public StatusEvent asHealthChange(long sequence) {
        return new StatusEvent(
                requestId,
                operation,
                resource,
                state,
                spec,
                reason,
                message,
                time,
                instance,
                instanceStatus,
                sequence,
                user);
    }

    /**
     * The CloudEvent id: stable for one request and state (and health change), so a re-sent event is recognisably
     * the same event.
     */
    public String eventId() {
        return requestId + "." + state.segment() + (sequence == null ? "" : "." + sequence);
    }

    /** The CloudEvent type, e.g. {@code io.kafkaconcierge.topic.ready}. */
    public String eventType() {
        return CloudEvents.type(resource.kind(), state);
    }
}
