package io.kafkaconcierge.contracts;

import java.util.Locale;

/** What a request is about. Instances and users come later; their events follow the same shape. */
public enum ResourceKind {
    TOPIC;

    /** The lower-case segment used in CloudEvent types, e.g. {@code topic}. */
    public String segment() {
        return name().toLowerCase(Locale.ROOT);
    }
}
