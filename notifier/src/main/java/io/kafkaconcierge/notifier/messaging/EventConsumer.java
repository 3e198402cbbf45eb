package io.kafkaconcierge.notifier.messaging;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.jboss.logging.MDC;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.eclipse.microprofile.reactive.messaging.Message;

import io.kafkaconcierge.contracts.CloudEvents;
import io.kafkaconcierge.contracts.Json;
import io.kafkaconcierge.contracts.StatusEvent;
import io.kafkaconcierge.notifier.service.DeliveryResult;
import io.kafkaconcierge.notifier.service.EmailNotifier;
import io.kafkaconcierge.notifier.service.WebhookDelivery;
import io.kafkaconcierge.notifier.service.WebhookMessage;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.quarkus.logging.Log;
import io.smallrye.mutiny.Uni;
import io.smallrye.reactive.messaging.MutinyEmitter;
import io.smallrye.reactive.messaging.kafka.api.OutgoingKafkaRecordMetadata;

/**
 * Reads status events one at a time, in order, and delivers each as a webhook whose body is the CloudEvent in
 * structured JSON, then, for the types people care about, as an e-mail. The offset is committed only after the delivery ended (delivered, or dead-lettered after its
 * last attempt), so a notifier killed mid-retry delivers again after restart, with the same {@code webhook-id}.
 */
@ApplicationScoped
public class EventConsumer {

    private static final int RECENT = 10_000;

    private final WebhookDelivery webhooks;
    private final EmailNotifier emails;
    private final MutinyEmitter<String> deadLetters;
    private final MeterRegistry registry;
    /** Ids delivered lately: an event re-sent by the provisioner after a restart is not delivered twice. */
    private final Map<String, Boolean> recent = recentIds();
    private final Map<String, Boolean> recentMails = recentIds();

    public EventConsumer(WebhookDelivery webhooks, EmailNotifier emails,
            @Channel(Channels.DLQ_OUT) MutinyEmitter<String> deadLetters, MeterRegistry registry) {
        this.webhooks = webhooks;
        this.emails = emails;
        this.deadLetters = deadLetters;
        this.registry = registry;
    }

    @Incoming(Channels.EVENTS_IN)
    public Uni<Void> consume(ConsumerRecord<String, String> record) {
        Map<String, String> ce = CloudEvents.attributes(record.headers());
        String id = ce.get("id");
        if (id == null) {
            return Uni.createFrom().voidItem();
        }
        return webhook(record, ce, id).chain(() -> email(record, ce, id));
    }

    private Uni<Void> webhook(ConsumerRecord<String, String> record, Map<String, String> ce, String id) {
        if (!webhooks.enabled() || recent.containsKey(id)) {
            return Uni.createFrom().voidItem();
        }
        WebhookMessage message;
        try {
            message = new WebhookMessage(id, ce.get("type"), CloudEvents.structured(ce, record.value()));
        } catch (IllegalArgumentException e) {
            return deadLetter(record, id, "unreadable event data: " + e.getMessage());
        }
        return webhooks.deliver(message).chain(result -> finish(record, id, "webhook", result));
    }

    private Uni<Void> email(ConsumerRecord<String, String> record, Map<String, String> ce, String id) {
        if (!emails.wants(ce.get("type")) || recentMails.containsKey(id)) {
            return Uni.createFrom().voidItem();
        }
        StatusEvent event;
        try {
            event = Json.read(record.value().getBytes(StandardCharsets.UTF_8), StatusEvent.class);
        } catch (RuntimeException e) {
            return deadLetter(record, id, "unreadable event data: " + e.getMessage());
        }
        return emails.send(event).chain(result -> {
            if (result.delivered()) {
                recentMails.put(id, Boolean.TRUE);
            }
            return finish(record, id, "email", result);
        });
    }

    private Uni<Void> finish(ConsumerRecord<String, String> record, String id, String channel,
            DeliveryResult result) {
        MDC.put("requestId", id.substring(0, Math.max(0, id.lastIndexOf('.'))));
        if (result.delivered()) {
            Log.infof("%s %s delivered (attempt %d)", channel, id, result.attempts());
            recordLatency(record, channel);
        }
        MDC.remove("requestId");
        registry.counter("concierge_notifications_total", "channel", channel, "outcome",
                result.delivered() ? "delivered" : "failed").increment();
        if (result.delivered()) {
            if ("webhook".equals(channel)) {
                recent.put(id, Boolean.TRUE);
            }
            return Uni.createFrom().voidItem();
        }
        return deadLetter(record, id, channel + " after " + result.attempts() + " attempt(s): " + result.lastError());
    }

    private Uni<Void> deadLetter(ConsumerRecord<String, String> record, String id, String reason) {
        MDC.put("requestId", id.substring(0, Math.max(0, id.lastIndexOf('.'))));
        Log.errorf("event %s could not be delivered %s; it goes to the dead-letter topic", id, reason);
        MDC.remove("requestId");
        registry.counter("concierge_dead_letters_total", "topic", record.topic()).increment();
        RecordHeaders headers = new RecordHeaders(record.headers().toArray());
        headers.add("dlq-reason", reason.getBytes(StandardCharsets.UTF_8));
        return deadLetters.sendMessage(Message.of(record.value()).addMetadata(
                OutgoingKafkaRecordMetadata.<String>builder().withKey(record.key()).withHeaders(headers).build()));
    }

    /** From the event on Kafka to its delivery, including retries. */
    private void recordLatency(ConsumerRecord<String, String> record, String channel) {
        Timer.builder("concierge_notification_latency_seconds")
                .description("From the event written to Kafka to its delivery, retries included")
                .tag("channel", channel).publishPercentileHistogram().register(registry)
                .record(Duration.ofMillis(Math.max(0, System.currentTimeMillis() - record.timestamp())));
    }

    private static Map<String, Boolean> recentIds() {
        return new LinkedHashMap<>(1024, 0.75f, false) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, Boolean> eldest) {
                return size() > RECENT;
            }
        };
    }
}
