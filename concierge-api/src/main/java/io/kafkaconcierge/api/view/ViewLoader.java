package io.kafkaconcierge.api.view;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import io.kafkaconcierge.contracts.ClusterInfo;
import io.kafkaconcierge.contracts.ConciergeTopics;
import io.kafkaconcierge.contracts.Json;
import io.kafkaconcierge.contracts.RequestCommand;
import io.kafkaconcierge.contracts.StatusEvent;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.logging.Log;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;

/**
 * Feeds {@link RequestView} by reading the concierge topics from the beginning, on a thread of its own, for as long
 * as the API runs. It reads every partition without a consumer group (each replica has the whole view), so it uses
 * a plain consumer rather than an {@code @Incoming} channel. {@link #caughtUp()} turns true once it has read up to
 * the end offsets seen at start; until then the API is not ready and refuses writes.
 */
@ApplicationScoped
public class ViewLoader implements Runnable {

    private static final List<String> TOPICS = List.of(ConciergeTopics.REQUESTS, ConciergeTopics.EVENTS,
            ConciergeTopics.CLUSTERS);

    private final RequestView view;
    private final String bootstrapServers;
    private final MeterRegistry registry;
    private volatile boolean running = true;
    private volatile boolean caughtUp;
    private volatile String problem = "not started";
    private volatile KafkaConsumer<String, byte[]> consumer;
    private Thread thread;

    public ViewLoader(RequestView view, @ConfigProperty(name = "kafka.bootstrap.servers") String bootstrapServers,
            MeterRegistry registry) {
        this.view = view;
        this.bootstrapServers = bootstrapServers;
        this.registry = registry;
    }

    void onStart(@Observes StartupEvent event) {
        thread = new Thread(this, "request-view-loader");
        thread.setDaemon(true);
        thread.start();
    }

    void onStop(@Observes ShutdownEvent event) throws InterruptedException {
        running = false;
        KafkaConsumer<String, byte[]> c = consumer;
        if (c != null) {
            c.wakeup();
        }
        if (thread != null) {
            thread.join(5_000);
        }
    }

    /** Whether the view holds at least everything that was on the topics when the API started. */
    public boolean caughtUp() {
        return caughtUp;
    }

    /** Why the view is not caught up yet, for the readiness check. */
    public String problem() {
        return problem;
    }

    @Override
    public void run() {
        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        props.put(ConsumerConfig.CLIENT_ID_CONFIG, "concierge-api-view-" + UUID.randomUUID());
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        props.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 2000);
        props.put(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, 50);
        try (KafkaConsumer<String, byte[]> c = new KafkaConsumer<>(props, new StringDeserializer(),
                new ByteArrayDeserializer())) {
            consumer = c;
            List<TopicPartition> partitions = awaitPartitions(c);
            c.assign(partitions);
            c.seekToBeginning(partitions);
            Map<TopicPartition, Long> target = new HashMap<>(c.endOffsets(partitions));
            problem = "reading the concierge topics from the beginning";
            while (running) {
                for (ConsumerRecord<String, byte[]> record : c.poll(Duration.ofMillis(200))) {
                    apply(record);
                }
                if (!caughtUp) {
                    target.entrySet().removeIf(t -> c.position(t.getKey()) >= t.getValue());
                    if (target.isEmpty()) {
                        caughtUp = true;
                        problem = null;
                        Log.infof("request view caught up with %s", TOPICS);
                    }
                }
            }
        } catch (WakeupException e) {
            // shutting down
        } catch (RuntimeException e) {
            problem = "view loader stopped: " + e;
            caughtUp = false;
            Log.error("the request view stopped reading Kafka; the API reports not ready", e);
        }
    }

    private List<TopicPartition> awaitPartitions(KafkaConsumer<String, byte[]> c) {
        while (true) {
            List<TopicPartition> partitions = new ArrayList<>();
            List<String> missing = new ArrayList<>();
            for (String topic : TOPICS) {
                List<PartitionInfo> infos = c.partitionsFor(topic, Duration.ofSeconds(10));
                if (infos == null || infos.isEmpty()) {
                    missing.add(topic);
                } else {
                    infos.forEach(i -> partitions.add(new TopicPartition(i.topic(), i.partition())));
                }
            }
            if (missing.isEmpty()) {
                return partitions;
            }
            problem = "waiting for topics " + missing;
            Log.warnf("the concierge topics %s do not exist yet; waiting", missing);
            c.poll(Duration.ofSeconds(1)); // nothing assigned: a bounded wait that wakeup() can interrupt
        }
    }

    private void apply(ConsumerRecord<String, byte[]> record) {
        try {
            switch (record.topic()) {
                case ConciergeTopics.REQUESTS -> view.applyCommand(Json.read(record.value(), RequestCommand.class));
                case ConciergeTopics.EVENTS -> view.applyEvent(Json.read(record.value(), StatusEvent.class));
                case ConciergeTopics.CLUSTERS -> view.applyCluster(record.key(),
                        record.value() == null ? null : Json.read(record.value(), ClusterInfo.class));
                default -> {
                }
            }
        } catch (RuntimeException e) {
            registry.counter("concierge_view_unreadable_records_total", "topic", record.topic()).increment();
            Log.warnf("skipping an unreadable record %s-%d@%d: %s", record.topic(), record.partition(),
                    record.offset(), e.getMessage());
        }
    }
}
