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
    AWAITING_APPROVAL(false),
    ACCEPTED(false),
    PROVISIONING(false),
    UPDATING(false),
    DELETING(false),
    DEGRADED(false),
    READY(true),
    FAILED(true),
    DELETED(true);

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
