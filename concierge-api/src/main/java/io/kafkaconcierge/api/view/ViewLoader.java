package io.kafkaconcierge.api.view;

import io.kafkaconcierge.contracts.CloudEvents;
import io.kafkaconcierge.contracts.ClusterInfo;
import io.kafkaconcierge.contracts.ConciergeTopics;
import io.kafkaconcierge.contracts.Json;
import io.kafkaconcierge.contracts.RequestCommand;
import io.kafkaconcierge.contracts.StatusEvent;
import io.kafkaconcierge.contracts.kafka.TopicTail;
import io.kafkaconcierge.security.KafkaSettings;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.List;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * Feeds {@link RequestView}, {@link IdempotencyStore}, {@link ClusterDirectory} and {@link RevealClaims} by reading the concierge topics from the beginning for as long as the API runs, every
 * partition and without a consumer group (each replica has the whole view), so with a {@link TopicTail} rather than
 * an {@code @Incoming} channel. Until {@link #caughtUp()} the API is not ready and refuses writes.
 */
@ApplicationScoped
public class ViewLoader {

    private final RequestView view;
    private final IdempotencyStore keys;
    private final ClusterDirectory clusters;
    private final RevealClaims reveals;
    private final MeterRegistry registry;
    private final TopicTail tail;

    public ViewLoader(
            RequestView view,
            IdempotencyStore keys,
            ClusterDirectory clusters,
            RevealClaims reveals,
            KafkaSettings kafka,
            MeterRegistry registry) {
        this.view = view;
        this.keys = keys;
        this.clusters = clusters;
        this.reveals = reveals;
        this.registry = registry;
        this.tail = new TopicTail(
                "request-view-loader",
                kafka.clientSettings(),
                List.of(
                        ConciergeTopics.REQUESTS,
                        ConciergeTopics.EVENTS,
                        ConciergeTopics.CLUSTERS,
                        ConciergeTopics.CREDENTIAL_REVEALS),
                TopicTail.StartAt.BEGINNING,
                this::apply);
    }

    void onStart(@Observes StartupEvent event) {
        tail.start();
    }

    void onStop(@Observes ShutdownEvent event) throws InterruptedException {
        tail.stop();
    }

    /** Whether the view holds at least everything that was on the topics when the API started. */
    public boolean caughtUp() {
        return tail.caughtUp();
    }

    /** Why the view is not caught up yet, for the readiness check. */
    public String problem() {
        return tail.problem();
    }

    private void apply(ConsumerRecord<String, byte[]> record) {
        try {
            switch (record.topic()) {
                case ConciergeTopics.REQUESTS -> {
                    RequestCommand command = Json.read(record.value(), RequestCommand.class);
                    view.applyCommand(command);
                    keys.applyCommand(command);
                }
                case ConciergeTopics.EVENTS -> {
                    // the topic also carries the notifier's events about subscriptions: not part of any request
                    if (CloudEvents.isRequestType(CloudEvents.typeOf(record.headers()))) {
                        view.applyEvent(Json.read(record.value(), StatusEvent.class));
                    }
                }
                case ConciergeTopics.CLUSTERS ->
                    clusters.apply(
                            record.key(), record.value() == null ? null : Json.read(record.value(), ClusterInfo.class));
                case ConciergeTopics.CREDENTIAL_REVEALS -> {
                    if (record.value() != null) {
                        reveals.apply(
                                record.key(),
                                Json.read(record.value(), RevealClaim.class).claim());
                    }
                }
                default -> {}
            }
        } catch (RuntimeException e) {
            registry.counter("concierge_view_unreadable_records_total", "topic", record.topic())
                    .increment();
            throw new IllegalArgumentException("unreadable " + record.topic() + " record: " + e.getMessage(), e);
        }
    }
}
