package io.kafkaconcierge.api.view;

import io.kafkaconcierge.contracts.FailureReason;
import io.kafkaconcierge.contracts.Operation;
import io.kafkaconcierge.contracts.RequestState;
import io.kafkaconcierge.contracts.UserSpec;
import java.time.Instant;

/**
 * A Kafka user as the concierge knows it: the state of its latest request, the spec last confirmed READY on the
 * cluster ({@code spec}) and what its latest request asks for ({@code requested}). Never its password.
 */
public record UserStatus(
        String cluster,
        String name,
        String owner,
        RequestState state,
        UserSpec spec,
        UserSpec requested,
        String lastRequestId,
        Operation lastOperation,
        FailureReason reason,
        String message,
        Instant updatedAt) {

    /**
     * Whether the user exists or is on its way to exist, as for topics: a user whose deletion is asked is no longer
     * live (a second DELETE answers 404), unless that deletion failed; a failed create or update leaves it as it was.
     */
    public boolean live() {
        return switch (lastOperation) {
            case DELETE -> state == RequestState.FAILED && spec != null;
            case CREATE, UPDATE -> state != RequestState.FAILED || spec != null;
        };
    }
}
