package io.kafkaconcierge.api.view;

import java.time.Instant;

import io.kafkaconcierge.contracts.FailureReason;
import io.kafkaconcierge.contracts.RequestState;

/** One step in a request's history. */
public record Transition(RequestState state, Instant time, FailureReason reason, String message) {
}
