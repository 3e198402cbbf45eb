package io.kafkaconcierge.api.messaging;

/** Channel names of the API; their topics are configured in application.properties. */
public final class Channels {

    /** Commands out to {@code concierge.requests}. */
    public static final String REQUESTS_OUT = "requests-out";

    private Channels() {
    }
}
