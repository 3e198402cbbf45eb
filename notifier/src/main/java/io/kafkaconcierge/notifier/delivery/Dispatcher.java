package io.kafkaconcierge.notifier.delivery;

import io.kafkaconcierge.contracts.ConciergeTopics;
import io.kafkaconcierge.notifier.subscription.Subscription;
import io.quarkus.logging.Log;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Collection;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.CooperativeStickyAssignor;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.consumer.OffsetAndTimestamp;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.InterruptException;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * Delivers the events of one subscription, in order per partition (so per resource), on a thread and a Kafka
 * consumer of its own: a slow or dead endpoint holds up only its own subscription. The consumer group is the
 * subscription's, so its progress is Kafka's committed offsets: a restarted notifier resumes each subscription
 * where it was, and replicas share each subscription's partitions. While it waits between attempts it keeps
 * polling with its partitions paused, so the group does not take them away however long the schedule is.
 */
final class Dispatcher implements Runnable {

    private final Subscription subscription;
    private final Map<String, Object> kafka;
    private final EventDelivery delivery;
    /**
     * How often a dispatcher commits what it delivered (and when it stops, or gives a partition away): one commit per
     * poll was a broker write for every few events. A notifier killed outright delivers up to this much again, with
     * the same webhook-id (at least once, as before).
     */
    static final long COMMIT_EVERY_MS = 1_000;

    private final Deque<ConsumerRecord<String, String>> buffer = new ArrayDeque<>();
    private final Map<TopicPartition, Long> processed = new HashMap<>();
    /** Read by other threads ({@link #owns}): which partitions this dispatcher delivers now. */
    private final Set<TopicPartition> assigned = java.util.concurrent.ConcurrentHashMap.newKeySet();

    private volatile boolean running = true;
    private volatile long lag;
    private volatile KafkaConsumer<String, String> consumer;
    private boolean waiting;
    private long lastCommit = System.currentTimeMillis();
    private Thread thread;

    private final int number;

    Dispatcher(Subscription subscription, int number, Map<String, Object> kafka, EventDelivery delivery) {
        this.subscription = subscription;
        this.number = number;
        this.kafka = kafka;
        this.delivery = delivery;
    }

    void start() {
        thread = new Thread(this, "dispatch-" + subscription.id() + "-" + number);
        thread.setDaemon(true);
        thread.start();
    }

    /** Events on its partitions it has not delivered yet, as of its last poll. */
    long lag() {
        return alive() ? lag : 0;
    }

    /** Whether it delivers the subscription's events of this partition of {@code concierge.events} now. */
    boolean owns(int partition) {
        return alive()
                && assigned.contains(new TopicPartition(io.kafkaconcierge.contracts.ConciergeTopics.EVENTS, partition));
    }

    boolean alive() {
        return thread != null && thread.isAlive();
    }

    /**
     * Stops delivering: at once when polling or waiting between attempts, else after the attempt under way (at most
     * one attempt timeout). An event in the middle of its attempts is left uncommitted and done again later. Not by
     * interrupting the thread: that would also cut short the writes a stopping delivery still makes.
     */
    void stop() {
        running = false;
        KafkaConsumer<String, String> c = consumer;
        if (c != null) {
            c.wakeup();
        }
    }

    void join(Duration timeout) throws InterruptedException {
        if (thread != null) {
            thread.join(timeout.toMillis());
        }
    }

    /** The group of the configured webhook is the one the notifier always used, so its progress carries over. */
    static String groupOf(Subscription s) {
        return switch (s.id()) {
            case io.kafkaconcierge.notifier.subscription.SubscriptionStore.DEFAULT_WEBHOOK -> "concierge-notifier";
            case io.kafkaconcierge.notifier.subscription.SubscriptionStore.DEFAULT_EMAIL -> "concierge-notifier-email";
            default -> s.consumerGroup();
        };
    }

    @Override
    public void run() {
        Properties props = new Properties();
        props.putAll(kafka);
        props.put(ConsumerConfig.GROUP_ID_CONFIG, groupOf(subscription));
        props.put(ConsumerConfig.CLIENT_ID_CONFIG, "notifier-" + subscription.id() + "-" + number);
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        // a configured subscription starts at the oldest retained event; a made one at its creation (see assigned)
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, subscription.configured() ? "earliest" : "latest");
        props.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 200);
        // under load, fewer and fuller fetches (every subscription fetches every event); at most 10 ms added
        props.put(ConsumerConfig.FETCH_MIN_BYTES_CONFIG, 16_384);
        props.put(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, 10);
        props.put(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG, 10_000);
        props.put(ConsumerConfig.HEARTBEAT_INTERVAL_MS_CONFIG, 3_000);
        props.put(ConsumerConfig.MAX_POLL_INTERVAL_MS_CONFIG, 300_000);
        props.put(ConsumerConfig.PARTITION_ASSIGNMENT_STRATEGY_CONFIG, CooperativeStickyAssignor.class.getName());
        try (KafkaConsumer<String, String> c =
                new KafkaConsumer<>(props, new StringDeserializer(), new StringDeserializer())) {
            consumer = c;
            c.subscribe(List.of(ConciergeTopics.EVENTS), new Rebalance());
            loop(c);
        } catch (WakeupException | InterruptException e) {
            // stopping
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            Log.errorf(e, "the dispatcher of subscription %s stopped; it is started again", subscription.id());
        }
    }

    private void loop(KafkaConsumer<String, String> c) throws InterruptedException {
        try {
            while (running) {
                if (buffer.isEmpty()) {
                    c.poll(Duration.ofMillis(500)).forEach(buffer::addLast);
                    measureLag(c);
                }
                while (running && !buffer.isEmpty()) {
                    ConsumerRecord<String, String> r = buffer.peekFirst();
                    TopicPartition tp = new TopicPartition(r.topic(), r.partition());
                    if (!assigned.contains(tp)) {
                        buffer.pollFirst();
                        continue;
                    }
                    EventDelivery.Outcome outcome =
                            delivery.deliver(subscription.id(), r, "event", wait -> await(c, tp, wait));
                    if (outcome == EventDelivery.Outcome.STOP) {
                        running = false;
                        break;
                    }
                    buffer.pollFirst();
                    processed.put(tp, r.offset() + 1);
                    commitDue(c);
                }
                commitDue(c);
            }
        } finally {
            try {
                commit(c, true);
            } catch (RuntimeException e) {
                Log.debugf("final commit of %s: %s", subscription.id(), e.toString());
            }
        }
    }

    private void measureLag(KafkaConsumer<String, String> c) {
        long total = buffer.size();
        for (TopicPartition tp : assigned) {
            total += c.currentLag(tp).orElse(0);
        }
        lag = total;
    }

    /** Waits with every partition paused, polling so that the group keeps them; false if the event's went away. */
    private boolean await(KafkaConsumer<String, String> c, TopicPartition current, Duration wait)
            throws InterruptedException {
        long deadline = System.nanoTime() + wait.toNanos();
        c.pause(c.assignment());
        waiting = true;
        try {
            while (running && assigned.contains(current)) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return true;
                }
                c.poll(Duration.ofNanos(Math.min(left, Duration.ofSeconds(1).toNanos())))
                        .forEach(buffer::addLast);
                measureLag(c);
                // what was delivered before this event is done: committed while this one waits for its next attempt
                commitDue(c);
                if (Thread.interrupted()) {
                    throw new InterruptedException("stopping");
                }
            }
            return false;
        } finally {
            waiting = false;
            c.resume(c.paused());
        }
    }

    private void commitDue(KafkaConsumer<String, String> c) {
        if (System.currentTimeMillis() - lastCommit >= COMMIT_EVERY_MS) {
            commit(c, false);
        }
    }

    private void commit(KafkaConsumer<String, String> c, boolean sync) {
        if (processed.isEmpty()) {
            return;
        }
        Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
        processed.forEach((tp, offset) -> offsets.put(tp, new OffsetAndMetadata(offset)));
        processed.clear();
        lastCommit = System.currentTimeMillis();
        if (sync) {
            c.commitSync(offsets, Duration.ofSeconds(5));
        } else {
            c.commitAsync(offsets, (o, e) -> {
                if (e != null) {
                    Log.debugf("commit of %s failed (the next one covers it): %s", subscription.id(), e.toString());
                }
            });
        }
    }

    private final class Rebalance implements ConsumerRebalanceListener {

        @Override
        public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
            Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
            for (TopicPartition tp : partitions) {
                Long offset = processed.remove(tp);
                if (offset != null) {
                    offsets.put(tp, new OffsetAndMetadata(offset));
                }
            }
            if (!offsets.isEmpty()) {
                try {
                    consumer.commitSync(offsets, Duration.ofSeconds(5));
                } catch (RuntimeException e) {
                    Log.warnf(
                            "could not commit %s of %s before a rebalance: %s",
                            offsets.keySet(), subscription.id(), e.toString());
                }
            }
            forget(partitions);
        }

        @Override
        public void onPartitionsLost(Collection<TopicPartition> partitions) {
            partitions.forEach(processed::remove);
            forget(partitions);
        }

        @Override
        public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
            assigned.addAll(partitions);
            if (waiting) {
                consumer.pause(partitions);
            }
            if (subscription.configured() || partitions.isEmpty()) {
                return;
            }
            // a partition the subscription has no progress on yet starts at the subscription's creation
            Map<TopicPartition, OffsetAndMetadata> committed = consumer.committed(new HashSet<>(partitions));
            Map<TopicPartition, Long> query = new HashMap<>();
            for (TopicPartition tp : partitions) {
                if (committed.get(tp) == null) {
                    query.put(tp, subscription.createdAt().toEpochMilli());
                }
            }
            if (query.isEmpty()) {
                return;
            }
            // the ends first: a record written between the two calls is after the creation, so it is wanted (asked
            // the other way round, it would be in neither answer and skipped)
            Map<TopicPartition, Long> ends = consumer.endOffsets(query.keySet());
            Map<TopicPartition, OffsetAndTimestamp> found = consumer.offsetsForTimes(query);
            query.keySet()
                    .forEach(tp -> consumer.seek(
                            tp,
                            found.get(tp) == null ? ends.get(tp) : found.get(tp).offset()));
            Log.debugf(
                    "subscription %s starts %s at its creation %s",
                    subscription.id(), query.keySet(), subscription.createdAt());
        }

        private void forget(Collection<TopicPartition> partitions) {
            assigned.removeAll(partitions);
            buffer.removeIf(r -> partitions.contains(new TopicPartition(r.topic(), r.partition())));
        }
    }
}
