package io.kafkaconcierge.notifier.delivery;

import io.kafkaconcierge.contracts.CloudEvents;
import io.kafkaconcierge.contracts.Json;
import io.kafkaconcierge.notifier.messaging.NotifierProducer;
import io.kafkaconcierge.notifier.subscription.Subscription;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;

/**
 * Webhooks: one signed POST per attempt ({@link WebhookSender}), its answer read as a {@link ChannelResult}: 2xx
 * delivered; 410 gone; no answer, 408, 429 and 5xx retriable (with the {@code Retry-After} asked for, if any); an
 * address webhooks may not go to refused; anything else rejected. Each attempt's duration is timed in
 * {@code concierge_webhook_attempt_duration_seconds} with the tag {@code outcome} (delivered, refused, retry,
 * rejected: a 410 counts as rejected there).
 */
@ApplicationScoped
public class WebhookChannel implements DeliveryChannel {

    private final WebhookSender sender;
    private final MeterRegistry registry;

    public WebhookChannel(WebhookSender sender, MeterRegistry registry) {
        this.sender = sender;
        this.registry = registry;
    }

    @Override
    public boolean carries(String type) {
        return true;
    }

    @Override
    public ChannelResult deliver(Subscription subscription, Event event) throws InterruptedException {
        return send(subscription, new WebhookMessage(event.id(), event.type(), event.structured()));
    }

    /** A CloudEvent of the given id and type whose data says it is a test of this subscription. */
    @Override
    public ChannelResult test(Subscription subscription, String id, String type) throws InterruptedException {
        String body = CloudEvents.structured(
                Map.of(
                        "specversion",
                        CloudEvents.SPEC_VERSION,
                        "id",
                        id,
                        "source",
                        NotifierProducer.SOURCE,
                        "type",
                        type,
                        "time",
                        Instant.now().toString(),
                        "datacontenttype",
                        CloudEvents.CONTENT_TYPE_JSON),
                new String(
                        Json.write(
                                Map.of("subscriptionId", subscription.id(), "message", "a test of this subscription")),
                        StandardCharsets.UTF_8));
        return send(subscription, new WebhookMessage(id, type, body));
    }

    private ChannelResult send(Subscription subscription, WebhookMessage message) throws InterruptedException {
        Timer.Sample sample = Timer.start(registry);
        ChannelResult result = result(sender.send(subscription, message));
        sample.stop(Timer.builder("concierge_webhook_attempt_duration_seconds")
                .tag("outcome", timerOutcome(result))
                .publishPercentileHistogram()
                .register(registry));
        return result;
    }

    /** What an answer means. */
    static ChannelResult result(WebhookSender.Answer a) {
        if (a.ok()) {
            return new ChannelResult.Delivered(a.status(), a.latencyMs());
        }
        if (a.refused()) {
            return new ChannelResult.Refused(a.status(), a.describe(), a.latencyMs());
        }
        if (a.gone()) {
            return new ChannelResult.Gone(a.status(), a.describe(), a.latencyMs());
        }
        if (!a.retriable()) {
            return new ChannelResult.Rejected(a.status(), a.describe(), a.latencyMs());
        }
        return new ChannelResult.Retriable(
                a.status(), a.describe(), a.retryAfter().map(WebhookChannel::parseRetryAfter), a.latencyMs());
    }

    /** The tag of the attempt's duration: as it always was, a 410 is {@code rejected} there. */
    private static String timerOutcome(ChannelResult result) {
        if (result instanceof ChannelResult.Delivered) {
            return "delivered";
        }
        if (result instanceof ChannelResult.Refused) {
            return "refused";
        }
        return result instanceof ChannelResult.Retriable ? "retry" : "rejected";
    }

    /** A {@code Retry-After} in seconds or as an HTTP date; zero when past or unreadable. */
    static Duration parseRetryAfter(String value) {
        try {
            return Duration.ofSeconds(Math.max(0, Long.parseLong(value.trim())));
        } catch (NumberFormatException e) {
            try {
                Instant at = java.time.format.DateTimeFormatter.RFC_1123_DATE_TIME.parse(value.trim(), Instant::from);
                Duration d = Duration.between(Instant.now(), at);
                return d.isNegative() ? Duration.ZERO : d;
            } catch (RuntimeException unreadable) {
                return Duration.ZERO;
            }
        }
    }
}
