package io.kafkaconcierge.notifier.delivery;

/** One event to deliver: its id (the CloudEvent id, stable across retries and redeliveries) and the JSON body. */
public record WebhookMessage(String id, String type, String body) {}
