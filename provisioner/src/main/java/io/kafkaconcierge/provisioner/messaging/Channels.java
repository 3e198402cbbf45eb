package io.kafkaconcierge.provisioner.messaging;

/** Channel names of the provisioner; their topics are configured in application.properties. */
public final class Channels {

    /** Commands in from {@code concierge.requests}, in batches. */
    public static final String REQUESTS_IN = "requests-in";
    /** Status CloudEvents out to {@code concierge.events}. */
    public static final String EVENTS_OUT = "events-out";
    /** Cluster facts out to the compacted {@code concierge.clusters}. */
    public static final String CLUSTERS_OUT = "clusters-out";
    /** Unreadable commands out to {@code concierge.requests.dlq}. */
    public static final String REQUESTS_DLQ_OUT = "requests-dlq-out";

    private Channels() {}
}
