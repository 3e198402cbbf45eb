package io.kafkaconcierge.provisioner.messaging;

import io.kafkaconcierge.contracts.FailureReason;
import io.kafkaconcierge.contracts.RequestCommand;
import io.kafkaconcierge.contracts.RequestState;
import io.kafkaconcierge.contracts.ResourceKind;
import io.kafkaconcierge.contracts.ResourceRef;
import io.kafkaconcierge.contracts.StatusEvent;
import io.kafkaconcierge.provisioner.instance.InstanceManager;
import io.kafkaconcierge.provisioner.service.Outcome;
import io.kafkaconcierge.provisioner.service.TopicReconciler;
import io.kafkaconcierge.provisioner.service.UserReconciler;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.quarkus.logging.Log;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import io.smallrye.reactive.messaging.MutinyEmitter;
import io.smallrye.reactive.messaging.kafka.KafkaRecord;
import io.smallrye.reactive.messaging.kafka.KafkaRecordBatch;
import io.smallrye.reactive.messaging.kafka.api.IncomingKafkaRecordMetadata;
import io.smallrye.reactive.messaging.kafka.api.OutgoingKafkaRecordMetadata;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.jboss.logging.MDC;

/**
 * Takes commands from {@code concierge.requests} in batches (a poll's worth), applies them with the
 * {@link TopicReconciler}, holds each READY or DELETED back until the cluster's metadata shows it, and writes every
 * event of the batch before the batch is acknowledged: the offsets are committed only after the outcomes are on
 * Kafka, so a provisioner killed at any point loses no request.
 */
@ApplicationScoped
public class RequestConsumer {

    private static final String DESERIALIZATION_FAILURE_DATA = "deserialization-failure-data";
    private static final String DESERIALIZATION_FAILURE_REASON = "deserialization-failure-reason";

    private final TopicReconciler reconciler;
    private final UserReconciler users;
    private final InstanceManager instances;
    private final EventPublisher events;
    private final OutcomeLog outcomes;
    private final MutinyEmitter<byte[]> deadLetters;
    private final MeterRegistry registry;
    private final DistributionSummary batchSize;

    public RequestConsumer(
            TopicReconciler reconciler,
            UserReconciler users,
            InstanceManager instances,
            EventPublisher events,
            OutcomeLog outcomes,
            @Channel(Channels.REQUESTS_DLQ_OUT) MutinyEmitter<byte[]> deadLetters,
            MeterRegistry registry) {
        this.reconciler = reconciler;
        this.users = users;
        this.instances = instances;
        this.events = events;
        this.outcomes = outcomes;
        this.deadLetters = deadLetters;
        this.registry = registry;
        this.batchSize = DistributionSummary.builder("concierge_provisioner_batch_size")
                .description("Commands per batch taken from concierge.requests")
                .register(registry);
    }

    @Incoming(Channels.REQUESTS_IN)
    public Uni<Void> consume(KafkaRecordBatch<String, RequestCommand> batch) {
        return Uni.createFrom()
                .deferred(() -> handle(batch.getRecords()))
                .runSubscriptionOn(Infrastructure.getDefaultWorkerPool())
                .chain(() -> Uni.createFrom().completionStage(batch.ack()));
    }

    /**
     * Applies the batch wave after wave; a wave's outcomes wait until the cluster's metadata shows them (without
     * holding a thread), and the next wave starts after that. Completes once every event of the batch is acked.
     */
    private Uni<Void> handle(List<KafkaRecord<String, RequestCommand>> records) {
        try {
            outcomes.awaitCaughtUp();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted before the outcome log caught up", e);
        }
        // after a restart the instances found at start are clusters again before a topic or user command names one
        instances.awaitStarted();
        // added to from the worker and from the thread that ends a wait for the metadata, one wave after the other
        List<Uni<Void>> writes = Collections.synchronizedList(new ArrayList<>());
        List<RequestCommand> commands = new ArrayList<>();
        for (KafkaRecord<String, RequestCommand> r : records) {
            RequestCommand c = r.getPayload();
            if (c == null) {
                writes.add(deadLetter(r));
            } else if (outcomes.isTerminal(c.requestId())) {
                Log.infof("request %s already has its outcome; not applying it again", c.requestId());
            } else {
                commands.add(c);
            }
        }
        batchSize.record(commands.size());
        long batchStart = System.nanoTime();
        AtomicLong adminNanos = new AtomicLong();
        Instant now = Instant.now();
        commands.forEach(c -> writes.add(events.publish(StatusEvent.of(c, RequestState.ACCEPTED, now))));
        List<RequestCommand> topics = new ArrayList<>();
        for (RequestCommand c : commands) {
            // instances, and topics and users of a Strimzi instance (KafkaTopic, KafkaUser), go to the backend
            if (c.resource().kind() == ResourceKind.TOPIC
                    && c.spec() != null
                    && !c.spec().access().isEmpty()
                    && instances.managesTopicsOf(c.resource().cluster())) {
                // a KafkaUser's ACLs are its grants: giving access with a KafkaTopic is not made on Strimzi yet
                writes.add(events.publish(StatusEvent.failed(
                                c,
                                FailureReason.INVALID_SPEC,
                                "Access given with a "
                                        + "topic is not made on a Strimzi instance yet; nothing was changed. Ask for the topic "
                                        + "without access, then add the grants with PATCH /api/v1/users/"
                                        + c.resource().cluster()
                                        + "/<user>.",
                                now))
                        .invoke(() -> outcomes.record(c.requestId())));
            } else if (c.resource().kind() == ResourceKind.INSTANCE
                    || instances.managesTopicsOf(c.resource().cluster())) {
                writes.add(beginInstance(c));
            } else {
                topics.add(c);
            }
        }
        return Multi.createFrom()
                .iterable(waves(topics))
                .onItem()
                .transformToUniAndConcatenate(wave -> wave(wave, writes, adminNanos))
                .collect()
                .last()
                .chain(() -> {
                    if (writes.isEmpty()) {
                        return Uni.createFrom().voidItem();
                    }
                    // fails (and so does not ack) if Kafka cannot take the events: the batch is redelivered after
                    // restart
                    return Uni.join()
                            .all(List.copyOf(writes))
                            .andFailFast()
                            .ifNoItem()
                            .after(Duration.ofMinutes(2))
                            .fail()
                            .replaceWithVoid();
                })
                .invoke(() -> Log.debugf(
                        "batch of %d command(s) done in %d ms, %d ms of it in Admin calls",
                        commands.size(), (System.nanoTime() - batchStart) / 1_000_000, adminNanos.get() / 1_000_000));
    }

    /** One wave: its Admin calls on a worker, then the wait for the metadata, then its outcome events. */
    private Uni<Void> wave(List<RequestCommand> wave, List<Uni<Void>> writes, AtomicLong adminNanos) {
        Instant started = Instant.now();
        wave.forEach(c -> writes.add(events.publish(StatusEvent.of(c, RequestState.PROVISIONING, started))));
        return Uni.createFrom()
                .item(System::nanoTime)
                .chain(adminStart -> reconcile(wave).invoke(r -> adminNanos.addAndGet(System.nanoTime() - adminStart)))
                .chain(result -> confirm(wave, result))
                .invoke(result -> {
                    Instant finished = Instant.now();
                    result.forEach((c, o) -> {
                        if (outcomes.isTerminal(c.requestId())) {
                            // ended meanwhile (the API's deadline): the first end stays, no second outcome
                            Log.warnf(
                                    "request %s came to %s after it had ended; not reported", c.requestId(), o.state());
                            return;
                        }
                        StatusEvent event = o.state() == RequestState.FAILED
                                ? StatusEvent.failed(c, o.reason(), o.message(), finished)
                                : StatusEvent.of(c, o.state(), finished);
                        writes.add(events.publish(event).invoke(() -> outcomes.record(c.requestId())));
                        count(c, event);
                    });
                })
                .replaceWithVoid();
    }

    /**
     * An instance request goes to its backend, which records it before the step event is written; the outcome
     * follows when the backend is done, after this batch is acknowledged.
     */
    private Uni<Void> beginInstance(RequestCommand c) {
        try {
            return events.publish(instances.begin(c));
        } catch (RuntimeException e) {
            Log.error("could not begin instance request " + c.requestId(), e);
            StatusEvent failed = StatusEvent.failed(
                    c,
                    FailureReason.INTERNAL,
                    "The provisioner could not record "
                            + "the request (" + e
                            + "); nothing was done. Send it again; if it fails the same way, report "
                            + "the request id.",
                    Instant.now());
            return events.publish(failed).invoke(() -> outcomes.record(c.requestId()));
        }
    }

    /** A bug or an unforeseen error ends each command of the wave FAILED with the reason, never in silence. */
    private Uni<Map<RequestCommand, Outcome>> reconcile(List<RequestCommand> wave) {
        return Uni.createFrom()
                .deferred(() -> Uni.combine()
                        .all()
                        .unis(reconciler.reconcile(of(wave, false)), users.reconcile(of(wave, true)))
                        .with((topics, userOutcomes) -> {
                            Map<RequestCommand, Outcome> outcomes = new HashMap<>(topics);
                            outcomes.putAll(userOutcomes);
                            return outcomes;
                        }))
                .onFailure()
                .recoverWithItem(e -> {
                    Log.error("unexpected error while applying a batch; its requests end FAILED (INTERNAL)", e);
                    return internal(wave, e);
                });
    }

    /** Waits until the metadata shows each outcome; an unforeseen error there ends the wave FAILED (INTERNAL). */
    private Uni<Map<RequestCommand, Outcome>> confirm(List<RequestCommand> wave, Map<RequestCommand, Outcome> result) {
        return Uni.createFrom()
                .deferred(() -> {
                    Map<RequestCommand, Outcome> topicOutcomes = new HashMap<>();
                    Map<RequestCommand, Outcome> userOutcomes = new HashMap<>();
                    result.forEach((c, o) ->
                            (c.resource().kind() == ResourceKind.USER ? userOutcomes : topicOutcomes).put(c, o));
                    return Uni.combine()
                            .all()
                            .unis(reconciler.confirm(topicOutcomes), users.confirm(userOutcomes))
                            .with((topics, confirmed) -> {
                                Map<RequestCommand, Outcome> all = new HashMap<>(topics);
                                all.putAll(confirmed);
                                return all;
                            });
                })
                .onFailure()
                .recoverWithItem(e -> {
                    Log.error(
                            "unexpected error while checking a batch's outcomes; its requests end FAILED (INTERNAL)",
                            e);
                    return internal(wave, e);
                });
    }

    private static Map<RequestCommand, Outcome> internal(List<RequestCommand> wave, Throwable e) {
        Map<RequestCommand, Outcome> failed = new HashMap<>();
        wave.forEach(c -> failed.put(
                c,
                Outcome.failed(
                        FailureReason.INTERNAL,
                        "The provisioner hit an unexpected error (" + e + "); nothing more will be tried. "
                                + "Send the request again; if it fails the same way, report the request id.")));
        return failed;
    }

    /** The user commands of a wave, or the others (topics). */
    private static List<RequestCommand> of(List<RequestCommand> wave, boolean users) {
        return wave.stream()
                .filter(c -> (c.resource().kind() == ResourceKind.USER) == users)
                .toList();
    }

    /**
     * Splits commands into waves with at most one command per resource, keeping each resource's order. A topic
     * create that gives users access also touches those users: it never shares a wave with a command on one of
     * them, and keeps its order with them.
     */
    static List<List<RequestCommand>> waves(List<RequestCommand> commands) {
        List<List<RequestCommand>> waves = new ArrayList<>();
        Map<String, Integer> next = new HashMap<>();
        for (RequestCommand c : commands) {
            List<String> keys = new ArrayList<>();
            keys.add(c.resource().key());
            if (c.resource().kind() == ResourceKind.TOPIC && c.spec() != null) {
                c.spec()
                        .access()
                        .forEach(a -> keys.add(ResourceRef.user(c.resource().cluster(), a.user())
                                .key()));
            }
            int wave =
                    keys.stream().mapToInt(k -> next.getOrDefault(k, 0)).max().orElse(0);
            keys.forEach(k -> next.put(k, wave + 1));
            while (waves.size() <= wave) {
                waves.add(new ArrayList<>());
            }
            waves.get(wave).add(c);
        }
        return waves;
    }

    private void count(RequestCommand c, StatusEvent event) {
        String kind = c.resource().kind().segment();
        String operation = c.operation().name().toLowerCase();
        String state = event.state().segment();
        registry.counter(
                        "concierge_requests_completed_total",
                        "kind",
                        kind,
                        "operation",
                        operation,
                        "state",
                        state,
                        "reason",
                        event.reason() == null ? "none" : event.reason().name())
                .increment();
        Timer.builder("concierge_provisioning_duration_seconds")
                .description("From acceptance by the API to the outcome")
                .tags("kind", kind, "operation", operation, "state", state, "backend", "admin")
                .publishPercentileHistogram()
                .register(registry)
                .record(Duration.between(c.acceptedAt(), event.time()));
        MDC.put("requestId", c.requestId());
        if (event.state() == RequestState.FAILED) {
            Log.warnf("%s of %s failed: %s %s", c.operation(), c.resource().key(), event.reason(), event.message());
        } else {
            Log.infof("%s of %s: %s", c.operation(), c.resource().key(), event.state());
        }
        MDC.remove("requestId");
    }

    private Uni<Void> deadLetter(KafkaRecord<String, RequestCommand> r) {
        String source = r.getMetadata(IncomingKafkaRecordMetadata.class)
                .map(m -> m.getTopic() + "-" + m.getPartition() + "@" + m.getOffset())
                .orElse(r.getTopic());
        Header data = r.getHeaders().lastHeader(DESERIALIZATION_FAILURE_DATA);
        Header reason = r.getHeaders().lastHeader(DESERIALIZATION_FAILURE_REASON);
        Log.errorf(
                "unreadable command at %s sent to the dead-letter topic: %s",
                source, reason == null ? "?" : new String(reason.value(), StandardCharsets.UTF_8));
        registry.counter("concierge_dead_letters_total", "topic", r.getTopic()).increment();
        return deadLetters.sendMessage(Message.of(data == null ? new byte[0] : data.value())
                .addMetadata(OutgoingKafkaRecordMetadata.<String>builder()
                        .withKey(r.getKey())
                        .withHeaders(new RecordHeaders()
                                .add("dlq-reason", reason == null ? new byte[0] : reason.value())
                                .add("dlq-source", source.getBytes(StandardCharsets.UTF_8)))
                        .build()));
    }
}
