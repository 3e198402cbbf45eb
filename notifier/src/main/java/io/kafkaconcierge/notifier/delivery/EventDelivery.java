package io.kafkaconcierge.notifier.delivery;

import com.fasterxml.jackson.databind.JsonNode;
import io.kafkaconcierge.contracts.CloudEvents;
import io.kafkaconcierge.contracts.ConciergeTopics;
import io.kafkaconcierge.contracts.Json;
import io.kafkaconcierge.notifier.config.NotifierConfig;
import io.kafkaconcierge.notifier.messaging.NotifierProducer;
import io.kafkaconcierge.notifier.subscription.Subscription;
import io.kafkaconcierge.notifier.subscription.SubscriptionService;
import io.kafkaconcierge.notifier.subscription.SubscriptionStore;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.quarkus.logging.Log;
import io.quarkus.mailer.Mail;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.jboss.logging.MDC;

/**
 * Delivers one event to one subscription, with every attempt its retry schedule allows: the webhook (signed) or
 * the e-mail. Each attempt is recorded in the {@link DeliveryLog}. After the last attempt, or on an answer no retry
 * can fix, the event goes to the dead-letter topic; a {@code 410 Gone} disables the subscription instead, and the
 * event stays where it is so that a subscription turned on again resumes with it. The caller decides how to wait
 * between attempts ({@link Waiter}): the dispatcher keeps its consumer alive while it waits.
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

    private final SubscriptionStore store;
    private final SubscriptionService subscriptions;
    private final WebhookSender webhooks;
    private final EmailNotifier emails;
    private final DeliveryLog log;
    private final NotifierProducer producer;
    private final NotifierConfig config;
    private final MeterRegistry registry;
    private final AtomicInteger pendingRetries = new AtomicInteger();
    private final ParsedEvents events;
    private final java.util.concurrent.ExecutorService mailThread =
            java.util.concurrent.Executors.newSingleThreadExecutor(r -> {
                Thread t = new Thread(r, "mail-sender");
                t.setDaemon(true);
                return t;
            });
    private final Map<Subscription.Filter, io.kafkaconcierge.contracts.EventFilter> filters =
            new java.util.concurrent.ConcurrentHashMap<>();

    public EventDelivery(
            SubscriptionStore store,
            SubscriptionService subscriptions,
            WebhookSender webhooks,
            EmailNotifier emails,
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
        if (!subscription.webhook() && !EmailNotifier.MAILED.contains(type)) {
            return Outcome.DONE;
        }
        WebhookMessage message = subscription.webhook() ? new WebhookMessage(id, type, parsed.structured()) : null;
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
                Try t = subscription.webhook() ? webhook(current, message) : email(current, type, data);
                boolean last = attempt > schedule.size();
                Duration wait = last ? null : waitBefore(attempt, schedule, t.retryAfter());
                String outcome = t.ok()
                        ? DeliveryAttempt.DELIVERED
                        : t.refused()
                                ? DeliveryAttempt.REFUSED
                                : t.gone()
                                        ? DeliveryAttempt.GONE
                                        : !t.retriable()
                                                ? DeliveryAttempt.REJECTED
                                                : last ? DeliveryAttempt.FAILED : DeliveryAttempt.RETRYING;
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
                        outcome,
                        t.status(),
                        t.error(),
                        t.latencyMs(),
                        now,
                        DeliveryAttempt.RETRYING.equals(outcome) ? now.plus(wait) : null));
                registry.counter(
                                current.webhook()
                                        ? "concierge_webhook_attempts_total"
                                        : "concierge_email_attempts_total",
                                "outcome",
                                outcome)
                        .increment();
                switch (outcome) {
                    case DeliveryAttempt.DELIVERED -> {
                        // one line per delivery, with the request id: a request can be followed through the logs
                        Log.infof("%s %s delivered to %s (attempt %d)", current.channel(), id, subscriptionId, attempt);
                        delivered(current, record);
                        return Outcome.DONE;
                    }
                    case DeliveryAttempt.GONE -> {
                        if (manual) {
                            return Outcome.DONE;
                        }
                        subscriptions.disable(current, "GONE", "the endpoint answered 410 Gone to event " + id, id);
                        return current.configured()
                                ? deadLetter(current, record, id, "webhook answered 410 Gone")
                                : Outcome.STOP;
                    }
                    case DeliveryAttempt.RETRYING -> {
                        Log.infof(
                                "%s %s to %s: attempt %d failed (%s); next in %s",
                                current.channel(), id, subscriptionId, attempt, t.error(), wait);
                        pendingRetries.incrementAndGet();
                        boolean go;
                        try {
                            go = waiter.await(wait);
                        } finally {
                            pendingRetries.decrementAndGet();
                        }
                        if (!go) {
                            return Outcome.STOP;
                        }
                    }
                    default -> {
                        return deadLetter(
                                current,
                                record,
                                id,
                                current.channel() + " after " + attempt + " attempt(s): " + t.error());
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
        Try t;
        if (subscription.webhook()) {
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
                            Json.write(Map.of(
                                    "subscriptionId", subscription.id(), "message", "a test of this subscription")),
                            StandardCharsets.UTF_8));
            t = webhook(subscription, new WebhookMessage(id, type, body));
        } else {
            t = sendMail(emails.test(subscription.id(), subscription.to()));
        }
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
                t.ok() ? DeliveryAttempt.DELIVERED : t.refused() ? DeliveryAttempt.REFUSED : DeliveryAttempt.FAILED,
                t.status(),
                t.error(),
                t.latencyMs(),
                Instant.now(),
                null);
        log.record(attempt);
        return attempt;
    }

    private record Try(
            int status,
            String error,
            long latencyMs,
            Optional<String> retryAfter,
            boolean ok,
            boolean gone,
            boolean retriable,
            boolean refused) {

        Try(
                int status,
                String error,
                long latencyMs,
                Optional<String> retryAfter,
                boolean ok,
                boolean gone,
                boolean retriable) {
            this(status, error, latencyMs, retryAfter, ok, gone, retriable, false);
        }
    }

    private Try webhook(Subscription s, WebhookMessage message) throws InterruptedException {
        Timer.Sample sample = Timer.start(registry);
        WebhookSender.Answer a = webhooks.send(s, message);
        String outcome = a.ok() ? "delivered" : a.refused() ? "refused" : a.retriable() ? "retry" : "rejected";
        sample.stop(Timer.builder("concierge_webhook_attempt_duration_seconds")
                .tag("outcome", outcome)
                .publishPercentileHistogram()
                .register(registry));
        return new Try(
                a.status(),
                a.ok() ? null : a.describe(),
                a.latencyMs(),
                a.retryAfter(),
                a.ok(),
                a.gone(),
                a.retriable(),
                a.refused());
    }

    private Try email(Subscription s, String type, JsonNode data) throws InterruptedException {
        Mail mail;
        try {
            mail = emails.compose(type, data, s.to());
        } catch (RuntimeException e) {
            return new Try(0, "cannot compose the e-mail: " + e.getMessage(), 0, Optional.empty(), false, false, false);
        }
        return sendMail(mail);
    }

    private Try sendMail(Mail mail) throws InterruptedException {
        long start = System.nanoTime();
        try {
            // every mail from one thread, one after the other: sends from several dispatcher threads at once, or
            // one after the other from different threads, were seen to hang on the SMTP connection until the
            // server's socket timeout (30 s, then 421). Mail is low volume and goes to one SMTP server anyway.
            mailThread
                    .submit(() -> emails.sendOnce(mail).await().indefinitely())
                    .get();
            return new Try(0, null, (System.nanoTime() - start) / 1_000_000, Optional.empty(), true, false, false);
        } catch (java.util.concurrent.ExecutionException | RuntimeException e) {
            Throwable cause = e instanceof java.util.concurrent.ExecutionException ? e.getCause() : e;
            return new Try(
                    0, cause.toString(), (System.nanoTime() - start) / 1_000_000, Optional.empty(), false, false, true);
        }
    }

    /** The schedule's wait, or longer when a 429/503 asked for it with Retry-After (up to max-retry-after). */
    private Duration waitBefore(int attempt, List<Duration> schedule, Optional<String> retryAfter) {
        Duration planned = schedule.get(attempt - 1);
        Duration asked = retryAfter.map(EventDelivery::parseRetryAfter).orElse(Duration.ZERO);
        Duration max = config.webhook().maxRetryAfter();
        asked = asked.compareTo(max) > 0 ? max : asked;
        return asked.compareTo(planned) > 0 ? asked : planned;
    }

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
