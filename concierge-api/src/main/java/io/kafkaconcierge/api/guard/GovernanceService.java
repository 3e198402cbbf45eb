package io.kafkaconcierge.api.guard;

import io.kafkaconcierge.api.view.ClusterDirectory;
import io.kafkaconcierge.api.view.RequestView;
import io.kafkaconcierge.contracts.ClusterInfo;
import io.kafkaconcierge.contracts.Environments;
import io.kafkaconcierge.contracts.Owners;
import io.kafkaconcierge.problem.Problem.FieldError;
import io.kafkaconcierge.problem.ProblemException;
import io.kafkaconcierge.security.Caller;
import io.kafkaconcierge.security.Callers;
import io.kafkaconcierge.security.audit.AuditContext;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** Claims, policies and quotas over REST: admins change them, members read their team's. */
@ApplicationScoped
public class GovernanceService {

    /** A policy as {@code GET /api/v1/policies/{environment}} shows it. */
    public record PolicyView(String scope, long version, String source, Policy policy) {}

    /** A team's usage against its quota. */
    public record UsageView(String team, Quota quota, Usage usage, Usage resources, Usage inFlight) {}

    /**
     * A registered cluster as {@code GET /api/v1/clusters} shows it: which policy applies (its environment class) and
     * how clients reach it (its bootstrap servers, as the provisioner last checked them; no credential).
     */
    public record ClusterView(
            String name,
            String environment,
            String bootstrapServers,
            int brokers,
            boolean reachable,
            Instant checkedAt) {}

    /** The body of {@code POST /api/v1/teams/{team}/claims}. */
    public record ClaimRequest(String resourceType, String prefix) {}

    private final Governance governance;
    private final Ledger ledger;
    private final Callers callers;
    private final AuditContext audit;
    private final RequestView view;
    private final ClusterDirectory directory;

    public GovernanceService(
            Governance governance,
            Ledger ledger,
            Callers callers,
            AuditContext audit,
            RequestView view,
            ClusterDirectory directory) {
        this.directory = directory;
        this.governance = governance;
        this.ledger = ledger;
        this.callers = callers;
        this.audit = audit;
        this.view = view;
    }

    /**
     * The registered clusters, for everyone signed in: a registered cluster is everyone's (dedicated instances are
     * not listed here; their team sees their listeners at {@code /api/v1/instances/{name}}).
     */
    public List<ClusterView> clusters() {
        List<ClusterView> clusters = new ArrayList<>();
        for (String name : directory.names()) {
            if (view.instance(name).isPresent()) {
                continue;
            }
            directory.cluster(name).ifPresent(c -> clusters.add(view(c)));
        }
        return clusters;
    }

    private static ClusterView view(ClusterInfo c) {
        return new ClusterView(
                c.name(), c.environment(), c.bootstrapServers(), c.brokers(), c.reachable(), c.checkedAt());
    }

    public List<Claim> claims(String team) {
        readable(team);
        return governance.claims(team);
    }

    public Uni<Claim> grant(String team, ClaimRequest body) {
        return Uni.createFrom().deferred(() -> {
            audit.about(team, "claim.grant", body == null ? null : body.resourceType() + ":" + body.prefix());
            Caller admin = requireAdmin("grant claims");
            List<FieldError> errors = new ArrayList<>();
            String ownerProblem = Owners.problem(team);
            if (ownerProblem != null) {
                errors.add(new FieldError("team", ownerProblem));
            }
            if (body == null) {
                throw ProblemException.validation(List.of(new FieldError("", "a body is required")));
            }
            if (!Claim.TYPES.contains(body.resourceType())) {
                errors.add(new FieldError("resourceType", "must be one of " + Claim.TYPES));
            }
            String prefixProblem = Claim.problem(body.prefix());
            if (prefixProblem != null) {
                errors.add(new FieldError("prefix", prefixProblem));
            }
            if (!errors.isEmpty()) {
                throw ProblemException.validation(errors);
            }
            Claim claim = new Claim(team, body.resourceType(), body.prefix(), admin.requester(), Instant.now());
            return governance
                    .change(new GovernanceRecord.ClaimGranted(Governance.newId(), claim))
                    .map(outcome -> {
                        if (!outcome.accepted()) {
                            throw ProblemException.conflict(
                                    "claim-overlaps", "The prefix overlaps another team's", outcome.reason());
                        }
                        return claim;
                    });
        });
    }

    public Uni<Void> revoke(String team, String resourceType, String prefix) {
        return Uni.createFrom().deferred(() -> {
            audit.about(team, "claim.revoke", resourceType + ":" + prefix);
            Caller admin = requireAdmin("revoke claims");
            return governance
                    .change(new GovernanceRecord.ClaimRevoked(
                            Governance.newId(), team, resourceType, prefix, admin.requester(), Instant.now()))
                    .map(outcome -> {
                        if (!outcome.accepted()) {
                            throw ProblemException.notFound(
                                    "Team " + team + " has no " + resourceType + " claim '" + prefix + "'");
                        }
                        return null;
                    });
        });
    }

    public PolicyView policy(String environment) {
        requireEnvironment(environment);
        Governance.Effective p = governance.policy(environment);
        return new PolicyView(p.scope(), p.version(), p.source(), p.policy());
    }

    public PolicyView clusterPolicy(String cluster) {
        return governance
                .clusterPolicy(cluster)
                .map(p -> new PolicyView(p.scope(), p.version(), p.source(), p.policy()))
                .orElseThrow(() -> ProblemException.notFound(
                        "Cluster " + cluster + " has no policy of " + "its own; its environment's applies"));
    }

    /** Sets the policy of an environment (or a cluster's own, {@code cluster} not null; null policy removes it). */
    public Uni<PolicyView> setPolicy(String environment, String cluster, Policy policy, Long expectedVersion) {
        return Uni.createFrom().deferred(() -> {
            String scope = cluster == null ? environment : Governance.clusterScope(cluster);
            audit.about(null, "policy.set", scope);
            Caller admin = requireAdmin("change policies");
            if (cluster == null) {
                requireEnvironment(environment);
            }
            if (policy != null) {
                List<FieldError> errors = validate(policy);
                if (!errors.isEmpty()) {
                    throw ProblemException.validation(errors);
                }
            }
            return governance
                    .change(new GovernanceRecord.PolicySet(
                            Governance.newId(), scope, policy, expectedVersion, admin.requester(), Instant.now()))
                    .map(outcome -> {
                        if (!outcome.accepted()) {
                            throw new ProblemException(
                                    412,
                                    "policy-changed",
                                    "The policy changed meanwhile",
                                    outcome.reason() + "; read it again and retry with its version in If-Match",
                                    null,
                                    null);
                        }
                        if (cluster == null) {
                            return policy(environment);
                        }
                        return policy == null ? null : clusterPolicy(cluster);
                    });
        });
    }

    public UsageView usage(String team) {
        readable(team);
        Usage usage = ledger.usage(team);
        Usage charged = ledger.charged(team);
        return new UsageView(team, governance.quota(team), usage, charged, usage.minus(charged));
    }

    public Uni<UsageView> setQuota(String team, Quota quota) {
        return Uni.createFrom().deferred(() -> {
            audit.about(team, "quota.set", team);
            Caller admin = requireAdmin("set quotas");
            if (quota != null) {
                List<FieldError> errors = new ArrayList<>();
                nonNegative("topics", quota.topics(), errors);
                nonNegative("partitions", quota.partitions(), errors);
                nonNegative("storageBytes", quota.storageBytes(), errors);
                nonNegative("instances", quota.instances(), errors);
                nonNegative("brokers", quota.brokers(), errors);
                if (!errors.isEmpty()) {
                    throw ProblemException.validation(errors);
                }
            }
            return governance
                    .change(new GovernanceRecord.QuotaSet(
                            Governance.newId(), team, quota, admin.requester(), Instant.now()))
                    .map(outcome -> usage(team));
        });
    }

    private static void nonNegative(String field, Long value, List<FieldError> errors) {
        if (value != null && value < 0) {
            errors.add(new FieldError(field, "must be 0 or more (or absent: no limit)"));
        }
    }

    static List<FieldError> validate(Policy p) {
        List<FieldError> errors = new ArrayList<>();
        if (p.approval().required() < 0 || p.approval().required() > 5) {
            errors.add(new FieldError("approval.required", "must be 0 to 5"));
        }
        if (p.approval().instanceDeletion() < 0 || p.approval().instanceDeletion() > 5) {
            errors.add(new FieldError("approval.instanceDeletion", "must be 0 to 5"));
        }
        if (!Policy.Approval.ADMINS.equals(p.approval().approvers())
                && !Policy.Approval.TEAM.equals(p.approval().approvers())) {
            errors.add(new FieldError("approval.approvers", "must be 'admins' or 'team'"));
        }
        Duration expiry = p.approval().expiry();
        if (expiry == null || expiry.isNegative() || expiry.isZero() || expiry.compareTo(Duration.ofDays(90)) > 0) {
            errors.add(new FieldError("approval.expiry", "must be an ISO-8601 duration from PT1S to P90D"));
        }
        if (p.partitions() != null
                && p.partitions().min() != null
                && p.partitions().min() < 1) {
            errors.add(new FieldError("partitions.min", "must be 1 or more"));
        }
        if (p.instances().maxStorage() != null
                && PolicyCheck.bytes(p.instances().maxStorage()) == null) {
            errors.add(new FieldError("instances.maxStorage", "must be a quantity such as 100Gi"));
        }
        return errors;
    }

    private void readable(String team) {
        Caller caller = callers.current();
        if (!caller.admin() && !caller.actsFor(team)) {
            throw Callers.notActingFor(caller, team);
        }
    }

    private Caller requireAdmin(String what) {
        Caller caller = callers.requireWrite();
        if (!caller.admin()) {
            throw Callers.forbidden("Only platform admins may " + what);
        }
        return caller;
    }

    private static void requireEnvironment(String environment) {
        if (!Environments.known(environment)) {
            throw ProblemException.notFound(
                    "No environment class '" + environment + "'; there are " + Environments.ALL);
        }
    }
}
