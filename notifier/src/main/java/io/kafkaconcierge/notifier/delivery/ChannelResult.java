package io.kafkaconcierge.notifier.delivery;

import java.time.Duration;
import java.util.Optional;

/**
 * What one attempt of a {@link DeliveryChannel} came to. {@link EventDelivery} turns it into the attempt's recorded
 * outcome ({@link DeliveryAttempt#DELIVERED}, ...) and decides: done, retry, dead letter, or disable the
 * subscription.
 */
public sealed interface ChannelResult {

    /** The HTTP status; 0 when there was none (a timeout, a refused connection, an address refused, e-mail). */
    int status();

    /** Why it was not delivered, as recorded and dead-lettered; null when delivered. */
    String error();

    /** How long the attempt took. */
    long latencyMs();

    /** Delivered: a 2xx, or the mail handed to the SMTP server. */
    record Delivered(int status, long latencyMs) implements ChannelResult {
        @Override
        public String error() {
            return null;
        }
    }

    /**
     * Not delivered, and another attempt may do better: no answer (a timeout, a refused connection, a host that does
     * not resolve), a 408, 429 or 5xx, or an SMTP failure.
     *
     * @param retryAfter how long the endpoint asked to be left alone ({@code Retry-After}), if it did
     */
    record Retriable(int status, String error, Optional<Duration> retryAfter, long latencyMs)
            implements ChannelResult {}

    /**
     * Not delivered, and no retry can fix it: any other answer that is not a 2xx (a 4xx; a 3xx, as redirects are not
     * followed), or a mail that cannot be composed.
     */
    record Rejected(int status, String error, long latencyMs) implements ChannelResult {}

    /**
     * Not sent at all: the webhook's host resolves to an address webhooks may not go to. Final: a retry resolves the
     * same name to the same network.
     */
    record Refused(int status, String error, long latencyMs) implements ChannelResult {}

    /** {@code 410 Gone}: the endpoint says it is gone for good. */
    record Gone(int status, String error, long latencyMs) implements ChannelResult {}
}
