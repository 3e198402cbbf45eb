package io.kafkaconcierge.api.rest.dto;

import io.kafkaconcierge.api.guard.Plan;
import io.kafkaconcierge.contracts.RequestState;

/**
 * The answer to an accepted request; {@code replayed} is true when an Idempotency-Key returned a first request. A
 * dry run ({@code dryRun} true) has no request id: {@code state} is the state the request would reach first
 * (ACCEPTED, or AWAITING_APPROVAL) and {@code plan} the guard rails' decision.
 */
public record Accepted(
        String requestId, RequestState state, String location, boolean replayed, Boolean dryRun, Plan plan) {

    public Accepted(String requestId, RequestState state, String location, boolean replayed) {
        this(requestId, state, location, replayed, null, null);
    }

    public static Accepted dryRun(Plan plan) {
        return new Accepted(
                null,
                plan.approval() == null ? RequestState.ACCEPTED : RequestState.AWAITING_APPROVAL,
                null,
                false,
                true,
                plan);
    }

    public boolean isDryRun() {
        return Boolean.TRUE.equals(dryRun);
    }
}
