package io.kafkaconcierge.notifier.delivery;

import com.fasterxml.jackson.databind.JsonNode;
import io.kafkaconcierge.notifier.subscription.Subscription;

/**
 * One way to deliver an event to a subscription: {@link WebhookChannel} or {@link EmailChannel}. One call is one
 * attempt, blocking, on the caller's thread; {@link EventDelivery} keeps the schedule, the records and the decisions.
 * A channel holds no lock while it waits for the network.
 */
public interface DeliveryChannel {

    /** An event to deliver: its CloudEvent id and type, its data and its structured JSON body. */
    record Event(String id, String type, JsonNode data, String structured) {}

    /** Whether this channel has something to deliver for an event of this type (e-mail has templates for a few). */
    boolean carries(String type);

    /** One attempt to deliver an event to a subscription of this channel. */
    ChannelResult deliver(Subscription subscription, Event event) throws InterruptedException;

    /** One attempt of a test of a subscription of this channel, under the given id and type. */
    ChannelResult test(Subscription subscription, String id, String type) throws InterruptedException;
}
