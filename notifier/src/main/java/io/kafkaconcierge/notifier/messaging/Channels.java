package io.kafkaconcierge.notifier.messaging;

/** Channel names of the notifier; their topics are configured in application.properties. */
public final class Channels {

    /** Status CloudEvents in from {@code concierge.events}. */
    public static final String EVENTS_IN = "events-in";
    /** Events that could not be delivered, out to {@code concierge.notifier.dlq}. */
    public static final String DLQ_OUT = "notifier-dlq-out";

    private Channels() {
    }
}
