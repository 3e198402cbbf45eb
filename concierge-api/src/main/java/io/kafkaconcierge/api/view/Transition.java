package io.kafkaconcierge.api.view;

import io.kafkaconcierge.contracts.FailureReason;
import io.kafkaconcierge.contracts.RequestState;
import java.time.Instant;

/** One step in a request's history. */
public record Transition(RequestState state, Instant time, FailureReason reason, String message) {}
