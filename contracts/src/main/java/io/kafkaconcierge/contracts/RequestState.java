package io.kafkaconcierge.contracts;

import java.util.Locale;

/**
 * The life of a request: {@code ACCEPTED -> PROVISIONING -> READY | FAILED | DELETED}. Each state is reached at
 * most once per request, so {@code requestId + state} identifies an event.
 */
public enum RequestState {
    ACCEPTED(false), PROVISIONING(false), READY(true), FAILED(true), DELETED(true);

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
