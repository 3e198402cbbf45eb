package io.kafkaconcierge.notifier.rest.dto;

import io.kafkaconcierge.notifier.subscription.Subscription;
import java.util.List;

/**
 * A new subscription: who owns it, which events it wants, and where they go.
 *
 * @param owner       the team (1 to 63 characters of [A-Za-z0-9._-])
 * @param description for people, up to 256 characters
 * @param filter      which events: CloudEvent types, kinds (topic, instance, subscription), owners, clusters or
 *                    instances; omitted or empty lists mean any
 * @param channel     {@code {"type":"webhook","url":...}} or {@code {"type":"email","to":[...]}}
 */
public record SubscriptionRequest(
        String owner, String description, Subscription.Filter filter, ChannelRequest channel) {

    /** Where events go: a webhook URL or e-mail addresses. */
    public record ChannelRequest(String type, String url, List<String> to) {}
}
