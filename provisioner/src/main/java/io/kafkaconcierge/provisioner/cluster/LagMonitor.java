package io.kafkaconcierge.provisioner.cluster;

import io.kafkaconcierge.contracts.ConciergeTopics;
import io.kafkaconcierge.contracts.kafka.ClientSettings;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.logging.Log;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.common.annotation.Identifier;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ListOffsetsResult.ListOffsetsResultInfo;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;

/**
 * The consumer lag of the concierge's own consumer groups on its own Kafka, as a gauge per group and topic
 * ({@code concierge_consumer_lag}): records written and not yet processed. Read with the Admin API every 15 s, so
 * it is there whichever replica Prometheus scrapes, and also while a group has no member at all.
 */
@ApplicationScoped
public class LagMonitor {

    /** The groups and the topic each consumes. */
    static final Map<String, String> GROUPS =
            Map.of("concierge-provisioner", ConciergeTopics.REQUESTS, "concierge-notifier", ConciergeTopics.EVENTS);

    private final Map<String, Object> kafka;
    private final MeterRegistry registry;
    private final Map<String, Long> lag = new ConcurrentHashMap<>();
    private volatile Admin admin;

    public LagMonitor(@Identifier("default-kafka-broker") Map<String, Object> kafka, MeterRegistry registry) {
        this.kafka = ClientSettings.of(kafka);
        this.registry = registry;
    }

    void onStart(@Observes StartupEvent event) {
        admin = Admin.create(
                ClientSettings.with(kafka, Map.of(AdminClientConfig.CLIENT_ID_CONFIG, "kafka-concierge-lag-monitor")));
        GROUPS.forEach((group, topic) -> Gauge.builder("concierge_consumer_lag", () -> lag.getOrDefault(group, 0L))
                .description("Records on the topic that the consumer group has not processed yet")
                .tags("group", group, "topic", topic)
                .register(registry));
    }

    void onStop(@Observes ShutdownEvent event) {
        if (admin != null) {
            admin.close(Duration.ofSeconds(2));
        }
    }

    @Scheduled(every = "15s", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void measure() {
        if (admin == null) {
            return; // not started yet
        }
        GROUPS.forEach((group, topic) -> {
            try {
                Map<TopicPartition, OffsetAndMetadata> committed = admin.listConsumerGroupOffsets(group)
                        .partitionsToOffsetAndMetadata()
                        .get(10, TimeUnit.SECONDS);
                Map<TopicPartition, OffsetSpec> partitions = admin
                        .describeTopics(java.util.List.of(topic))
                        .allTopicNames()
                        .get(10, TimeUnit.SECONDS)
                        .get(topic)
                        .partitions()
                        .stream()
                        .collect(Collectors.toMap(
                                p -> new TopicPartition(topic, p.partition()), p -> OffsetSpec.latest()));
                Map<TopicPartition, ListOffsetsResultInfo> ends =
                        admin.listOffsets(partitions).all().get(10, TimeUnit.SECONDS);
                long total = 0;
                for (Map.Entry<TopicPartition, ListOffsetsResultInfo> e : ends.entrySet()) {
                    OffsetAndMetadata c = committed.get(e.getKey());
                    total += Math.max(0, e.getValue().offset() - (c == null ? 0 : c.offset()));
                }
                lag.put(group, total);
            } catch (Exception e) {
                Log.debugf("could not measure the lag of %s: %s", group, e.toString());
            }
        });
    }
}
