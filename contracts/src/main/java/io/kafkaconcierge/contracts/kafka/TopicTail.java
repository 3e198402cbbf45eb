package io.kafkaconcierge.contracts.kafka;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.function.Consumer;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * Reads every partition of some topics, without a consumer group, on a thread of its own, for as long as it runs:
 * for state that each instance of a service keeps whole (a view, a log of outcomes). It starts where
 * {@link StartAt} says, and {@link #caughtUp()} turns true once it has read up to the end offsets seen at start.
 */
public final class TopicTail implements Runnable {

    /** Where to start reading each partition. */
    @FunctionalInterface
    public interface StartAt {
        void seek(KafkaConsumer<String, byte[]> consumer, List<TopicPartition> partitions);

        StartAt BEGINNING = (c, partitions) -> c.seekToBeginning(partitions);

        /** From records newer than {@code window} ago; where there are none, from the end. */
        static StartAt since(Duration window) {
            return (c, partitions) -> {
                long since = System.currentTimeMillis() - window.toMillis();
                Map<TopicPartition, Long> query = new HashMap<>();
                partitions.forEach(p -> query.put(p, since));
                var found = c.offsetsForTimes(query);
                Map<TopicPartition, Long> end = c.endOffsets(partitions);
                partitions.forEach(p -> c.seek(p, found.get(p) == null ? end.get(p) : found.get(p).offset()));
            };
        }
    }

    private final String name;
    private final Map<String, Object> clientSettings;
    private final List<String> topics;
    private final StartAt startAt;
    private final Consumer<ConsumerRecord<String, byte[]>> onRecord;
    private final Object lock = new Object();
    private volatile boolean running = true;
    private volatile boolean caughtUp;
    private volatile String problem = "not started";
    private volatile KafkaConsumer<String, byte[]> consumer;
    private Thread thread;

    /**
     * @param clientSettings the service's Kafka client settings ({@link ClientSettings}: bootstrap servers and
     *                       security); the consumer's own settings are added here
     */
    public TopicTail(String name, Map<String, Object> clientSettings, List<String> topics, StartAt startAt,
            Consumer<ConsumerRecord<String, byte[]>> onRecord) {
        this.name = name;
        this.clientSettings = Map.copyOf(clientSettings);
        this.topics = List.copyOf(topics);
        this.startAt = startAt;
        this.onRecord = onRecord;
    }

    public void start() {
        thread = new Thread(this, name);
        thread.setDaemon(true);
        thread.start();
    }

    public void stop() throws InterruptedException {
        running = false;
        synchronized (lock) {
            lock.notifyAll();
        }
        KafkaConsumer<String, byte[]> c = consumer;
        if (c != null) {
            c.wakeup();
        }
        if (thread != null) {
            thread.join(5_000);
        }
    }

    /** Whether its thread runs (false once stopped, or if it died on an error, which {@link #problem()} names). */
    public boolean alive() {
        return thread != null && thread.isAlive();
    }

    /** Whether it has read at least everything that was on the topics when it started. */
    public boolean caughtUp() {
        return caughtUp;
    }

    /** Why it has not caught up (yet), for a readiness check; null once caught up. */
    public String problem() {
        return problem;
    }

    /** Blocks until {@link #caughtUp()}. */
    public void awaitCaughtUp() throws InterruptedException {
        synchronized (lock) {
            while (!caughtUp) {
                lock.wait(1_000);
            }
        }
    }

    @Override
    public void run() {
        Properties props = new Properties();
        props.putAll(clientSettings);
        props.put(ConsumerConfig.CLIENT_ID_CONFIG, name + "-" + UUID.randomUUID());
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        props.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 2000);
        props.put(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, 50);
        try (KafkaConsumer<String, byte[]> c = new KafkaConsumer<>(props, new StringDeserializer(),
                new ByteArrayDeserializer())) {
            consumer = c;
            List<TopicPartition> partitions = awaitPartitions(c);
            c.assign(partitions);
            startAt.seek(c, partitions);
            Map<TopicPartition, Long> target = new HashMap<>(c.endOffsets(partitions));
            problem = "reading " + topics;
            while (running) {
                for (ConsumerRecord<String, byte[]> r : c.poll(Duration.ofMillis(200))) {
                    onRecord.accept(r);
                }
                if (!caughtUp) {
                    target.entrySet().removeIf(t -> c.position(t.getKey()) >= t.getValue());
                    if (target.isEmpty()) {
                        synchronized (lock) {
                            caughtUp = true;
                            problem = null;
                            lock.notifyAll();
                        }
                    }
                }
            }
        } catch (WakeupException e) {
            // stopping
        } catch (RuntimeException e) {
            caughtUp = false;
            problem = name + " stopped reading " + topics + ": " + e;
            throw e;
        }
    }

    private List<TopicPartition> awaitPartitions(KafkaConsumer<String, byte[]> c) {
        while (true) {
            List<TopicPartition> partitions = new ArrayList<>();
            List<String> missing = new ArrayList<>();
            problem = "reading " + topics;
            for (String topic : topics) {
                List<PartitionInfo> infos;
                try {
                    infos = c.partitionsFor(topic, Duration.ofSeconds(5));
                } catch (TimeoutException e) {
                    // Kafka not reachable (yet): a service may start before its Kafka; keep trying, not-ready
                    problem = "cannot reach Kafka at " + ClientSettings.bootstrapServers(clientSettings) + " to read "
                            + topics + ": "
                            + e.getMessage();
                    missing.add(topic);
                    continue;
                }
                if (infos == null || infos.isEmpty()) {
                    missing.add(topic);
                } else {
                    infos.forEach(i -> partitions.add(new TopicPartition(i.topic(), i.partition())));
                }
            }
            if (missing.isEmpty()) {
                return partitions;
            }
            if (!problem.startsWith("cannot reach")) {
                problem = "waiting for topics " + missing;
            }
            // nothing is assigned yet (poll would refuse): a bounded wait that stop() cuts short
            synchronized (lock) {
                if (!running) {
                    throw new WakeupException();
                }
                try {
                    lock.wait(1_000);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new WakeupException();
                }
            }
        }
    }
}
