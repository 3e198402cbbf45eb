package io.kafkaconcierge.api.view;

import java.time.Instant;

import io.kafkaconcierge.contracts.FailureReason;
import io.kafkaconcierge.contracts.Operation;
import io.kafkaconcierge.contracts.RequestState;
import io.kafkaconcierge.contracts.UserSpec;

/**
 * A Kafka user as the concierge knows it: the state of its latest request, the spec last confirmed READY on the
 * cluster ({@code spec}) and what its latest request asks for ({@code requested}). Never its password.
 */
public record UserStatus(String cluster, String name, String owner, RequestState state, UserSpec spec,
        UserSpec requested, String lastRequestId, Operation lastOperation, FailureReason reason, String message,
        Instant updatedAt) {

    /** Whether the user exists or is on its way (not deleted, and not a create that failed). */
    public boolean live() {
        return state != RequestState.DELETED && !(state == RequestState.FAILED && spec == null
                && lastOperation == Operation.CREATE);
    }
}
