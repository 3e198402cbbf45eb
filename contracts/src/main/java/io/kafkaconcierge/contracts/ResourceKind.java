package io.kafkaconcierge.contracts;

import java.util.Locale;

/** What a request is about. Users come later; their events follow the same shape. */
public enum ResourceKind {
    /** A topic on a registered cluster or a provisioned instance. */
    TOPIC,
    /** A dedicated Kafka instance (a cluster of its own). */
    INSTANCE;

    /** The lower-case segment used in CloudEvent types, e.g. {@code topic}. */
    public String segment() {
        return name().toLowerCase(Locale.ROOT);
    }
}
