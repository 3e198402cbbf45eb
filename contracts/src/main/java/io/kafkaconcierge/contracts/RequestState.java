package io.kafkaconcierge.contracts;

import java.util.Locale;

/**
 * The life of a request: {@code ACCEPTED -> PROVISIONING | UPDATING | DELETING -> READY | FAILED | DELETED}. Each
 * state is reached at most once per request, so {@code requestId + state} identifies an event; an instance's health
 * changes after its request ended ({@code DEGRADED -> READY}) carry a sequence number in their id.
 */
public enum RequestState {
    ACCEPTED(false), PROVISIONING(false), UPDATING(false), DELETING(false), DEGRADED(false),
    READY(true), FAILED(true), DELETED(true);

    private final boolean terminal;

    RequestState(boolean terminal) {
        this.terminal = terminal;
    }

    public boolean terminal() {
        return terminal;
    }

    /** The lower-case segment used in CloudEvent types, e.g. {@code ready}. */
    public String segment() {
        return name().toLowerCase(Locale.ROOT);
    }
}
