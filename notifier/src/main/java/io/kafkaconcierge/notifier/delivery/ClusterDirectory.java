package io.kafkaconcierge.notifier.delivery;

import io.kafkaconcierge.contracts.ClusterInfo;
import io.kafkaconcierge.contracts.ConciergeTopics;
import io.kafkaconcierge.contracts.Json;
import io.kafkaconcierge.contracts.kafka.TopicTail;
import io.kafkaconcierge.security.KafkaSettings;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/** What the provisioner publishes of each cluster (compacted {@code concierge.clusters}), to tell people where to connect. */
@ApplicationScoped
public class ClusterDirectory {

    private final Map<String, ClusterInfo> clusters = new ConcurrentHashMap<>();
    private final TopicTail tail;

    public ClusterDirectory(KafkaSettings kafka) {
        this.tail = new TopicTail(
                "notifier-cluster-directory",
                kafka.clientSettings(),
                List.of(ConciergeTopics.CLUSTERS),
                TopicTail.StartAt.BEGINNING,
                this::apply);
    }

    void onStart(@Observes StartupEvent event) {
        tail.start();
    }

    void onStop(@Observes ShutdownEvent event) throws InterruptedException {
        tail.stop();
    }

    public Optional<ClusterInfo> cluster(String name) {
        return Optional.ofNullable(clusters.get(name));
    }

    private void apply(ConsumerRecord<String, byte[]> record) {
        try {
            if (record.value() == null) {
                clusters.remove(record.key());
            } else {
                clusters.put(record.key(), Json.read(record.value(), ClusterInfo.class));
            }
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("unreadable cluster record " + record.key() + ": " + e.getMessage(), e);
        }
    }
}
