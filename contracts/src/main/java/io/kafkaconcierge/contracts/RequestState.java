package io.kafkaconcierge.contracts;

import java.util.Locale;

/**
 * The life of a request: {@code [AWAITING_APPROVAL ->] ACCEPTED -> PROVISIONING | UPDATING | DELETING -> READY |
 * FAILED | DELETED}; a request waiting for approval may also end FAILED (rejected or expired) without ever being
 * ACCEPTED, that is without its command ever reaching the provisioner. Each
 * state is reached at most once per request, so {@code requestId + state} identifies an event; an instance's health
 * changes after its request ended ({@code DEGRADED -> READY}) carry a sequence number in their id.
 */
public enum RequestState {
    AWAITING_APPROVAL(false, 0),
    ACCEPTED(false, 1),
    PROVISIONING(false, 2),
    UPDATING(false, 2),
    DELETING(false, 2),
    DEGRADED(false, 3),
    READY(true, 4),
    FAILED(true, 4),
    DELETED(true, 4);

    private final boolean terminal;
    private final int rank;

    RequestState(boolean terminal, int rank) {
        this.terminal = terminal;
        this.rank = rank;
    }

    /**
     * How far along a request's life the state is, for merging reports read in any order: a state of a higher rank
     * supersedes one of a lower rank. The three ends share the highest (a request has at most one), as the three
     * steps do (a request has one operation). Declared, not the constants' order, so that order may change.
     */
    public int rank() {
        return rank;
    }

    public boolean terminal() {
        return terminal;
    }

    /** The lower-case segment used in CloudEvent types, e.g. {@code ready}. */
    public String segment() {
        return name().toLowerCase(Locale.ROOT);
    }
}
