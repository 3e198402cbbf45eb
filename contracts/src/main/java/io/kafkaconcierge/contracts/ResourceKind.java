package io.kafkaconcierge.contracts;

import java.util.Locale;

/** What a request is about. */
public enum ResourceKind {
    /** A topic on a registered cluster or a provisioned instance. */
    TOPIC,
    /** A dedicated Kafka instance (a cluster of its own). */
    INSTANCE,
    /** A Kafka user (service account) with SCRAM credentials, ACLs and quotas, on a cluster or instance. */
    USER;

    /** The lower-case segment used in CloudEvent types, e.g. {@code topic}. */
    public String segment() {
        return name().toLowerCase(Locale.ROOT);
    }
}
