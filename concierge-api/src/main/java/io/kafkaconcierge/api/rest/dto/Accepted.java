package io.kafkaconcierge.api.rest.dto;

import io.kafkaconcierge.contracts.RequestState;

/** The answer to an accepted request; {@code replayed} is true when an Idempotency-Key returned a first request. */
public record Accepted(String requestId, RequestState state, String location, boolean replayed) {
}
