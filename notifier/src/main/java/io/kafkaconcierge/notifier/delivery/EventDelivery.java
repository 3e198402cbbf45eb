package io.kafkaconcierge.notifier.delivery;

import com.fasterxml.jackson.databind.JsonNode;
import io.kafkaconcierge.contracts.ConciergeTopics;
import io.kafkaconcierge.notifier.config.NotifierConfig;
import io.kafkaconcierge.notifier.messaging.NotifierProducer;
import io.kafkaconcierge.notifier.subscription.Subscription;
import io.kafkaconcierge.notifier.subscription.SubscriptionService;
import io.kafkaconcierge.notifier.subscription.SubscriptionStore;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.quarkus.logging.Log;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.jboss.logging.MDC;

/**
 * Delivers one event to one subscription, with every attempt its retry schedule allows, through the subscription's
 * {@link DeliveryChannel}: the webhook (signed, {@link WebhookChannel}) or the e-mail ({@link EmailChannel}). Each
 * attempt's {@link ChannelResult} is recorded in the {@link DeliveryLog} and decided on here ({@link #next}). After the
 * last attempt, or on an answer no retry can fix, the event goes to the dead-letter topic; a {@code 410 Gone} disables
 * the subscription instead, and the event stays where it is so that a subscription turned on again resumes with it.
 * The caller decides how to wait between attempts ({@link Waiter}): the dispatcher keeps its consumer alive while it
 * waits.
 */
@ApplicationScoped
public class EventDelivery {

    /** What the caller does with the event's offset. */
    public enum Outcome {
        /** Delivered, or dead-lettered: the event is done for this subscription. */
        DONE,
        /** Not done and not to be committed: the subscription was disabled or deleted, or the dispatcher stops. */
        STOP
    }

    /** Waits between attempts; false when the wait was cut short and the delivery must stop. */
    @FunctionalInterface
    public interface Waiter {
        boolean await(Duration wait) throws InterruptedException;
    }

    /** What follows an attempt. */
    enum Then {
        /** Done: count it delivered. */
        DELIVERED,
        /** Wait, then attempt again. */
        RETRY,
        /** Done: write the event to the dead-letter topic. */
        DEAD_LETTER,
        /** The endpoint is gone: disable the subscription (unless the delivery was asked for by hand). */
        DISABLE
    }

    /**
     * The decision after one attempt.
     *
     * @param outcome the attempt's outcome as recorded and counted ({@link DeliveryAttempt#DELIVERED}, ...)
     * @param delay   before the next attempt, when {@link Then#RETRY}; else null
     */
    record Step(String outcome, Then then, Duration delay) {}

    private final SubscriptionStore store;
    private final SubscriptionService subscriptions;
    private final DeliveryChannel webhooks;
    private final DeliveryChannel emails;
    private final DeliveryLog log;
    private final NotifierProducer producer;
    private final NotifierConfig config;
    private final MeterRegistry registry;
    private final AtomicInteger pendingRetries = new AtomicInteger();
    private final ParsedEvents events;
    private final Map<Subscription.Filter, io.kafkaconcierge.contracts.EventFilter> filters =
            new java.util.concurrent.ConcurrentHashMap<>();

    public EventDelivery(
            SubscriptionStore store,
            SubscriptionService subscriptions,
            WebhookChannel webhooks,
            EmailChannel emails,
            DeliveryLog log,
            NotifierProducer producer,
            NotifierConfig config,
            MeterRegistry registry,
            ParsedEvents events) {
        this.events = events;
        this.store = store;
        this.subscriptions = subscriptions;
        this.webhooks = webhooks;
        this.emails = emails;
        this.log = log;
        this.producer = producer;
        this.config = config;
        this.registry = registry;
    }

    /**
     * Delivers a record of {@code concierge.events} if the subscription's filter wants it.
     *
     * @param trigger {@code event} from the dispatcher, {@code redeliver} when asked for by a client
     */
    public Outcome deliver(String subscriptionId, ConsumerRecord<String, String> record, String trigger, Waiter waiter)
            throws InterruptedException {
        return deliver(subscriptionId, record, trigger, waiter, 1);
    }

    /**
     * As {@link #deliver(String, ConsumerRecord, String, Waiter)}, going on at attempt {@code firstAttempt} of the
     * schedule (a redelivery whose next attempt was scheduled rather than waited for).
     */
    public Outcome deliver(
            String subscriptionId,
            ConsumerRecord<String, String> record,
            String trigger,
            Waiter waiter,
            int firstAttempt)
            throws InterruptedException {
        ParsedEvents.Parsed parsed = events.of(record);
        String id = parsed.attributes().get("id");
        String type = parsed.attributes().get("type");
        Subscription subscription = store.get(subscriptionId).orElse(null);
        if (subscription == null || id == null || type == null || record.value() == null) {
            return subscription == null ? Outcome.STOP : Outcome.DONE;
        }
        if (parsed.unreadable() != null) {
            return deadLetter(subscription, record, id, "unreadable event data: " + parsed.unreadable());
        }
        JsonNode data = parsed.data();
        boolean manual = !"event".equals(trigger);
        if (!manual
                && !filters.computeIfAbsent(subscription.filter(), Subscription.Filter::toEventFilter)
                        .matches(type, data)) {
            return Outcome.DONE;
        }
        DeliveryChannel channel = channel(subscription);
        if (!channel.carries(type)) {
            return Outcome.DONE;
        }
        DeliveryChannel.Event event = new DeliveryChannel.Event(id, type, data, parsed.structured());
        List<Duration> schedule = subscription.webhook()
                ? config.webhook().retrySchedule()
                : config.email().retrySchedule();
        MDC.put("requestId", id.substring(0, Math.max(0, id.indexOf('.'))));
        try {
            for (int attempt = firstAttempt; ; attempt++) {
                Subscription current = store.get(subscriptionId).orElse(null);
                if (current == null || !manual && !current.active()) {
                    return Outcome.STOP;
                }
                ChannelResult result = channel.deliver(current, event);
                Step step = next(result, attempt, schedule, config.webhook().maxRetryAfter());
                Instant now = Instant.now();
                log.record(new DeliveryAttempt(
                        subscriptionId,
                        id,
                        id,
                        type,
                        record.key(),
                        record.partition(),
                        record.offset(),
                        attempt,
                        trigger,
                        step.outcome(),
                        result.status(),
                        result.error(),
                        result.latencyMs(),
                        now,
                        step.then() == Then.RETRY ? now.plus(step.delay()) : null));
                registry.counter(
                                current.webhook()
                                        ? "concierge_webhook_attempts_total"
                                        : "concierge_email_attempts_total",
                                "outcome",
                                step.outcome())
                        .increment();
                switch (step.then()) {
                    case DELIVERED -> {
                        // one line per delivery, with the request id: a request can be followed through the logs
                        Log.infof("%s %s delivered to %s (attempt %d)", current.channel(), id, subscriptionId, attempt);
                        delivered(current, record);
                        return Outcome.DONE;
                    }
                    case DISABLE -> {
                        if (manual) {
                            return Outcome.DONE;
                        }
                        subscriptions.disable(current, "GONE", "the endpoint answered 410 Gone to event " + id, id);
                        return current.configured()
                                ? deadLetter(current, record, id, "webhook answered 410 Gone")
                                : Outcome.STOP;
                    }
                    case RETRY -> {
                        Log.infof(
                                "%s %s to %s: attempt %d failed (%s); next in %s",
                                current.channel(), id, subscriptionId, attempt, result.error(), step.delay());
                        pendingRetries.incrementAndGet();
                        boolean go;
                        try {
                            go = waiter.await(step.delay());
                        } finally {
                            pendingRetries.decrementAndGet();
                        }
                        if (!go) {
                            return Outcome.STOP;
                        }
                    }
                    case DEAD_LETTER -> {
                        return deadLetter(
                                current,
                                record,
                                id,
                                current.channel() + " after " + attempt + " attempt(s): " + result.error());
                    }
                }
            }
        } finally {
            MDC.remove("requestId");
        }
    }

    /** Deliveries waiting for their next attempt in this replica. */
    public int pendingRetries() {
        return pendingRetries.get();
    }

    /** Sends a test: a {@code io.kafkaconcierge.subscription.ping} webhook, or a test e-mail; one attempt. */
    public DeliveryAttempt ping(Subscription subscription) throws InterruptedException {
        String id = "ping-" + UUID.randomUUID();
        String type = "io.kafkaconcierge.subscription.ping";
        ChannelResult result = channel(subscription).test(subscription, id, type);
        DeliveryAttempt attempt = new DeliveryAttempt(
                subscription.id(),
                id,
                id,
                type,
                null,
                -1,
                -1,
                1,
                "test",
                testOutcome(result),
                result.status(),
                result.error(),
                result.latencyMs(),
                Instant.now(),
                null);
        log.record(attempt);
        return attempt;
    }

    /** The subscription's channel, by its kind: a webhook, else e-mail. */
    private DeliveryChannel channel(Subscription subscription) {
        return subscription.webhook() ? webhooks : emails;
    }

    /**
     * What follows attempt {@code attempt} (from 1) of a schedule of waits, given its result: delivered; gone;
     * dead-lettered at once when refused or rejected (no retry can fix those), or when a retriable failure was the
     * last attempt (attempt {@code schedule.size() + 1}); else a retry after the schedule's wait, or after what the
     * endpoint asked for with {@code Retry-After} when longer (up to {@code maxRetryAfter}).
     */
    static Step next(ChannelResult result, int attempt, List<Duration> schedule, Duration maxRetryAfter) {
        if (result instanceof ChannelResult.Delivered) {
            return new Step(DeliveryAttempt.DELIVERED, Then.DELIVERED, null);
        }
        if (result instanceof ChannelResult.Refused) {
            return new Step(DeliveryAttempt.REFUSED, Then.DEAD_LETTER, null);
        }
        if (result instanceof ChannelResult.Gone) {
            return new Step(DeliveryAttempt.GONE, Then.DISABLE, null);
        }
        if (result instanceof ChannelResult.Rejected) {
            return new Step(DeliveryAttempt.REJECTED, Then.DEAD_LETTER, null);
        }
        ChannelResult.Retriable retriable = (ChannelResult.Retriable) result;
        if (attempt > schedule.size()) {
            return new Step(DeliveryAttempt.FAILED, Then.DEAD_LETTER, null);
        }
        Duration planned = schedule.get(attempt - 1);
        Duration asked = retriable.retryAfter().orElse(Duration.ZERO);
        asked = asked.compareTo(maxRetryAfter) > 0 ? maxRetryAfter : asked;
        return new Step(DeliveryAttempt.RETRYING, Then.RETRY, asked.compareTo(planned) > 0 ? asked : planned);
    }

    /** A test's outcome: one attempt, so anything not delivered nor refused is {@code failed}. */
    static String testOutcome(ChannelResult result) {
        return result instanceof ChannelResult.Delivered
                ? DeliveryAttempt.DELIVERED
                : result instanceof ChannelResult.Refused ? DeliveryAttempt.REFUSED : DeliveryAttempt.FAILED;
    }

    private void delivered(Subscription s, ConsumerRecord<String, String> record) {
        registry.counter("concierge_notifications_total", "channel", s.channel(), "outcome", "delivered")
                .increment();
        latency(registry, s.channel())
                .record(Duration.ofMillis(Math.max(0, System.currentTimeMillis() - record.timestamp())));
    }

    /** Registered at start for each channel (by {@link Dispatchers}), so a rate over it exists before the first. */
    static Timer latency(MeterRegistry registry, String channel) {
        return Timer.builder("concierge_notification_latency_seconds")
                .description("From the event written to Kafka to its delivery, retries included")
                .tag("channel", channel)
                .publishPercentileHistogram()
                .register(registry);
    }

    private Outcome deadLetter(Subscription s, ConsumerRecord<String, String> record, String id, String reason) {
        Log.errorf("event %s could not be delivered to %s: %s; it goes to the dead-letter topic", id, s.id(), reason);
        registry.counter("concierge_notifications_total", "channel", s.channel(), "outcome", "failed")
                .increment();
        registry.counter("concierge_dead_letters_total", "topic", record.topic())
                .increment();
        RecordHeaders headers = new RecordHeaders(record.headers().toArray());
        headers.add("dlq-reason", reason.getBytes(StandardCharsets.UTF_8));
        headers.add("dlq-subscription", s.id().getBytes(StandardCharsets.UTF_8));
        headers.add(
                "dlq-source",
                (record.topic() + "-" + record.partition() + "@" + record.offset()).getBytes(StandardCharsets.UTF_8));
        try {
            producer.send(ConciergeTopics.NOTIFIER_DLQ, record.key(), record.value(), headers)
                    .get();
        } catch (Exception e) {
            // not written: not done either; the event stays uncommitted and is tried again after a restart
            Log.errorf("could not write event %s to the dead-letter topic: %s", id, e.toString());
            return Outcome.STOP;
        }
        return Outcome.DONE;
    }
}
