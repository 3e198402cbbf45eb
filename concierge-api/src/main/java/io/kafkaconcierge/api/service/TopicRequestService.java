package io.kafkaconcierge.api.service;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.MDC;

import io.kafkaconcierge.api.config.ApiConfig;
import io.kafkaconcierge.api.messaging.CommandPublisher;
import io.kafkaconcierge.api.rest.dto.Accepted;
import io.kafkaconcierge.api.rest.dto.TopicPatchRequest;
import io.kafkaconcierge.api.rest.dto.TopicRequest;
import io.kafkaconcierge.api.rest.problem.Problem.FieldError;
import io.kafkaconcierge.api.rest.problem.ProblemException;
import io.kafkaconcierge.api.view.RequestView;
import io.kafkaconcierge.api.view.RequestView.IdempotencyEntry;
import io.kafkaconcierge.api.view.TopicStatus;
import io.kafkaconcierge.api.view.ViewLoader;
import io.kafkaconcierge.contracts.ClusterInfo;
import io.kafkaconcierge.contracts.Operation;
import io.kafkaconcierge.contracts.RequestCommand;
import io.kafkaconcierge.contracts.RequestState;
import io.kafkaconcierge.contracts.TopicChange;
import io.kafkaconcierge.contracts.TopicSpec;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.logging.Log;
import io.smallrye.mutiny.Uni;

/**
 * Turns topic requests into commands: validates them against Kafka's rules and what the concierge knows, applies
 * Idempotency-Key semantics, and answers only when the command is durably on Kafka. A request that fails any check
 * writes nothing.
 */
@ApplicationScoped
public class TopicRequestService {

    private static final int MAX_IDEMPOTENCY_KEY = 255;
    /** The MDC key of the request id in every log line about one request, in all three services. */
    private static final String REQUEST_ID = "requestId";

    private final RequestView view;
    private final ViewLoader loader;
    private final CommandPublisher publisher;
    private final ApiConfig config;
    private final MeterRegistry registry;
    private final Clock clock;

    public TopicRequestService(RequestView view, ViewLoader loader, CommandPublisher publisher, ApiConfig config,
            MeterRegistry registry) {
        this.view = view;
        this.loader = loader;
        this.publisher = publisher;
        this.config = config;
        this.registry = registry;
        this.clock = Clock.systemUTC();
    }

    public Uni<Accepted> create(TopicRequest body, String idempotencyKey) {
        return Uni.createFrom().deferred(() -> {
            requireBody(body);
            String hash = RequestHasher.hash("POST", "/api/v1/topics", body);
            Optional<Accepted> replayed = replayed(idempotencyKey, hash);
            if (replayed.isPresent()) {
                return Uni.createFrom().item(replayed.get());
            }
            List<FieldError> errors = new ArrayList<>();
            TopicValidator.name(body.name(), errors);
            TopicValidator.owner(body.owner(), errors);
            TopicValidator.description(body.description(), errors);
            TopicValidator.partitions(body.partitions(), 1, config.topics().maxPartitions(), errors);
            ClusterInfo cluster = cluster(body.cluster(), errors);
            if (cluster != null) {
                TopicValidator.replicationFactor(body.replicationFactor(), cluster.brokers(), cluster.name(), errors);
            } else if (body.replicationFactor() == null) {
                errors.add(new FieldError("replicationFactor", "is required"));
            }
            TopicValidator.Configs configs = TopicValidator.configs(body.config(), false);
            errors.addAll(configs.errors());
            if (errors.isEmpty()) {
                TopicValidator.consistency(configs.values(), body.replicationFactor(), errors);
            }
            reject(errors);
            TopicSpec spec = new TopicSpec(body.cluster(), body.name(), body.partitions(),
                    body.replicationFactor().shortValue(), configs.values(), body.owner(), body.description());
            view.topic(spec.cluster(), spec.name()).filter(TopicStatus::live).ifPresent(existing -> {
                if (!sameSpec(existing.desired(), spec)) {
                    throw reject(ProblemException.conflict("topic-exists", "The topic exists",
                            "Topic '" + spec.name() + "' on cluster '" + spec.cluster() + "' is already managed with "
                                    + "another spec; change it with PATCH /api/v1/topics/" + spec.cluster() + "/"
                                    + spec.name()));
                }
            });
            return submit(Operation.CREATE, spec, null, idempotencyKey, hash);
        });
    }

    public Uni<Accepted> update(String cluster, String name, TopicPatchRequest body, String idempotencyKey) {
        return Uni.createFrom().deferred(() -> {
            requireBody(body);
            String hash = RequestHasher.hash("PATCH", "/api/v1/topics/" + cluster + "/" + name, body);
            Optional<Accepted> replayed = replayed(idempotencyKey, hash);
            if (replayed.isPresent()) {
                return Uni.createFrom().item(replayed.get());
            }
            TopicStatus topic = liveTopic(cluster, name);
            TopicSpec current = topic.desired();
            List<FieldError> errors = new ArrayList<>();
            if (body.partitions() == null && body.config() == null && body.description() == null) {
                errors.add(new FieldError("", "nothing to change: give partitions, config or description"));
            }
            if (body.partitions() != null && body.partitions() < current.partitions()) {
                errors.add(new FieldError("partitions", "partitions can only grow: the topic has "
                        + current.partitions() + ", asked " + body.partitions()));
            } else if (body.partitions() != null) {
                TopicValidator.partitions(body.partitions(), current.partitions(), config.topics().maxPartitions(),
                        errors);
            }
            TopicValidator.description(body.description(), errors);
            TopicValidator.Configs configs = TopicValidator.configs(body.config(), true);
            errors.addAll(configs.errors());
            TopicChange change = new TopicChange(body.partitions(), body.config() == null ? null : configs.values(),
                    body.description());
            TopicSpec target = current.apply(change);
            if (errors.isEmpty()) {
                TopicValidator.consistency(target.config(), target.replicationFactor(), errors);
            }
            reject(errors);
            return submit(Operation.UPDATE, target, change, idempotencyKey, hash);
        });
    }

    public Uni<Accepted> delete(String cluster, String name, String idempotencyKey) {
        return Uni.createFrom().deferred(() -> {
            String hash = RequestHasher.hash("DELETE", "/api/v1/topics/" + cluster + "/" + name, Map.of());
            Optional<Accepted> replayed = replayed(idempotencyKey, hash);
            if (replayed.isPresent()) {
                return Uni.createFrom().item(replayed.get());
            }
            TopicStatus topic = liveTopic(cluster, name);
            return submit(Operation.DELETE, topic.desired(), null, idempotencyKey, hash);
        });
    }

    private Uni<Accepted> submit(Operation operation, TopicSpec spec, TopicChange change, String idempotencyKey,
            String hash) {
        String requestId = UUID.randomUUID().toString();
        Instant now = clock.instant();
        if (idempotencyKey != null) {
            Optional<IdempotencyEntry> first = view.reserve(idempotencyKey, hash, requestId, now,
                    config.idempotencyRetention());
            if (first.isPresent()) {
                return Uni.createFrom().item(replay(first.get(), hash));
            }
        }
        RequestCommand command = new RequestCommand(requestId, operation, spec.ref(), spec, change, idempotencyKey,
                hash, now);
        return publisher.publish(command)
                .onItem().transform(ignored -> {
                    view.applyCommand(command);
                    MDC.put(REQUEST_ID, requestId);
                    Log.infof("accepted %s of %s %s", operation, spec.ref().kind().segment(), spec.ref().key());
                    MDC.remove(REQUEST_ID);
                    registry.counter("concierge_requests_accepted_total", "kind", "topic", "operation",
                            operation.name().toLowerCase()).increment();
                    return new Accepted(requestId, RequestState.ACCEPTED, location(requestId), false);
                })
                .onFailure().transform(failure -> {
                    if (idempotencyKey != null) {
                        view.release(idempotencyKey, requestId);
                    }
                    Log.warnf("could not write %s of %s to Kafka: %s", operation, spec.ref().key(), failure);
                    return reject(ProblemException.unavailable(
                            "Kafka did not take the request (" + failure.getMessage() + "); nothing was accepted",
                            config.retryAfterSeconds()));
                });
    }

    /** The first request of an Idempotency-Key seen before, if any; checked before anything that depends on state. */
    private Optional<Accepted> replayed(String idempotencyKey, String hash) {
        requireCaughtUp();
        if (idempotencyKey == null) {
            return Optional.empty();
        }
        if (idempotencyKey.isBlank() || idempotencyKey.length() > MAX_IDEMPOTENCY_KEY) {
            throw reject(ProblemException.validation(List.of(new FieldError("Idempotency-Key",
                    "must be 1 to " + MAX_IDEMPOTENCY_KEY + " characters"))));
        }
        return view.idempotencyEntry(idempotencyKey, clock.instant(), config.idempotencyRetention())
                .map(first -> replay(first, hash));
    }

    private Accepted replay(IdempotencyEntry first, String hash) {
        if (!first.requestHash().equals(hash)) {
            throw reject(new ProblemException(422, "idempotency-key-reused",
                    "Idempotency-Key used for another request",
                    "This Idempotency-Key was first used for request " + first.requestId() + " with another body "
                            + "or target; use a new key for a new request", null, null));
        }
        RequestState state = view.request(first.requestId()).map(r -> r.state()).orElse(RequestState.ACCEPTED);
        return new Accepted(first.requestId(), state, location(first.requestId()), true);
    }

    private ClusterInfo cluster(String name, List<FieldError> errors) {
        if (name == null || name.isBlank()) {
            errors.add(new FieldError("cluster", "is required"));
            return null;
        }
        Optional<ClusterInfo> cluster = view.cluster(name);
        if (cluster.isEmpty()) {
            errors.add(new FieldError("cluster", "unknown cluster '" + name + "'; registered clusters: "
                    + view.clusterNames()));
            return null;
        }
        if (cluster.get().brokers() == 0) {
            throw reject(ProblemException.unavailable("Cluster '" + name + "' has not been reached yet ("
                    + cluster.get().message() + "); its replication factor cannot be checked",
                    config.retryAfterSeconds()));
        }
        return cluster.get();
    }

    private TopicStatus liveTopic(String cluster, String name) {
        return view.topic(cluster, name).filter(TopicStatus::live).orElseThrow(() -> reject(
                ProblemException.notFound("The concierge manages no topic '" + name + "' on cluster '" + cluster
                        + "'")));
    }

    private void requireCaughtUp() {
        if (!loader.caughtUp()) {
            throw reject(ProblemException.unavailable(
                    "The API is still reading its state from Kafka (" + loader.problem() + ")",
                    config.retryAfterSeconds()));
        }
    }

    private void requireBody(Object body) {
        if (body == null) {
            throw reject(new ProblemException(400, "malformed-body", "The body cannot be read",
                    "A JSON body is required", null, null));
        }
    }

    private void reject(List<FieldError> errors) {
        if (!errors.isEmpty()) {
            throw reject(ProblemException.validation(errors));
        }
    }

    private ProblemException reject(ProblemException problem) {
        registry.counter("concierge_requests_rejected_total", "kind", "topic", "status",
                String.valueOf(problem.status())).increment();
        return problem;
    }

    private static boolean sameSpec(TopicSpec a, TopicSpec b) {
        return a != null && a.partitions() == b.partitions() && a.replicationFactor() == b.replicationFactor()
                && Objects.equals(new HashMap<>(a.config()), new HashMap<>(b.config()));
    }

    private static String location(String requestId) {
        return "/api/v1/requests/" + requestId;
    }
}
