package io.kafkaconcierge.provisioner.messaging;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndTimestamp;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import io.kafkaconcierge.contracts.CloudEvents;
import io.kafkaconcierge.contracts.ConciergeTopics;
import io.kafkaconcierge.contracts.RequestState;
import io.kafkaconcierge.provisioner.config.ProvisionerConfig;
import io.quarkus.logging.Log;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;

/**
 * Which requests already have a terminal outcome on {@code concierge.events}: read from {@code dedup-window} ago at
 * start and tailed while the provisioner runs (including outcomes written by other replicas). A command redelivered
 * after a crash or a rebalance whose outcome is already out is not applied again, so it cannot produce a second,
 * contradictory outcome.
 */
@ApplicationScoped
public class OutcomeLog implements Runnable {

    private final Map<String, Long> terminal = new ConcurrentHashMap<>();
    private final String bootstrapServers;
    private final Duration window;
    private volatile boolean running = true;
    private volatile boolean caughtUp;
    private volatile KafkaConsumer<byte[], byte[]> consumer;
    private final Object ready = new Object();
    private Thread thread;

    public OutcomeLog(@ConfigProperty(name = "kafka.bootstrap.servers") String bootstrapServers,
            ProvisionerConfig config) {
        this.bootstrapServers = bootstrapServers;
        this.window = config.dedupWindow();
    }

    void onStart(@Observes StartupEvent event) {
        thread = new Thread(this, "outcome-log");
        thread.setDaemon(true);
        thread.start();
    }

    void onStop(@Observes ShutdownEvent event) throws InterruptedException {
        running = false;
        KafkaConsumer<byte[], byte[]> c = consumer;
        if (c != null) {
            c.wakeup();
        }
        if (thread != null) {
            thread.join(5_000);
        }
    }

    public boolean isTerminal(String requestId) {
        return terminal.containsKey(requestId);
    }

    public void record(String requestId) {
        terminal.put(requestId, System.currentTimeMillis());
    }

    public boolean caughtUp() {
        return caughtUp;
    }

    /** Blocks until the outcomes of the window are read, so that no redelivered command slips through at start. */
    public void awaitCaughtUp() throws InterruptedException {
        synchronized (ready) {
            while (!caughtUp) {
                ready.wait(1_000);
            }
        }
    }

    @Override
    public void run() {
        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        props.put(ConsumerConfig.CLIENT_ID_CONFIG, "provisioner-outcome-log-" + UUID.randomUUID());
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        props.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 2000);
        try (KafkaConsumer<byte[], byte[]> c = new KafkaConsumer<>(props, new ByteArrayDeserializer(),
                new ByteArrayDeserializer())) {
            consumer = c;
            List<TopicPartition> partitions = c.partitionsFor(ConciergeTopics.EVENTS, Duration.ofSeconds(60)).stream()
                    .map(p -> new TopicPartition(p.topic(), p.partition())).toList();
            c.assign(partitions);
            long since = System.currentTimeMillis() - window.toMillis();
            Map<TopicPartition, Long> query = new HashMap<>();
            partitions.forEach(p -> query.put(p, since));
            Map<TopicPartition, OffsetAndTimestamp> start = c.offsetsForTimes(query);
            Map<TopicPartition, Long> end = new HashMap<>(c.endOffsets(partitions));
            for (TopicPartition p : partitions) {
                OffsetAndTimestamp o = start.get(p);
                c.seek(p, o == null ? end.get(p) : o.offset());
            }
            long lastEviction = System.currentTimeMillis();
            while (running) {
                for (ConsumerRecord<byte[], byte[]> r : c.poll(Duration.ofMillis(200))) {
                    read(r);
                }
                if (!caughtUp) {
                    end.entrySet().removeIf(e -> c.position(e.getKey()) >= e.getValue());
                    if (end.isEmpty()) {
                        synchronized (ready) {
                            caughtUp = true;
                            ready.notifyAll();
                        }
                        Log.infof("outcome log caught up: %d terminal request(s) in the last %s", terminal.size(),
                                window);
                    }
                }
                if (System.currentTimeMillis() - lastEviction > 60_000) {
                    long cutoff = System.currentTimeMillis() - window.toMillis();
                    terminal.values().removeIf(t -> t < cutoff);
                    lastEviction = System.currentTimeMillis();
                }
            }
        } catch (WakeupException e) {
            // shutting down
        } catch (RuntimeException e) {
            Log.error("the outcome log stopped reading concierge.events; the provisioner reports not ready", e);
            caughtUp = false;
        }
    }

    private void read(ConsumerRecord<byte[], byte[]> r) {
        String id = header(r, CloudEvents.H_ID);
        String type = header(r, CloudEvents.H_TYPE);
        if (id == null || type == null) {
            return;
        }
        for (RequestState s : RequestState.values()) {
            if (s.terminal() && type.endsWith("." + s.segment()) && id.endsWith("." + s.segment())) {
                terminal.put(id.substring(0, id.length() - s.segment().length() - 1), r.timestamp());
            }
        }
    }

    private static String header(ConsumerRecord<?, ?> r, String name) {
        Header h = r.headers().lastHeader(name);
        return h == null || h.value() == null ? null : new String(h.value(), StandardCharsets.UTF_8);
    }
}
