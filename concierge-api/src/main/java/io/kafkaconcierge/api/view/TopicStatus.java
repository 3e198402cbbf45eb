package io.kafkaconcierge.api.view;

import io.kafkaconcierge.contracts.FailureReason;
import io.kafkaconcierge.contracts.Operation;
import io.kafkaconcierge.contracts.RequestState;
import io.kafkaconcierge.contracts.TopicSpec;
import java.time.Instant;

/**
 * A topic the concierge manages.
 *
 * @param state         the state of its latest request
 * @param spec          the spec last confirmed READY on the cluster; null until then, and after a delete
 * @param requested     the spec its latest request asks for
 * @param lastRequestId its latest request
 * @param lastOperation what its latest request asks
 */
public record TopicStatus(
        String cluster,
        String name,
        String owner,
        RequestState state,
        TopicSpec spec,
        TopicSpec requested,
        String lastRequestId,
        Operation lastOperation,
        FailureReason reason,
        String message,
        Instant updatedAt) {

    /**
     * Whether the topic exists or is on its way to exist: a live topic can be changed or deleted, and a new create
     * must match it.
     */
    public boolean live() {
        return switch (lastOperation) {
            case DELETE -> state == RequestState.FAILED && spec != null;
            // a failed create or update leaves the topic as it was: live only if it ever was READY
            case CREATE, UPDATE -> state != RequestState.FAILED || spec != null;
        };
    }

    /** The spec the topic will have once in-flight requests are done: the base a change applies to. */
    public TopicSpec desired() {
        return state == RequestState.FAILED ? spec : requested;
    }
}
