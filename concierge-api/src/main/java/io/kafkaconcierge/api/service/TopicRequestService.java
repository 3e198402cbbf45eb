package io.kafkaconcierge.api.service;

import io.kafkaconcierge.api.config.ApiConfig;
import io.kafkaconcierge.api.guard.ClusterOpinion;
import io.kafkaconcierge.api.guard.GuardRails;
import io.kafkaconcierge.api.guard.Plan;
import io.kafkaconcierge.api.rest.dto.Accepted;
import io.kafkaconcierge.api.rest.dto.TopicPatchRequest;
import io.kafkaconcierge.api.rest.dto.TopicRequest;
import io.kafkaconcierge.api.view.ClusterDirectory;
import io.kafkaconcierge.api.view.InstanceView;
import io.kafkaconcierge.api.view.RequestView;
import io.kafkaconcierge.api.view.TopicStatus;
import io.kafkaconcierge.api.view.UserStatus;
import io.kafkaconcierge.contracts.ClusterInfo;
import io.kafkaconcierge.contracts.Operation;
import io.kafkaconcierge.contracts.RequestCommand;
import io.kafkaconcierge.contracts.ResourceKind;
import io.kafkaconcierge.contracts.TopicChange;
import io.kafkaconcierge.contracts.TopicSpec;
import io.kafkaconcierge.problem.Problem.FieldError;
import io.kafkaconcierge.problem.ProblemException;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * Turns topic requests into commands: validates them against Kafka's rules and what the concierge knows, applies
 * Idempotency-Key semantics, and answers only when the command is durably on Kafka. A request that fails any check
 * writes nothing.
 */
@ApplicationScoped
public class TopicRequestService {

    private final RequestView view;
    private final ClusterDirectory directory;
    private final RequestIntake intake;
    private final ApiConfig config;
    private final GuardRails guard;
    private final ClusterOpinion opinion;

    public TopicRequestService(
            RequestView view,
            RequestIntake intake,
            ApiConfig config,
            GuardRails guard,
            ClusterOpinion opinion,
            ClusterDirectory directory) {
        this.directory = directory;
        this.guard = guard;
        this.opinion = opinion;
        this.view = view;
        this.intake = intake;
        this.config = config;
    }

    public Uni<Accepted> create(TopicRequest body, String idempotencyKey) {
        return create(body, idempotencyKey, false);
    }

    public Uni<Accepted> create(TopicRequest body, String idempotencyKey, boolean dryRun) {
        return Uni.createFrom().deferred(() -> {
            requireBody(body);
            intake.auditing(ResourceKind.TOPIC, "create", body.cluster() + "/" + body.name());
            String hash = RequestHasher.hash("POST", "/api/v1/topics", body);
            Optional<Accepted> replayed = replayed(idempotencyKey, hash);
            if (replayed.isPresent()) {
                return Uni.createFrom().item(replayed.get());
            }
            List<FieldError> errors = new ArrayList<>();
            TopicValidator.name(body.name(), errors);
            TopicValidator.owner(body.owner(), errors);
            if (errors.stream().noneMatch(e -> e.field().equals("owner"))) {
                intake.authorize(ResourceKind.TOPIC, "create", body.owner(), body.cluster() + "/" + body.name());
            }
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
            UserValidator.access(body.access(), body.name(), errors);
            if (cluster != null) {
                accessUsers(body, errors);
            }
            reject(errors);
            TopicSpec spec = new TopicSpec(
                    body.cluster(),
                    body.name(),
                    body.partitions(),
                    body.replicationFactor().shortValue(),
                    configs.values(),
                    body.owner(),
                    body.description(),
                    body.access());
            view.topic(spec.cluster(), spec.name()).filter(TopicStatus::live).ifPresent(existing -> {
                if (!intake.visible(existing.owner())) {
                    // the name is taken on the cluster; which team took it is not this caller's business
                    throw reject(ProblemException.conflict(
                            "topic-exists",
                            "The topic exists",
                            "Topic '"
                                    + spec.name() + "' on cluster '" + spec.cluster()
                                    + "' is already managed by another "
                                    + "team; choose another name"));
                }
                if (!sameSpec(existing.desired(), spec)) {
                    throw reject(ProblemException.conflict(
                            "topic-exists",
                            "The topic exists",
                            "Topic '" + spec.name() + "' on cluster '" + spec.cluster() + "' is already managed with "
                                    + "another spec; change it with PATCH /api/v1/topics/" + spec.cluster() + "/"
                                    + spec.name()));
                }
            });
            Plan plan = guard.planTopic(Operation.CREATE, spec, null, null);
            return submit(Operation.CREATE, spec, null, idempotencyKey, hash, plan, dryRun);
        });
    }

    public Uni<Accepted> update(String cluster, String name, TopicPatchRequest body, String idempotencyKey) {
        return update(cluster, name, body, idempotencyKey, false);
    }

    public Uni<Accepted> update(
            String cluster, String name, TopicPatchRequest body, String idempotencyKey, boolean dryRun) {
        return Uni.createFrom().deferred(() -> {
            requireBody(body);
            intake.auditing(ResourceKind.TOPIC, "update", cluster + "/" + name);
            String hash = RequestHasher.hash("PATCH", "/api/v1/topics/" + cluster + "/" + name, body);
            Optional<Accepted> replayed = replayed(idempotencyKey, hash);
            if (replayed.isPresent()) {
                return Uni.createFrom().item(replayed.get());
            }
            TopicStatus topic = liveTopic(cluster, name);
            intake.authorize(ResourceKind.TOPIC, "update", topic.owner(), cluster + "/" + name);
            TopicSpec current = topic.desired();
            List<FieldError> errors = new ArrayList<>();
            if (body.partitions() == null && body.config() == null && body.description() == null) {
                errors.add(new FieldError("", "nothing to change: give partitions, config or description"));
            }
            if (body.partitions() != null && body.partitions() < current.partitions()) {
                errors.add(new FieldError(
                        "partitions",
                        "partitions can only grow: the topic has " + current.partitions() + ", asked "
                                + body.partitions()));
            } else if (body.partitions() != null) {
                TopicValidator.partitions(
                        body.partitions(), current.partitions(), config.topics().maxPartitions(), errors);
            }
            TopicValidator.description(body.description(), errors);
            TopicValidator.Configs configs = TopicValidator.configs(body.config(), true);
            errors.addAll(configs.errors());
            TopicChange change = new TopicChange(
                    body.partitions(), body.config() == null ? null : configs.values(), body.description());
            TopicSpec target = current.apply(change);
            if (errors.isEmpty()) {
                TopicValidator.consistency(target.config(), target.replicationFactor(), errors);
            }
            reject(errors);
            Set<String> changed = new HashSet<>();
            if (body.partitions() != null) {
                changed.add("partitions");
            }
            if (body.config() != null) {
                body.config().keySet().forEach(k -> changed.add("config." + k));
            }
            Plan plan = guard.planTopic(Operation.UPDATE, target, current, changed);
            return submit(Operation.UPDATE, target, change, idempotencyKey, hash, plan, dryRun);
        });
    }

    public Uni<Accepted> delete(String cluster, String name, String idempotencyKey) {
        return delete(cluster, name, idempotencyKey, false);
    }

    public Uni<Accepted> delete(String cluster, String name, String idempotencyKey, boolean dryRun) {
        return Uni.createFrom().deferred(() -> {
            intake.auditing(ResourceKind.TOPIC, "delete", cluster + "/" + name);
            String hash = RequestHasher.hash("DELETE", "/api/v1/topics/" + cluster + "/" + name, Map.of());
            Optional<Accepted> replayed = replayed(idempotencyKey, hash);
            if (replayed.isPresent()) {
                return Uni.createFrom().item(replayed.get());
            }
            TopicStatus topic = liveTopic(cluster, name);
            intake.authorize(ResourceKind.TOPIC, "delete", topic.owner(), cluster + "/" + name);
            TopicSpec current = topic.desired().withoutAccess();
            Plan plan = guard.planTopic(Operation.DELETE, current, current, Set.of());
            return submit(Operation.DELETE, current, null, idempotencyKey, hash, plan, dryRun);
        });
    }

    private Uni<Accepted> submit(
            Operation operation,
            TopicSpec spec,
            TopicChange change,
            String idempotencyKey,
            String hash,
            Plan plan,
            boolean dryRun) {
        if (dryRun
                && operation != Operation.DELETE
                && plan.violations().isEmpty()
                && plan.quota().exceeded().isEmpty()) {
            // the cluster's own opinion, for a dry run only: a blocking Admin call, off the event loop
            TopicSpec current = operation == Operation.UPDATE
                    ? view.topic(spec.cluster(), spec.name())
                            .map(TopicStatus::desired)
                            .orElse(null)
                    : null;
            return Uni.createFrom()
                    .item(() -> opinion.topic(operation, spec, current))
                    .runSubscriptionOn(Infrastructure.getDefaultWorkerPool())
                    .chain(said -> intake.submit(
                            ResourceKind.TOPIC,
                            idempotencyKey,
                            hash,
                            plan.withCluster(said),
                            true,
                            (requestId, now) -> null));
        }
        return intake.submit(
                ResourceKind.TOPIC,
                idempotencyKey,
                hash,
                plan,
                dryRun,
                (requestId, now) ->
                        new RequestCommand(requestId, operation, spec.ref(), spec, change, idempotencyKey, hash, now));
    }

    /**
     * Each user given access must be a live concierge user of the topic's owner team on the topic's cluster. A user
     * of another team reads as unknown: which team has it is not this caller's business.
     */
    private void accessUsers(TopicRequest body, List<FieldError> errors) {
        if (body.access() == null) {
            return;
        }
        for (int i = 0; i < body.access().size(); i++) {
            TopicSpec.UserAccess a = body.access().get(i);
            if (a == null
                    || a.user() == null
                    || !UserValidator.NAME.matcher(a.user()).matches()) {
                continue;
            }
            boolean ours = view.user(body.cluster(), a.user())
                    .filter(UserStatus::live)
                    .filter(u -> Objects.equals(u.owner(), body.owner()))
                    .isPresent();
            if (!ours) {
                errors.add(new FieldError(
                        "access[" + i + "].user",
                        "no user '" + a.user() + "' of team "
                                + body.owner() + " on cluster '" + body.cluster()
                                + "'; access goes to users of the topic's "
                                + "team, made with POST /api/v1/users"));
            }
        }
    }

    private Optional<Accepted> replayed(String idempotencyKey, String hash) {
        return intake.replayed(ResourceKind.TOPIC, idempotencyKey, hash);
    }

    private ClusterInfo cluster(String name, List<FieldError> errors) {
        if (name == null || name.isBlank()) {
            errors.add(new FieldError("cluster", "is required"));
            return null;
        }
        Optional<ClusterInfo> cluster = directory.cluster(name).filter(c -> visibleCluster(name));
        if (cluster.isEmpty()) {
            errors.add(new FieldError(
                    "cluster",
                    "unknown cluster '" + name + "'; clusters you can use: "
                            + directory.names().stream()
                                    .filter(this::visibleCluster)
                                    .toList()));
            return null;
        }
        if (cluster.get().brokers() == 0) {
            throw reject(ProblemException.unavailable(
                    "Cluster '" + name + "' has not been reached yet ("
                            + cluster.get().message() + "); its replication factor cannot be checked",
                    intake.retryAfterSeconds()));
        }
        return cluster.get();
    }

    /** A registered cluster is everyone's; a dedicated instance is its team's. */
    private boolean visibleCluster(String name) {
        return view.instance(name)
                .filter(InstanceView::live)
                .map(i -> intake.visible(i.owner()))
                .orElse(true);
    }

    private TopicStatus liveTopic(String cluster, String name) {
        return view.topic(cluster, name)
                .filter(TopicStatus::live)
                .filter(t -> intake.visible(t.owner()))
                .orElseThrow(() -> reject(ProblemException.notFound(
                        "The concierge manages no topic '" + name + "' on cluster '" + cluster + "'")));
    }

    private void requireBody(Object body) {
        intake.requireBody(ResourceKind.TOPIC, body);
    }

    private void reject(List<FieldError> errors) {
        intake.reject(ResourceKind.TOPIC, errors);
    }

    private ProblemException reject(ProblemException problem) {
        return intake.reject(ResourceKind.TOPIC, problem);
    }

    private static boolean sameSpec(TopicSpec a, TopicSpec b) {
        return a != null
                && a.partitions() == b.partitions()
                && a.replicationFactor() == b.replicationFactor()
                && Objects.equals(new HashMap<>(a.config()), new HashMap<>(b.config()));
    }
}
