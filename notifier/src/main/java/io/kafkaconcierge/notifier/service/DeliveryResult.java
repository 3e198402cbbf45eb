package io.kafkaconcierge.notifier.service;

/** How a delivery ended after all its attempts. */
public record DeliveryResult(boolean delivered, int attempts, int lastStatus, String lastError) {
}
