package io.kafkaconcierge.api.service;

import io.kafkaconcierge.api.config.ApiConfig;
import io.kafkaconcierge.api.guard.GuardRails;
import io.kafkaconcierge.api.guard.Plan;
import io.kafkaconcierge.api.rest.dto.Accepted;
import io.kafkaconcierge.api.rest.dto.UserPatchRequest;
import io.kafkaconcierge.api.rest.dto.UserRequest;
import io.kafkaconcierge.api.view.ClusterDirectory;
import io.kafkaconcierge.api.view.InstanceView;
import io.kafkaconcierge.api.view.RequestView;
import io.kafkaconcierge.api.view.UserStatus;
import io.kafkaconcierge.contracts.Operation;
import io.kafkaconcierge.contracts.RequestCommand;
import io.kafkaconcierge.contracts.ResourceKind;
import io.kafkaconcierge.contracts.UserSpec;
import io.kafkaconcierge.contracts.secrets.Passwords;
import io.kafkaconcierge.contracts.secrets.SecretBox;
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
 * Turns user requests into commands, through the same intake and guard rails as topics (Idempotency-Key, caught-up
 * view, claims, the policy's quota bounds and approvals, consents of other teams, dry runs, durable before 202). A new user and a rotation get a new password made here, sealed into the command; it is shown once by
 * {@link CredentialReveals}. See DESIGN.md ("Users").
 */
@ApplicationScoped
public class UserRequestService {

    private static final ResourceKind KIND = ResourceKind.USER;

    private final RequestView view;
    private final ClusterDirectory directory;
    private final RequestIntake intake;
    private final ApiConfig config;
    private final SecretBox secrets;
    private final GuardRails guard;

    public UserRequestService(
            RequestView view,
            RequestIntake intake,
            ApiConfig config,
            SecretBox secrets,
            GuardRails guard,
            ClusterDirectory directory) {
        this.directory = directory;
        this.guard = guard;
        this.view = view;
        this.intake = intake;
        this.config = config;
        this.secrets = secrets;
    }

    public Uni<Accepted> create(UserRequest body, String idempotencyKey, boolean dryRun) {
        return Uni.createFrom().deferred(() -> {
            intake.requireBody(KIND, body);
            String resource = body.cluster() + "/" + body.name();
            intake.auditing(KIND, "create", resource);
            String hash = RequestHasher.hash("POST", "/api/v1/users", body);
            Optional<Accepted> replayed = intake.replayed(KIND, idempotencyKey, hash);
            if (replayed.isPresent()) {
                return Uni.createFrom().item(replayed.get());
            }
            List<FieldError> errors = new ArrayList<>();
            TopicValidator.owner(body.owner(), errors);
            if (errors.isEmpty()) {
                intake.authorize(KIND, "create", body.owner(), resource);
            }
            UserValidator.name(body.name(), errors);
            UserValidator.description(body.description(), errors);
            UserValidator.grants(body.grants(), errors);
            UserValidator.quotas(body.quotas(), config.users(), errors);
            cluster(body.cluster(), errors);
            intake.reject(KIND, errors);
            UserSpec spec = new UserSpec(
                    body.cluster(), body.name(), body.owner(), body.grants(), body.quotas(), body.description());
            view.user(spec.cluster(), spec.name()).filter(UserStatus::live).ifPresent(existing -> {
                throw intake.reject(
                        KIND,
                        ProblemException.conflict(
                                "user-exists",
                                "The user exists",
                                intake.visible(existing.owner())
                                        ? "User '" + spec.name() + "' on cluster '" + spec.cluster()
                                                + "' exists; change it " + "with PATCH /api/v1/users/" + spec.cluster()
                                                + "/" + spec.name()
                                        : "User '" + spec.name() + "' on cluster '" + spec.cluster()
                                                + "' is taken; choose " + "another name"));
            });
            Plan plan = guard.planUser(Operation.CREATE, spec, null, null);
            return submit(Operation.CREATE, spec, true, idempotencyKey, hash, plan, dryRun);
        });
    }

    public Uni<Accepted> update(
            String cluster, String name, UserPatchRequest body, String idempotencyKey, boolean dryRun) {
        return Uni.createFrom().deferred(() -> {
            intake.requireBody(KIND, body);
            intake.auditing(KIND, "update", cluster + "/" + name);
            String hash = RequestHasher.hash("PATCH", "/api/v1/users/" + cluster + "/" + name, body);
            Optional<Accepted> replayed = intake.replayed(KIND, idempotencyKey, hash);
            if (replayed.isPresent()) {
                return Uni.createFrom().item(replayed.get());
            }
            UserStatus user = liveUser(cluster, name);
            intake.authorize(KIND, "update", user.owner(), cluster + "/" + name);
            UserSpec current = user.requested();
            List<FieldError> errors = new ArrayList<>();
            if (body.grants() == null && body.quotas() == null && body.description() == null) {
                errors.add(new FieldError("", "nothing to change: give grants, quotas or description"));
            }
            UserValidator.grants(body.grants(), errors);
            UserValidator.quotas(body.quotas(), config.users(), errors);
            UserValidator.description(body.description(), errors);
            intake.reject(KIND, errors);
            UserSpec target = new UserSpec(
                    cluster,
                    name,
                    current.owner(),
                    body.grants() == null ? current.grants() : body.grants(),
                    body.quotas() == null ? current.quotas() : body.quotas(),
                    body.description() == null ? current.description() : body.description());
            Set<String> changed = new HashSet<>();
            if (body.grants() != null) {
                changed.add("grants");
            }
            if (body.quotas() != null) {
                changed.add("quotas");
            }
            Plan plan = guard.planUser(Operation.UPDATE, target, current, changed);
            return submit(Operation.UPDATE, target, false, idempotencyKey, hash, plan, dryRun);
        });
    }

    public Uni<Accepted> rotate(String cluster, String name, String idempotencyKey, boolean dryRun) {
        return Uni.createFrom().deferred(() -> {
            String resource = cluster + "/" + name;
            intake.auditing(KIND, "rotate", resource);
            String path = "/api/v1/users/" + cluster + "/" + name + "/credentials/rotate";
            String hash = RequestHasher.hash("POST", path, Map.of());
            Optional<Accepted> replayed = intake.replayed(KIND, idempotencyKey, hash);
            if (replayed.isPresent()) {
                return Uni.createFrom().item(replayed.get());
            }
            UserStatus user = liveUser(cluster, name);
            intake.authorize(KIND, "rotate", user.owner(), resource);
            Plan plan = guard.planUser(Operation.UPDATE, user.requested(), user.requested(), Set.of());
            return submit(Operation.UPDATE, user.requested(), true, idempotencyKey, hash, plan, dryRun);
        });
    }

    public Uni<Accepted> delete(String cluster, String name, String idempotencyKey, boolean dryRun) {
        return Uni.createFrom().deferred(() -> {
            intake.auditing(KIND, "delete", cluster + "/" + name);
            String hash = RequestHasher.hash("DELETE", "/api/v1/users/" + cluster + "/" + name, Map.of());
            Optional<Accepted> replayed = intake.replayed(KIND, idempotencyKey, hash);
            if (replayed.isPresent()) {
                return Uni.createFrom().item(replayed.get());
            }
            UserStatus user = liveUser(cluster, name);
            intake.authorize(KIND, "delete", user.owner(), cluster + "/" + name);
            Plan plan = guard.planUser(Operation.DELETE, user.requested(), user.requested(), Set.of());
            return submit(Operation.DELETE, user.requested(), false, idempotencyKey, hash, plan, dryRun);
        });
    }

    /**
     * A new password is made only here, and leaves this method sealed; a dry run makes none. A request the guard
     * rails hold for approvers or consents keeps its sealed password in the ledger until they decide.
     */
    private Uni<Accepted> submit(
            Operation operation,
            UserSpec spec,
            boolean newPassword,
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
                (requestId, now) -> RequestCommand.user(
                        requestId,
                        operation,
                        spec,
                        newPassword ? secrets.seal(Passwords.generate()) : null,
                        idempotencyKey,
                        hash,
                        now));
    }

    private void cluster(String name, List<FieldError> errors) {
        if (name == null || name.isBlank()) {
            errors.add(new FieldError("cluster", "is required"));
            return;
        }
        if (directory.cluster(name).filter(c -> visibleCluster(name)).isEmpty()) {
            errors.add(new FieldError(
                    "cluster",
                    "unknown cluster '" + name + "'; clusters you can use: "
                            + directory.names().stream()
                                    .filter(this::visibleCluster)
                                    .toList()));
        }
    }

    /** A registered cluster is everyone's; a dedicated instance is its team's. */
    private boolean visibleCluster(String name) {
        return view.instance(name)
                .filter(InstanceView::live)
                .map(i -> intake.visible(i.owner()))
                .orElse(true);
    }

    private UserStatus liveUser(String cluster, String name) {
        return view.user(cluster, name)
                .filter(UserStatus::live)
                .filter(u -> intake.visible(u.owner()))
                .orElseThrow(() -> intake.reject(
                        KIND,
                        ProblemException.notFound(
                                "The concierge manages no user '" + name + "' on cluster '" + cluster + "'")));
    }
}
