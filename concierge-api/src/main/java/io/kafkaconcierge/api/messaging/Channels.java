package io.kafkaconcierge.api.messaging;

/** Channel names of the API; their topics are configured in application.properties. */
public final class Channels {

    /** Commands out to {@code concierge.requests}. */
    public static final String REQUESTS_OUT = "requests-out";

    /** Claims to show a user's password, out to {@code concierge.credential-reveals}. */
    public static final String REVEALS_OUT = "reveals-out";

    private Channels() {}
}
