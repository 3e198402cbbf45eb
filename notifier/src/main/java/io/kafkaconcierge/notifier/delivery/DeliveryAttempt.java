package io.kafkaconcierge.notifier.delivery;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Instant;

/**
 * One attempt to deliver one event to one subscription, as written to {@code concierge.notifier.deliveries} (keyed
 * by subscription id) and shown by {@code GET /api/v1/subscriptions/{id}/deliveries}.
 *
 * @param deliveryId  the event's id for an event (so every attempt and redelivery of it share it), {@code ping-...}
 *                    for a test
 * @param partition   where the event is on {@code concierge.events} (-1 for a test), so it can be redelivered
 * @param trigger     {@code event}, {@code redeliver} or {@code test}
 * @param outcome     {@code delivered}, {@code retrying}, {@code failed} (after the last attempt, dead-lettered),
 *                    {@code rejected} (a 4xx that no retry can fix, dead-lettered), {@code gone} (410: the
 *                    subscription was disabled), {@code refused} (the host resolves to an address webhooks may not
 *                    go to, nothing was sent; dead-lettered)
 * @param statusCode  the HTTP status (0 when there was none: a timeout, a refused connection, e-mail)
 * @param latencyMs   how long the attempt took
 * @param nextRetryAt when the next attempt is due, while retrying
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record DeliveryAttempt(
        String subscriptionId,
        String deliveryId,
        String eventId,
        String eventType,
        String subject,
        int partition,
        long offset,
        int attempt,
        String trigger,
        String outcome,
        int statusCode,
        String error,
        long latencyMs,
        Instant at,
        Instant nextRetryAt) {

    public static final String DELIVERED = "delivered";
    public static final String RETRYING = "retrying";
    public static final String FAILED = "failed";
    public static final String REJECTED = "rejected";
    public static final String GONE = "gone";
    public static final String REFUSED = "refused";
}
