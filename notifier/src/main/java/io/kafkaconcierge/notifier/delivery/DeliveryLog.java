package io.kafkaconcierge.notifier.delivery;

import io.kafkaconcierge.contracts.ConciergeTopics;
import io.kafkaconcierge.contracts.Json;
import io.kafkaconcierge.contracts.kafka.ClientSettings;
import io.kafkaconcierge.contracts.kafka.TopicTail;
import io.kafkaconcierge.notifier.config.NotifierConfig;
import io.kafkaconcierge.notifier.messaging.NotifierProducer;
import io.kafkaconcierge.security.KafkaSettings;
import io.quarkus.logging.Log;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeaders;

/**
 * Every delivery attempt of every replica: written to {@code concierge.notifier.deliveries} and read back by every
 * replica, which keeps the latest {@code deliveries-kept} per subscription, so any replica answers
 * {@code GET .../deliveries} alike.
 */
@ApplicationScoped
public class DeliveryLog {

    private static final String REPLICA = "notifier-replica";
    /** The trigger of a redelivery's attempts. */
    public static final String REDELIVER = "redeliver";

    private final NotifierProducer producer;
    private final byte[] replica = UUID.randomUUID().toString().getBytes(StandardCharsets.UTF_8);
    private final int kept;
    private final TopicTail tail;
    private final Map<String, Deque<DeliveryAttempt>> bySubscription = new ConcurrentHashMap<>();

    public DeliveryLog(KafkaSettings kafka, NotifierConfig config, NotifierProducer producer) {
        this.producer = producer;
        this.kept = config.subscriptions().deliveriesKept();
        this.tail = new TopicTail(
                "notifier-deliveries",
                // every attempt of every replica comes back here: fuller fetches (the tail waits at most 50 ms)
                ClientSettings.with(kafka.clientSettings(), Map.of(ConsumerConfig.FETCH_MIN_BYTES_CONFIG, 65_536)),
                List.of(ConciergeTopics.DELIVERIES),
                TopicTail.StartAt.BEGINNING,
                this::apply);
    }

    void onStart(@Observes StartupEvent event) {
        tail.start();
    }

    void onStop(@Observes ShutdownEvent event) throws InterruptedException {
        tail.stop();
    }

    /** Writes an attempt; a failure to write is logged, never in the way of a delivery. */
    public void record(DeliveryAttempt attempt) {
        // kept at once here; the tail skips this replica's own records instead of parsing them again
        keep(attempt);
        RecordHeaders headers = new RecordHeaders();
        headers.add(REPLICA, replica);
        producer.sendBatched(
                        ConciergeTopics.DELIVERIES,
                        attempt.subscriptionId(),
                        new String(Json.write(attempt), StandardCharsets.UTF_8),
                        headers)
                .whenComplete((m, e) -> {
                    if (e != null) {
                        Log.warnf(
                                "could not record attempt %d of %s for %s: %s",
                                attempt.attempt(), attempt.deliveryId(), attempt.subscriptionId(), e.toString());
                    }
                });
    }

    /** Whether it holds every attempt that was on the topic when the notifier started. */
    public boolean caughtUp() {
        return tail.caughtUp();
    }

    /**
     * Redeliveries whose latest attempt asked for another one ({@code redeliver}, {@code retrying}): what a replica
     * that stopped left waiting, among the attempts kept per subscription.
     */
    public List<DeliveryAttempt> waitingRedeliveries() {
        List<DeliveryAttempt> waiting = new ArrayList<>();
        for (Deque<DeliveryAttempt> attempts : bySubscription.values()) {
            Map<String, DeliveryAttempt> latest = new java.util.LinkedHashMap<>();
            synchronized (attempts) {
                attempts.forEach(a -> latest.put(a.deliveryId(), a));
            }
            latest.values().stream()
                    .filter(a -> REDELIVER.equals(a.trigger())
                            && DeliveryAttempt.RETRYING.equals(a.outcome())
                            && a.partition() >= 0)
                    .forEach(waiting::add);
        }
        return waiting;
    }

    /** The latest attempts of a subscription, newest first. */
    public List<DeliveryAttempt> latest(String subscriptionId, int limit) {
        Deque<DeliveryAttempt> attempts = bySubscription.get(subscriptionId);
        if (attempts == null) {
            return List.of();
        }
        List<DeliveryAttempt> out = new ArrayList<>();
        synchronized (attempts) {
            var it = attempts.descendingIterator();
            while (it.hasNext() && out.size() < limit) {
                out.add(it.next());
            }
        }
        return out;
    }

    /** The latest attempt of one delivery of a subscription. */
    public Optional<DeliveryAttempt> find(String subscriptionId, String deliveryId) {
        return latest(subscriptionId, kept).stream()
                .filter(a -> a.deliveryId().equals(deliveryId))
                .findFirst();
    }

    private void keep(DeliveryAttempt a) {
        Deque<DeliveryAttempt> attempts = bySubscription.computeIfAbsent(a.subscriptionId(), id -> new ArrayDeque<>());
        synchronized (attempts) {
            attempts.addLast(a);
            while (attempts.size() > kept) {
                attempts.removeFirst();
            }
        }
    }

    private void apply(ConsumerRecord<String, byte[]> record) {
        if (record.value() == null) {
            return;
        }
        Header from = record.headers().lastHeader(REPLICA);
        if (from != null && Arrays.equals(from.value(), replica)) {
            return;
        }
        try {
            keep(Json.read(record.value(), DeliveryAttempt.class));
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("unreadable delivery record: " + e.getMessage(), e);
        }
    }
}
