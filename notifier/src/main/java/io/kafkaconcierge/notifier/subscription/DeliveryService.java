package io.kafkaconcierge.notifier.subscription;

import io.kafkaconcierge.contracts.ConciergeTopics;
import io.kafkaconcierge.contracts.kafka.ClientSettings;
import io.kafkaconcierge.notifier.config.NotifierConfig;
import io.kafkaconcierge.notifier.delivery.DeliveryAttempt;
import io.kafkaconcierge.notifier.delivery.DeliveryLog;
import io.kafkaconcierge.notifier.delivery.Dispatchers;
import io.kafkaconcierge.notifier.delivery.EventDelivery;
import io.kafkaconcierge.problem.Problem.FieldError;
import io.kafkaconcierge.problem.ProblemException;
import io.kafkaconcierge.security.KafkaSettings;
import io.quarkus.logging.Log;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;

/** What clients ask of deliveries: the attempts so far, a redelivery, a test. */
@ApplicationScoped
public class DeliveryService {

    private final SubscriptionService subscriptions;
    private final DeliveryLog log;
    private final EventDelivery delivery;
    private final Map<String, Object> kafka;
    private final Dispatchers dispatchers;
    private final Duration resumeAfter;
    /** Redeliveries this replica runs now (subscription/delivery id): a waiting one is not taken up twice. */
    private final Set<String> underWay = ConcurrentHashMap.newKeySet();

    public DeliveryService(
            SubscriptionService subscriptions,
            DeliveryLog log,
            EventDelivery delivery,
            KafkaSettings kafka,
            Dispatchers dispatchers,
            NotifierConfig config) {
        this.dispatchers = dispatchers;
        this.resumeAfter = config.redelivery().resumeAfter();
        this.subscriptions = subscriptions;
        this.log = log;
        this.delivery = delivery;
        this.kafka = kafka.clientSettings();
    }

    public List<DeliveryAttempt> latest(String subscriptionId, int limit) {
        subscriptions.get(subscriptionId);
        if (limit < 1 || limit > 1000) {
            throw ProblemException.validation(List.of(new FieldError("limit", "must be between 1 and 1000")));
        }
        return log.latest(subscriptionId, limit);
    }

    /**
     * Reads the event back from {@code concierge.events} and delivers it again, off the request thread; the retries
     * of its schedule are timers, not sleeping threads. Each attempt is on {@code concierge.notifier.deliveries}, so
     * a redelivery left waiting by a replica that stopped is taken up again ({@link #resumeWaitingRedeliveries}).
     */
    public Map<String, String> redeliver(String subscriptionId, String deliveryId) {
        Subscription s = subscriptions.get(subscriptionId);
        DeliveryAttempt last = log.find(subscriptionId, deliveryId)
                .orElseThrow(() -> ProblemException.notFound(
                        "no delivery " + deliveryId + " among the latest of subscription " + subscriptionId));
        if (last.partition() < 0) {
            throw ProblemException.conflict(
                    "not-an-event",
                    "Not an event",
                    "delivery " + deliveryId + " was a test; send another with POST .../test");
        }
        ConsumerRecord<String, String> record = read(last.partition(), last.offset())
                .orElseThrow(() -> ProblemException.conflict(
                        "event-expired",
                        "Event no longer kept",
                        "event " + deliveryId + " is no longer on " + ConciergeTopics.EVENTS + " (retention)"));
        underWay.add(key(s.id(), deliveryId));
        attemptLater(s.id(), deliveryId, record, 1, Duration.ZERO);
        return Map.of("subscriptionId", subscriptionId, "deliveryId", deliveryId, "status", "redelivering");
    }

    /**
     * Takes up the redeliveries whose next attempt is overdue by more than {@code resume-after}: the replica that
     * scheduled it stopped (a running one makes its attempt on time). Of those, this replica takes the ones whose
     * event is on a partition it delivers for that subscription now, so that one replica does, whichever ones run;
     * it goes on from the recorded attempt, with the same schedule, once the delivery log has been read up to where
     * it was at start.
     */
    @Scheduled(
            every = "${notifier.redelivery.check-every:5s}",
            delayed = "${notifier.redelivery.check-every:5s}",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void resumeWaitingRedeliveries() {
        if (!log.caughtUp()) {
            return;
        }
        Instant overdue = Instant.now().minus(resumeAfter);
        for (DeliveryAttempt waiting : log.waitingRedeliveries()) {
            String key = key(waiting.subscriptionId(), waiting.deliveryId());
            if (waiting.nextRetryAt() == null
                    || waiting.nextRetryAt().isAfter(overdue)
                    || underWay.contains(key)
                    || !dispatchers.owns(waiting.subscriptionId(), waiting.partition())
                    || !underWay.add(key)) {
                continue;
            }
            Log.infof(
                    "resuming redelivery %s to %s after attempt %d (its next attempt was due at %s)",
                    waiting.deliveryId(), waiting.subscriptionId(), waiting.attempt(), waiting.nextRetryAt());
            Uni.createFrom()
                    .item(() -> read(waiting.partition(), waiting.offset()))
                    .runSubscriptionOn(Infrastructure.getDefaultWorkerPool())
                    .subscribe()
                    .with(
                            record -> {
                                boolean stillWaiting = log.find(waiting.subscriptionId(), waiting.deliveryId())
                                        .map(waiting::equals)
                                        .orElse(false);
                                if (record.isEmpty() || !stillWaiting) {
                                    // gone from the topic (retention), or another replica went on with it meanwhile
                                    underWay.remove(key);
                                    return;
                                }
                                attemptLater(
                                        waiting.subscriptionId(),
                                        waiting.deliveryId(),
                                        record.get(),
                                        waiting.attempt() + 1,
                                        Duration.ZERO);
                            },
                            failure -> {
                                underWay.remove(key);
                                Log.warnf(
                                        "could not resume redelivery %s to %s: %s",
                                        waiting.deliveryId(), waiting.subscriptionId(), failure.toString());
                            });
        }
    }

    private static String key(String subscriptionId, String deliveryId) {
        return subscriptionId + "/" + deliveryId;
    }

    /**
     * Runs attempt {@code attempt} of a redelivery after {@code wait} on a worker of the managed pool, without
     * holding a thread in between: where the schedule asks for another attempt, that one is scheduled in turn. A
     * dead endpoint's redeliveries hold up no other, however many there are.
     */
    private void attemptLater(
            String subscriptionId,
            String deliveryId,
            ConsumerRecord<String, String> record,
            int attempt,
            Duration wait) {
        Duration delay = wait.compareTo(Duration.ofMillis(1)) < 0 ? Duration.ofMillis(1) : wait; // Mutiny wants > 0
        String key = key(subscriptionId, deliveryId);
        Uni.createFrom()
                .voidItem()
                .onItem()
                .delayIt()
                .by(delay)
                .emitOn(Infrastructure.getDefaultWorkerPool())
                .subscribe()
                .with(
                        ignored -> {
                            Duration[] next = new Duration[1];
                            try {
                                delivery.deliver(
                                        subscriptionId,
                                        record,
                                        DeliveryLog.REDELIVER,
                                        w -> {
                                            next[0] = w; // not waited for here: scheduled below
                                            return false;
                                        },
                                        attempt);
                            } catch (InterruptedException e) {
                                underWay.remove(key);
                                Thread.currentThread().interrupt();
                                return;
                            } catch (RuntimeException e) {
                                underWay.remove(key);
                                Log.errorf(e, "redelivery of %s to %s failed", deliveryId, subscriptionId);
                                return;
                            }
                            if (next[0] != null) {
                                attemptLater(subscriptionId, deliveryId, record, attempt + 1, next[0]);
                            } else {
                                underWay.remove(key);
                            }
                        },
                        failure -> {
                            underWay.remove(key);
                            Log.errorf(failure, "redelivery of %s to %s failed", deliveryId, subscriptionId);
                        });
    }

    public DeliveryAttempt test(String subscriptionId) {
        Subscription s = subscriptions.get(subscriptionId);
        try {
            return delivery.ping(s);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw ProblemException.unavailable("interrupted", 1);
        }
    }

    private java.util.Optional<ConsumerRecord<String, String>> read(int partition, long offset) {
        try (KafkaConsumer<String, String> c = new KafkaConsumer<>(
                ClientSettings.with(
                        kafka,
                        Map.of(
                                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG,
                                false,
                                ConsumerConfig.MAX_POLL_RECORDS_CONFIG,
                                1)),
                new StringDeserializer(),
                new StringDeserializer())) {
            TopicPartition tp = new TopicPartition(ConciergeTopics.EVENTS, partition);
            c.assign(List.of(tp));
            c.seek(tp, offset);
            long deadline = System.currentTimeMillis() + 10_000;
            while (System.currentTimeMillis() < deadline) {
                for (ConsumerRecord<String, String> r : c.poll(Duration.ofMillis(500))) {
                    return r.offset() == offset ? java.util.Optional.of(r) : java.util.Optional.empty();
                }
            }
            return java.util.Optional.empty();
        }
    }
}
