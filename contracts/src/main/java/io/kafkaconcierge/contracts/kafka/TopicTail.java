package io.kafkaconcierge.contracts.kafka;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
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
 * A reader that fails (its consumer throws) starts again after a pause with a new consumer, from the record after the
 * last one it handed on, so nothing is skipped or read twice; a record whose handler throws is counted and passed.
 * Every started reader is in {@link #started()}, for the services' liveness checks.
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
                partitions.forEach(p -> c.seek(
                        p, found.get(p) == null ? end.get(p) : found.get(p).offset()));
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
     * Counted per reader name in this process, not per instance: a reader started again under the same name (a new
     * application in the same JVM, as tests do) goes on counting, and a meter bound to any instance of that name
     * shows the same count.
     */
    private final AtomicLong restarts;

    private final AtomicLong failedRecords;
    /** Where to go on in each partition after a restart: the offset after the last record handed on. */
    private final Map<TopicPartition, Long> next = new HashMap<>();

    private static final List<TopicTail> STARTED = new CopyOnWriteArrayList<>();
    private static final List<Consumer<TopicTail>> LISTENERS = new CopyOnWriteArrayList<>();
    private static final long RESTART_PAUSE_MS = 1_000;
    private static final Map<String, AtomicLong> RESTARTS_BY_NAME = new java.util.concurrent.ConcurrentHashMap<>();
    private static final Map<String, AtomicLong> FAILED_BY_NAME = new java.util.concurrent.ConcurrentHashMap<>();

    /**
     * @param clientSettings the service's Kafka client settings ({@link ClientSettings}: bootstrap servers and
     *                       security); the consumer's own settings are added here
     */
    public TopicTail(
            String name,
            Map<String, Object> clientSettings,
            List<String> topics,
            StartAt startAt,
            Consumer<ConsumerRecord<String, byte[]>> onRecord) {
        this.name = name;
        this.restarts = restartsOf(name);
        this.failedRecords = failedRecordsOf(name);
        this.clientSettings = Map.copyOf(clientSettings);
        this.topics = List.copyOf(topics);
        this.startAt = startAt;
        this.onRecord = onRecord;
    }

    public void start() {
        thread = new Thread(this, name);
        thread.setDaemon(true);
        thread.start();
        STARTED.add(this);
        LISTENERS.forEach(l -> l.accept(this));
    }

    /** Calls {@code listener} with every reader started so far and every one started from now on (for metrics). */
    public static void whenStarted(Consumer<TopicTail> listener) {
        LISTENERS.add(listener);
        STARTED.forEach(listener);
    }

    /** Stops calling a listener of {@link #whenStarted}. */
    public static void forget(Consumer<TopicTail> listener) {
        LISTENERS.remove(listener);
    }

    /** The readers started in this JVM and not stopped. */
    public static List<TopicTail> started() {
        return List.copyOf(STARTED);
    }

    public String name() {
        return name;
    }

    /**
     * The counters of the readers of this name in this process, for meters: a meter holds what it reads weakly, and
     * a meter registered once (Micrometer's global registry outlives an application restarted in the same JVM) would
     * otherwise read a reader that is long gone.
     */
    public static AtomicLong failedRecordsOf(String name) {
        return FAILED_BY_NAME.computeIfAbsent(name, n -> new AtomicLong());
    }

    /** See {@link #failedRecordsOf}. */
    public static AtomicLong restartsOf(String name) {
        return RESTARTS_BY_NAME.computeIfAbsent(name, n -> new AtomicLong());
    }

    /** How often its consumer failed and was replaced (by any reader of this name in this process). */
    public long restarts() {
        return restarts.get();
    }

    /** How many records its handler threw on and passed (by any reader of this name in this process). */
    public long failedRecords() {
        return failedRecords.get();
    }

    public void stop() throws InterruptedException {
        running = false;
        STARTED.remove(this);
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
        while (running) {
            try {
                read();
            } catch (WakeupException e) {
                return; // stopping
            } catch (RuntimeException e) {
                if (!running) {
                    return;
                }
                Thread.interrupted(); // an interrupt the consumer failed on is handled here: only stop() ends
                restarts.incrementAndGet();
                problem = name + " failed reading " + topics + " and starts again: " + e;
                System.getLogger(TopicTail.class.getName()).log(System.Logger.Level.WARNING, problem);
                synchronized (lock) {
                    try {
                        lock.wait(RESTART_PAUSE_MS);
                    } catch (InterruptedException ie) {
                        Thread.currentThread().interrupt();
                        return;
                    }
                }
            }
        }
    }

    private void read() {
        Properties props = new Properties();
        props.putAll(clientSettings);
        props.put(ConsumerConfig.CLIENT_ID_CONFIG, name + "-" + UUID.randomUUID());
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        props.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 2000);
        props.put(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, 50);
        try (KafkaConsumer<String, byte[]> c =
                new KafkaConsumer<>(props, new StringDeserializer(), new ByteArrayDeserializer())) {
            consumer = c;
            List<TopicPartition> partitions = awaitPartitions(c);
            c.assign(partitions);
            startAt.seek(c, partitions);
            synchronized (next) {
                // after a restart: on from the last record handed on (partitions new since then: as at start)
                next.forEach((p, offset) -> {
                    if (partitions.contains(p)) {
                        c.seek(p, offset);
                    }
                });
            }
            Map<TopicPartition, Long> target = caughtUp ? new HashMap<>() : new HashMap<>(c.endOffsets(partitions));
            problem = caughtUp ? null : "reading " + topics;
            while (running) {
                for (ConsumerRecord<String, byte[]> r : c.poll(Duration.ofMillis(200))) {
                    try {
                        onRecord.accept(r);
                    } catch (RuntimeException e) {
                        failedRecords.incrementAndGet();
                        System.getLogger(TopicTail.class.getName())
                                .log(
                                        System.Logger.Level.WARNING,
                                        name + " passed a record it could not handle at " + r.topic() + "-"
                                                + r.partition() + "@" + r.offset() + ": " + e);
                    }
                    synchronized (next) {
                        next.put(new TopicPartition(r.topic(), r.partition()), r.offset() + 1);
                    }
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
        } finally {
            consumer = null;
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
