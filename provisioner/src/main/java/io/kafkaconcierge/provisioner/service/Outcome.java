package io.kafkaconcierge.provisioner.service;

import io.kafkaconcierge.contracts.FailureReason;
import io.kafkaconcierge.contracts.RequestState;

/**
 * What one round of Admin calls did with one command: a terminal state, or {@code retry} when the cluster did not
 * answer and the command goes into the next round.
 */
public record Outcome(RequestState state, FailureReason reason, String message, boolean retry) {

    public static Outcome done(RequestState state) {
        return new Outcome(state, null, null, false);
    }

    public static Outcome failed(FailureReason reason, String message) {
        return new Outcome(RequestState.FAILED, reason, message, false);
    }

    public static Outcome retry(String message) {
        return new Outcome(null, null, message, true);
    }
}
