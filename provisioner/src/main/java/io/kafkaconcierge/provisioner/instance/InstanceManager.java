package io.kafkaconcierge.provisioner.instance;

import io.kafkaconcierge.contracts.InstanceStatus;
import io.kafkaconcierge.contracts.Operation;
import io.kafkaconcierge.contracts.RequestCommand;
import io.kafkaconcierge.contracts.RequestState;
import io.kafkaconcierge.contracts.ResourceKind;
import io.kafkaconcierge.contracts.StatusEvent;
import io.kafkaconcierge.provisioner.cluster.ClusterPublisher;
import io.kafkaconcierge.provisioner.cluster.ClusterRegistry;
import io.kafkaconcierge.provisioner.config.ProvisionerConfig;
import io.kafkaconcierge.provisioner.messaging.EventPublisher;
import io.kafkaconcierge.provisioner.messaging.OutcomeLog;
import io.kafkaconcierge.provisioner.service.Outcome;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.quarkus.logging.Log;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Any;
import jakarta.enterprise.inject.Instance;
import jakarta.enterprise.inject.literal.NamedLiteral;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.jboss.logging.MDC;

/**
 * Instance requests: hands each to the configured backend, writes the step event (PROVISIONING, UPDATING,
 * DELETING) before the command is acknowledged, and the outcome when the backend is done. A READY instance joins
 * the cluster registry (published on {@code concierge.clusters} before its READY event, so a topic request can
 * follow at once); a deleted one leaves it.
 */
@ApplicationScoped
public class InstanceManager implements InstanceBackend.Listener {

    private static final Duration WRITE_TIMEOUT = Duration.ofMinutes(2);

    private final InstanceBackend backend;
    private final EventPublisher events;
    private final OutcomeLog outcomes;
    private final ClusterRegistry clusters;
    private final ClusterPublisher clusterPublisher;
    private final MeterRegistry registry;
    /** Health changes are numbered by time, so that a later one always has a higher number, across restarts. */
    private final AtomicLong sequence = new AtomicLong();

    private final CountDownLatch started = new CountDownLatch(1);

    public InstanceManager(
            ProvisionerConfig config,
            @Any Instance<InstanceBackend> backends,
            EventPublisher events,
            OutcomeLog outcomes,
            ClusterRegistry clusters,
            ClusterPublisher clusterPublisher,
            MeterRegistry registry) {
        String wanted = config.instances().backend();
        Instance<InstanceBackend> chosen = backends.select(NamedLiteral.of(wanted));
        if (!chosen.isResolvable()) {
            throw new IllegalStateException(
                    "concierge.provisioner.instances.backend=" + wanted + " is not a backend; use local or strimzi");
        }
        this.backend = chosen.get();
        this.events = events;
        this.outcomes = outcomes;
        this.clusters = clusters;
        this.clusterPublisher = clusterPublisher;
        this.registry = registry;
    }

    /**
     * Starts the backend on Quarkus's worker pool, so that the application starts without waiting for the outcomes to
     * be caught up; {@link #begin} waits for it.
     */
    void onStart(@Observes StartupEvent event) {
        Infrastructure.getDefaultWorkerPool().execute(() -> {
            try {
                // a request resumed at start must know whether its outcome is already out
                outcomes.awaitCaughtUp();
                backend.start(this);
                Log.infof("instances: the %s backend", backend.name());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (RuntimeException e) {
                Log.error("instances: the " + backend.name() + " backend did not start", e);
            } finally {
                started.countDown();
            }
        });
    }

    void onStop(@Observes ShutdownEvent event) {
        backend.stop();
    }

    public String backendName() {
        return backend.name();
    }

    /**
     * Waits until the backend has started: it has then registered the instances it found, so that topic and user
     * requests for them are not refused as for an unknown cluster. Throws if it takes longer than the write timeout.
     */
    public void awaitStarted() {
        try {
            if (!started.await(WRITE_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
                throw new IllegalStateException("the " + backend.name() + " backend has not started yet");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for the backend to start", e);
        }
    }

    /** The event to write before the command is acknowledged: the backend has recorded the request by then. */
    public StatusEvent begin(RequestCommand command) {
        awaitStarted();
        InstanceStatus status = backend.begin(command);
        if (command.resource().kind() != ResourceKind.INSTANCE) {
            return StatusEvent.of(command, RequestState.PROVISIONING, Instant.now());
        }
        return StatusEvent.of(command, step(command), Instant.now()).withStatus(status);
    }

    /** Whether topic and user requests for {@code cluster} go to the backend (a Strimzi instance's KafkaTopics and KafkaUsers). */
    public boolean managesTopicsOf(String cluster) {
        return started.getCount() == 0 && backend.managesTopicsOf(cluster);
    }

    @Override
    public boolean finishedBefore(String requestId) {
        return outcomes.isTerminal(requestId);
    }

    @Override
    public void finished(RequestCommand command, Outcome outcome, InstanceStatus status) {
        String name = command.resource().name();
        MDC.put("requestId", command.requestId());
        try {
            boolean instance = command.resource().kind() == ResourceKind.INSTANCE;
            if (instance && outcome.state() == RequestState.READY) {
                join(name, status);
            } else if (instance
                    && (outcome.state() == RequestState.DELETED
                            || (outcome.state() == RequestState.FAILED && command.operation() == Operation.CREATE))) {
                leave(name);
            }
            if (outcomes.isTerminal(command.requestId())) {
                // the request already ended (the API's deadline failed it): its end stays the first one
                Log.warnf(
                        "%s of instance %s came to %s after the request had ended; not reported",
                        command.operation(), name, outcome.state());
                return;
            }
            Instant now = Instant.now();
            StatusEvent event = (outcome.state() == RequestState.FAILED
                            ? StatusEvent.failed(command, outcome.reason(), outcome.message(), now)
                            : StatusEvent.of(command, outcome.state(), now))
                    .withStatus(status);
            events.publish(event).await().atMost(WRITE_TIMEOUT);
            outcomes.record(command.requestId());
            count(command, event);
        } finally {
            MDC.remove("requestId");
        }
    }

    @Override
    public void adopted(RequestCommand command, InstanceStatus status) {
        if (status.readyBrokers() > 0) {
            join(command.resource().name(), status);
        }
    }

    @Override
    public void progress(RequestCommand command, InstanceStatus status) {
        RequestState step = step(command);
        events.publish(StatusEvent.of(command, step, Instant.now())
                        .withStatus(status)
                        .asHealthChange(nextSequence()))
                .await()
                .atMost(WRITE_TIMEOUT);
        Log.infof(
                "%s of instance %s, still %s: %s",
                command.operation(),
                command.resource().name(),
                step,
                status.conditions().isEmpty() ? "" : status.conditions().get(0).message());
    }

    @Override
    public void health(RequestCommand command, RequestState state, InstanceStatus status) {
        StatusEvent event =
                StatusEvent.of(command, state, Instant.now()).withStatus(status).asHealthChange(nextSequence());
        events.publish(event).await().atMost(WRITE_TIMEOUT);
        registry.counter("concierge_instance_health_changes_total", "backend", backend.name(), "state", state.segment())
                .increment();
        Log.infof(
                "instance %s is %s: %s",
                command.resource().name(),
                state,
                status.conditions().isEmpty() ? "" : status.conditions().get(0).message());
    }

    /** The step an instance request is at while its backend works on it. */
    private static RequestState step(RequestCommand command) {
        return switch (command.operation()) {
            case CREATE -> RequestState.PROVISIONING;
            case UPDATE -> RequestState.UPDATING;
            case DELETE -> RequestState.DELETING;
        };
    }

    /** Numbers of events after a request's step, by time so that a later one is higher, across restarts too. */
    private long nextSequence() {
        return sequence.updateAndGet(last -> Math.max(last + 1, System.currentTimeMillis()));
    }

    private void join(String name, InstanceStatus status) {
        if (status.bootstrapServers() != null) {
            clusters.register(name, status.bootstrapServers(), backend.clientSettings(name));
            try {
                clusterPublisher.publishNow(name);
            } catch (RuntimeException e) {
                // the periodic check publishes it later; the outcome must not wait for it
                Log.warnf("could not publish the facts of new cluster %s yet: %s", name, e.toString());
            }
        }
    }

    private void leave(String name) {
        if (clusters.unregister(name)) {
            clusterPublisher.publishRemoved(name);
        }
    }

    private void count(RequestCommand c, StatusEvent event) {
        String operation = c.operation().name().toLowerCase();
        String state = event.state().segment();
        String kind = c.resource().kind().segment();
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
                .tags("kind", kind, "operation", operation, "state", state, "backend", backend.name())
                .publishPercentileHistogram()
                .register(registry)
                .record(Duration.between(c.acceptedAt(), event.time()));
        if (event.state() == RequestState.FAILED) {
            Log.warnf(
                    "%s of %s %s failed: %s %s",
                    c.operation(), kind, c.resource().key(), event.reason(), event.message());
        } else {
            Log.infof("%s of %s %s: %s", c.operation(), kind, c.resource().key(), event.state());
        }
    }
}
