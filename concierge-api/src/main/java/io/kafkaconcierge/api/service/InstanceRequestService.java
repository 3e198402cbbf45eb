package io.kafkaconcierge.api.service;

import io.kafkaconcierge.api.config.ApiConfig;
import io.kafkaconcierge.api.guard.GuardRails;
import io.kafkaconcierge.api.guard.Plan;
import io.kafkaconcierge.api.rest.dto.Accepted;
import io.kafkaconcierge.api.rest.dto.InstancePatchRequest;
import io.kafkaconcierge.api.rest.dto.InstanceRequest;
import io.kafkaconcierge.api.rest.dto.InstanceRequest.ListenerRequest;
import io.kafkaconcierge.api.view.ClusterDirectory;
import io.kafkaconcierge.api.view.InstanceView;
import io.kafkaconcierge.api.view.RequestView;
import io.kafkaconcierge.contracts.Environments;
import io.kafkaconcierge.contracts.InstanceChange;
import io.kafkaconcierge.contracts.InstanceSpec;
import io.kafkaconcierge.contracts.InstanceSpec.Listener;
import io.kafkaconcierge.contracts.InstanceSpec.Resources;
import io.kafkaconcierge.contracts.InstanceSpec.Storage;
import io.kafkaconcierge.contracts.Operation;
import io.kafkaconcierge.contracts.RequestCommand;
import io.kafkaconcierge.contracts.ResourceKind;
import io.kafkaconcierge.problem.Problem.FieldError;
import io.kafkaconcierge.problem.ProblemException;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Turns instance requests into commands: checks them against the allow-list and what the backend can run, keeps
 * names unique across instances and registered clusters, and protects instances marked against deletion.
 */
@ApplicationScoped
public class InstanceRequestService {

    private static final ResourceKind KIND = ResourceKind.INSTANCE;
    private static final String STRIMZI = "strimzi";

    private final RequestView view;
    private final ClusterDirectory directory;
    private final RequestIntake intake;
    private final ApiConfig.Instances config;
    private final GuardRails guard;

    public InstanceRequestService(
            RequestView view, RequestIntake intake, ApiConfig config, GuardRails guard, ClusterDirectory directory) {
        this.directory = directory;
        this.guard = guard;
        this.view = view;
        this.intake = intake;
        this.config = config.instances();
    }

    public Uni<Accepted> create(InstanceRequest body, String idempotencyKey) {
        return create(body, idempotencyKey, false);
    }

    public Uni<Accepted> create(InstanceRequest body, String idempotencyKey, boolean dryRun) {
        return Uni.createFrom().deferred(() -> {
            intake.requireBody(KIND, body);
            intake.auditing(KIND, "create", "instance:" + body.name());
            String hash = RequestHasher.hash("POST", "/api/v1/instances", body);
            Optional<Accepted> replayed = intake.replayed(KIND, idempotencyKey, hash);
            if (replayed.isPresent()) {
                return Uni.createFrom().item(replayed.get());
            }
            List<FieldError> errors = new ArrayList<>();
            InstanceValidator.name(body.name(), errors);
            TopicValidator.owner(body.owner(), errors);
            if (errors.stream().noneMatch(e -> e.field().equals("owner"))) {
                intake.authorize(KIND, "create", body.owner(), "instance:" + body.name());
            }
            TopicValidator.description(body.description(), errors);
            InstanceValidator.brokers(body.brokers(), 1, config.maxBrokers(), errors);
            String version = body.kafkaVersion() == null ? config.defaultVersion() : body.kafkaVersion();
            InstanceValidator.version(version, config.versions(), errors);
            int brokers = body.brokers() == null ? 1 : body.brokers();
            TopicValidator.Configs configs = InstanceValidator.configs(body.config(), brokers, false);
            errors.addAll(configs.errors());
            if (configs.errors().isEmpty()) {
                InstanceValidator.consistency(configs.values(), errors);
            }
            Storage storage = body.storage() == null
                    ? new Storage(Storage.EPHEMERAL, null)
                    : new Storage(body.storage().type(), body.storage().size());
            InstanceValidator.storage(storage.type(), storage.size(), errors);
            List<Listener> listeners = listeners(body.listeners());
            boolean kubernetes = STRIMZI.equals(config.backend());
            InstanceValidator.listeners(listeners, kubernetes, kubernetes, config.backend(), errors);
            Resources resources = null;
            if (body.resources() != null) {
                InstanceValidator.resources(
                        "resources.requests", body.resources().requests(), errors);
                InstanceValidator.resources("resources.limits", body.resources().limits(), errors);
                resources = new Resources(
                        body.resources().requests(), body.resources().limits());
            }
            if (body.environment() != null && !Environments.known(body.environment())) {
                errors.add(new FieldError("environment", "must be one of " + Environments.ALL));
            }
            InstanceSpec.Security security = InstanceValidator.security(body.security(), config.backend(), errors);
            intake.reject(KIND, errors);
            InstanceSpec spec = new InstanceSpec(
                    body.name(),
                    body.owner(),
                    brokers,
                    version,
                    configs.values(),
                    storage,
                    listeners,
                    resources,
                    Boolean.TRUE.equals(body.deletionProtection()),
                    body.description(),
                    body.environment(),
                    security);
            if (directory.cluster(spec.name()).isPresent()
                    && view.instance(spec.name()).filter(InstanceView::live).isEmpty()) {
                throw intake.reject(
                        KIND,
                        ProblemException.conflict(
                                "name-taken",
                                "The name is taken",
                                "'" + spec.name()
                                        + "' is already the name of a registered cluster; choose another name"));
            }
            view.instance(spec.name()).filter(InstanceView::live).ifPresent(existing -> {
                if (!intake.visible(existing.owner())) {
                    throw intake.reject(
                            KIND,
                            ProblemException.conflict(
                                    "name-taken",
                                    "The name is taken",
                                    "'" + spec.name()
                                            + "' is already the name of another team's instance; choose another "
                                            + "name"));
                }
                throw intake.reject(
                        KIND,
                        ProblemException.conflict(
                                "instance-exists",
                                "The instance exists",
                                "Instance '" + spec.name() + "' already exists (owner " + existing.owner() + ", state "
                                        + existing.state() + "); change it with PATCH /api/v1/instances/"
                                        + spec.name()));
            });
            return submit(
                    Operation.CREATE,
                    spec,
                    null,
                    idempotencyKey,
                    hash,
                    guard.planInstance(Operation.CREATE, spec, null, null),
                    dryRun);
        });
    }

    public Uni<Accepted> update(String name, InstancePatchRequest body, String idempotencyKey) {
        return update(name, body, idempotencyKey, false);
    }

    public Uni<Accepted> update(String name, InstancePatchRequest body, String idempotencyKey, boolean dryRun) {
        return Uni.createFrom().deferred(() -> {
            intake.requireBody(KIND, body);
            intake.auditing(KIND, "update", "instance:" + name);
            String hash = RequestHasher.hash("PATCH", "/api/v1/instances/" + name, body);
            Optional<Accepted> replayed = intake.replayed(KIND, idempotencyKey, hash);
            if (replayed.isPresent()) {
                return Uni.createFrom().item(replayed.get());
            }
            InstanceView instance = liveInstance(name);
            intake.authorize(KIND, "update", instance.owner(), "instance:" + name);
            requireIdle(instance);
            InstanceSpec current = instance.desired();
            List<FieldError> errors = new ArrayList<>();
            if (body.brokers() == null
                    && body.config() == null
                    && body.deletionProtection() == null
                    && body.description() == null) {
                errors.add(new FieldError(
                        "", "nothing to change: give brokers, config, deletionProtection or " + "description"));
            }
            if (body.brokers() != null && body.brokers() < current.brokers()) {
                errors.add(new FieldError(
                        "brokers",
                        "brokers can only be added: the instance has " + current.brokers() + ", asked "
                                + body.brokers()));
            } else if (body.brokers() != null) {
                InstanceValidator.brokers(body.brokers(), current.brokers(), config.maxBrokers(), errors);
            }
            TopicValidator.description(body.description(), errors);
            int brokers = body.brokers() == null ? current.brokers() : body.brokers();
            TopicValidator.Configs configs = InstanceValidator.configs(body.config(), brokers, true);
            errors.addAll(configs.errors());
            InstanceChange change = new InstanceChange(
                    body.brokers(),
                    body.config() == null ? null : configs.values(),
                    body.deletionProtection(),
                    body.description());
            InstanceSpec target = current.apply(change);
            if (errors.isEmpty()) {
                InstanceValidator.consistency(target.config(), errors);
            }
            intake.reject(KIND, errors);
            Set<String> changed = new HashSet<>();
            if (body.brokers() != null) {
                changed.add("brokers");
            }
            if (body.config() != null) {
                body.config().keySet().forEach(k -> changed.add("config." + k));
            }
            return submit(
                    Operation.UPDATE,
                    target,
                    change,
                    idempotencyKey,
                    hash,
                    guard.planInstance(Operation.UPDATE, target, current, changed),
                    dryRun);
        });
    }

    public Uni<Accepted> delete(String name, String idempotencyKey) {
        return delete(name, idempotencyKey, false);
    }

    public Uni<Accepted> delete(String name, String idempotencyKey, boolean dryRun) {
        return Uni.createFrom().deferred(() -> {
            intake.auditing(KIND, "delete", "instance:" + name);
            String hash = RequestHasher.hash("DELETE", "/api/v1/instances/" + name, Map.of());
            Optional<Accepted> replayed = intake.replayed(KIND, idempotencyKey, hash);
            if (replayed.isPresent()) {
                return Uni.createFrom().item(replayed.get());
            }
            InstanceView instance = liveInstance(name);
            intake.authorize(KIND, "delete", instance.owner(), "instance:" + name);
            requireIdle(instance);
            if (instance.desired().deletionProtection()) {
                throw intake.reject(
                        KIND,
                        ProblemException.conflict(
                                "deletion-protected",
                                "The instance is protected",
                                "Instance '" + name + "' has deletionProtection set; clear it first with PATCH "
                                        + "/api/v1/instances/" + name + " {\"deletionProtection\": false}"));
            }
            return submit(
                    Operation.DELETE,
                    instance.desired(),
                    null,
                    idempotencyKey,
                    hash,
                    guard.planInstance(Operation.DELETE, instance.desired(), instance.desired(), Set.of()),
                    dryRun);
        });
    }

    private Uni<Accepted> submit(
            Operation operation,
            InstanceSpec spec,
            InstanceChange change,
            String idempotencyKey,
            String hash,
            Plan plan,
            boolean dryRun) {
        return intake.submit(
                KIND,
                idempotencyKey,
                hash,
                plan,
                dryRun,
                (requestId, now) -> new RequestCommand(
                        requestId, operation, spec.ref(), null, null, idempotencyKey, hash, now, spec, change));
    }

    private static List<Listener> listeners(List<ListenerRequest> asked) {
        if (asked == null) {
            return List.of(new Listener("plain", 9092, Listener.INTERNAL, false));
        }
        List<Listener> listeners = new ArrayList<>();
        for (ListenerRequest l : asked) {
            listeners.add(new Listener(
                    l == null ? null : l.name(),
                    l == null || l.port() == null ? 9092 : l.port(),
                    l == null || l.type() == null ? Listener.INTERNAL : l.type(),
                    l != null && Boolean.TRUE.equals(l.tls())));
        }
        return listeners;
    }

    private InstanceView liveInstance(String name) {
        return view.instance(name)
                .filter(InstanceView::live)
                .filter(i -> intake.visible(i.owner()))
                .orElseThrow(() -> intake.reject(
                        KIND, ProblemException.notFound("The concierge manages no instance '" + name + "'")));
    }

    /** One change at a time: a request on an instance that is still being created or changed waits for it. */
    private void requireIdle(InstanceView instance) {
        if (instance.busy()) {
            throw intake.reject(
                    KIND,
                    ProblemException.conflict(
                            "instance-busy",
                            "The instance is busy",
                            "Instance '" + instance.name() + "' is " + instance.state() + " (request "
                                    + instance.lastRequestId() + "); try again when that request is done"));
        }
    }
}
