package io.kafkaconcierge.api.stream;

import com.fasterxml.jackson.databind.JsonNode;
import io.kafkaconcierge.api.config.ApiConfig;
import io.kafkaconcierge.contracts.CloudEvents;
import io.kafkaconcierge.contracts.ConciergeTopics;
import io.kafkaconcierge.contracts.EventFilter;
import io.kafkaconcierge.contracts.Json;
import io.kafkaconcierge.problem.ProblemException;
import io.kafkaconcierge.security.KafkaSettings;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.logging.Log;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.subscription.BackPressureStrategy;
import io.smallrye.mutiny.subscription.MultiEmitter;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * Streams {@code concierge.events} to a client as they are written. Each stream reads every partition with a plain
 * consumer of its own (no consumer group) on a thread of its own, from where the client's {@link EventCursor} says,
 * or from now; the number of streams at once is capped. See the API's DESIGN.md.
 */
@ApplicationScoped
public class EventStreamService {

    private final Map<String, Object> kafka;
    private final ApiConfig config;
    private final AtomicInteger open = new AtomicInteger();
    private final MeterRegistry registry;
    private final Gauge gauge;

    public EventStreamService(KafkaSettings kafka, ApiConfig config, MeterRegistry registry) {
        this.kafka = kafka.clientSettings();
        this.config = config;
        this.registry = registry;
        this.gauge = Gauge.builder("concierge_event_streams_open", open, AtomicInteger::get)
                .register(registry);
    }

    /**
     * A registry can outlive this bean (the global one does, across restarts of the application in one JVM, as in
     * tests): a gauge left behind would keep reporting this bean's count instead of its successor's.
     */
    @PreDestroy
    void removeGauge() {
        registry.remove(gauge);
    }

    /** {@code from}: resume after this position; empty: from now, or from the beginning if {@code replay}. */
    public Multi<StreamedEvent> stream(
            EventFilter filter, Predicate<String> ownerVisible, Optional<EventCursor> from, boolean replay) {
        if (open.incrementAndGet() > config.stream().maxStreams()) {
            open.decrementAndGet();
            throw ProblemException.unavailable(
                    "Too many event streams are open (" + config.stream().maxStreams() + "); try again later",
                    config.retryAfterSeconds());
        }
        return Multi.createFrom()
                .<StreamedEvent>emitter(
                        emitter -> {
                            AtomicBoolean running = new AtomicBoolean(true);
                            Thread thread = new Thread(
                                    () -> read(filter, ownerVisible, from, replay, emitter, running),
                                    "event-stream-"
                                            + UUID.randomUUID().toString().substring(0, 8));
                            thread.setDaemon(true);
                            emitter.onTermination(() -> {
                                running.set(false);
                                open.decrementAndGet();
                            });
                            thread.start();
                        },
                        BackPressureStrategy.BUFFER);
    }

    private void read(
            EventFilter filter,
            Predicate<String> ownerVisible,
            Optional<EventCursor> from,
            boolean replay,
            MultiEmitter<? super StreamedEvent> emitter,
            AtomicBoolean running) {
        Properties props = new Properties();
        props.putAll(kafka);
        props.put(ConsumerConfig.CLIENT_ID_CONFIG, "concierge-api-stream");
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        props.put(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, 100);
        try (KafkaConsumer<String, String> consumer =
                new KafkaConsumer<>(props, new StringDeserializer(), new StringDeserializer())) {
            List<TopicPartition> partitions =
                    consumer.partitionsFor(ConciergeTopics.EVENTS, Duration.ofSeconds(10)).stream()
                            .map(p -> new TopicPartition(p.topic(), p.partition()))
                            .sorted((a, b) -> Integer.compare(a.partition(), b.partition()))
                            .toList();
            consumer.assign(partitions);
            if (from.isPresent()) {
                partitions.forEach(p -> consumer.seek(p, from.get().nextOf(p.partition())));
            } else if (replay) {
                consumer.seekToBeginning(partitions);
            } else {
                consumer.seekToEnd(partitions);
            }
            long[] next = new long[partitions.size()];
            for (TopicPartition p : partitions) {
                next[p.partition()] = consumer.position(p);
            }
            emitter.emit(StreamedEvent.CONNECTED);
            while (running.get() && !emitter.isCancelled()) {
                for (ConsumerRecord<String, String> r : consumer.poll(Duration.ofMillis(250))) {
                    next[r.partition()] = r.offset() + 1;
                    Map<String, String> ce = CloudEvents.attributes(r.headers());
                    String type = ce.get("type");
                    JsonNode data = type == null ? null : Json.MAPPER.readTree(r.value());
                    if (type != null && filter.matches(type, data) && ownerVisible.test(EventFilter.owner(data))) {
                        emitter.emit(new StreamedEvent(
                                new EventCursor(next.clone()).format(), type, CloudEvents.structured(ce, r.value())));
                    }
                }
            }
        } catch (WakeupException e) {
            // closing
        } catch (Exception e) {
            Log.warnf("an event stream stopped: %s", e.toString());
            emitter.fail(e);
        }
    }
}
