package io.kafkaconcierge.api.view;

import java.time.Instant;

/**
 * A claim to show a request's password, on {@code concierge.credential-reveals} keyed by request id: the first claim
 * of a request on the log is the one that shows it. Never the password.
 */
public record RevealClaim(String requestId, String claim, Instant at) {}
