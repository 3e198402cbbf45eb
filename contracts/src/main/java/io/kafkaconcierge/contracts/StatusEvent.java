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
 */
public record StatusEvent(String requestId, Operation operation, ResourceRef resource, RequestState state,
        TopicSpec spec, FailureReason reason, String message, Instant time) {

    public static StatusEvent of(RequestCommand command, RequestState state, Instant time) {
        return new StatusEvent(command.requestId(), command.operation(), command.resource(), state, command.spec(),
                null, null, time);
    }

    public static StatusEvent failed(RequestCommand command, FailureReason reason, String message, Instant time) {
        return new StatusEvent(command.requestId(), command.operation(), command.resource(), RequestState.FAILED,
                command.spec(), reason, message, time);
    }

    /** The CloudEvent id: stable for one request and state, so a re-sent event is recognisably the same event. */
    public String eventId() {
        return requestId + "." + state.segment();
    }

    /** The CloudEvent type, e.g. {@code io.kafkaconcierge.topic.ready}. */
    public String eventType() {
        return CloudEvents.type(resource.kind(), state);
    }
}
