package io.kafkaconcierge.contracts;

import java.time.Instant;

/**
 * The data of the notifier's CloudEvents about a subscription on {@link ConciergeTopics#EVENTS}, keyed
 * {@code subscription:<id>}; today only {@link CloudEvents#SUBSCRIPTION_DISABLED}. Its schema is
 * {@code schemas/events/io.kafkaconcierge.subscription.disabled.json}.
 *
 * @param resource       {@code {"kind": "SUBSCRIPTION", "name": <id>}}, so that filters by kind work as for requests
 * @param subscriptionId the subscription
 * @param owner          the team that owns it
 * @param state          {@code DISABLED}
 * @param reason         why, e.g. {@code GONE} (the endpoint answered 410)
 * @param message        for people
 * @param channel        {@code webhook} or {@code email}
 * @param target         where it delivered to: a webhook's scheme, host and path (no query), or the addresses
 * @param eventId        the event whose delivery ended it, if any
 * @param time           when
 */
public record SubscriptionEvent(
        Subject resource,
        String subscriptionId,
        String owner,
        String state,
        String reason,
        String message,
        String channel,
        String target,
        String eventId,
        Instant time) {

    public static final String KIND = "SUBSCRIPTION";

    /** What the event is about. */
    public record Subject(String kind, String name) {}

    public static SubscriptionEvent disabled(
            String subscriptionId,
            String owner,
            String reason,
            String message,
            String channel,
            String target,
            String eventId,
            Instant time) {
        return new SubscriptionEvent(
                new Subject(KIND, subscriptionId),
                subscriptionId,
                owner,
                "DISABLED",
                reason,
                message,
                channel,
                target,
                eventId,
                time);
    }

    /** The record key: all events of one subscription are on one partition, in order. */
    public String key() {
        return "subscription:" + subscriptionId;
    }

    /** Stable for a repeat of the same event: {@code <subscriptionId>.disabled.<epoch millis>}. */
    public String eventId() {
        return subscriptionId + "." + state.toLowerCase() + "." + time.toEpochMilli();
    }
}
