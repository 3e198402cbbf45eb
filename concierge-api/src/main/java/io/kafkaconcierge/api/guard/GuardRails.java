package io.kafkaconcierge.api.guard;

import io.kafkaconcierge.api.guard.LedgerRecord.Pending;
import io.kafkaconcierge.api.guard.LedgerState.Entry;
import io.kafkaconcierge.api.guard.LedgerState.State;
import io.kafkaconcierge.api.guard.Plan.ApprovalNeed;
import io.kafkaconcierge.api.guard.Plan.QuotaCheck;
import io.kafkaconcierge.api.service.RequestHasher;
import io.kafkaconcierge.api.view.ClusterDirectory;
import io.kafkaconcierge.api.view.InstanceView;
import io.kafkaconcierge.api.view.RequestView;
import io.kafkaconcierge.api.view.TopicStatus;
import io.kafkaconcierge.contracts.ClusterInfo;
import io.kafkaconcierge.contracts.Environments;
import io.kafkaconcierge.contracts.InstanceSpec;
import io.kafkaconcierge.contracts.Operation;
import io.kafkaconcierge.contracts.RequestCommand;
import io.kafkaconcierge.contracts.TopicSpec;
import io.kafkaconcierge.contracts.UserSpec;
import io.kafkaconcierge.contracts.UserSpec.Grant;
import io.kafkaconcierge.contracts.UserSpec.PatternType;
import io.kafkaconcierge.problem.Problem.FieldError;
import io.kafkaconcierge.problem.ProblemException;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The guard rails every change passes before it is written: the owner team's prefix claims, the policy of the
 * target's environment (or of its cluster), the team's quota, and whether approvers must agree first. {@link #plan}
 * decides what can be decided alone (a dry run stops there); {@link #reserve} makes the quota decision atomic per
 * team through the ledger. See DESIGN.md.
 */
@ApplicationScoped
public class GuardRails {

    private final Governance governance;
    private final Ledger ledger;
    private final RequestView view;
    private final ClusterDirectory directory;
    private final ApprovalEvents events;

    public GuardRails(
            Governance governance, Ledger ledger, RequestView view, ApprovalEvents events, ClusterDirectory directory) {
        this.directory = directory;
        this.governance = governance;
        this.ledger = ledger;
        this.view = view;
        this.events = events;
    }

    public boolean caughtUp() {
        return governance.caughtUp() && ledger.caughtUp();
    }

    public String problem() {
        return !governance.caughtUp() ? governance.problem() : ledger.problem();
    }

    /** The environment class of a cluster: an instance's from its spec, a registered cluster's as published. */
    public String environmentOf(String cluster) {
        Optional<InstanceView> instance = view.instance(cluster).filter(InstanceView::live);
        if (instance.isPresent() && instance.get().desired() != null) {
            return instance.get().desired().environment();
        }
        return directory.cluster(cluster).map(ClusterInfo::environment).orElse(Environments.DEV);
    }

    /**
     * The plan for a topic request. {@code current} is the topic before (null for a create), {@code changed} the
     * fields a change sets (null: all).
     */
    public Plan planTopic(Operation operation, TopicSpec target, TopicSpec current, Set<String> changed) {
        String environment = environmentOf(target.cluster());
        Governance.Effective policy = governance.policyFor(environment, target.cluster());
        List<FieldError> violations = new ArrayList<>();
        if (operation == Operation.CREATE) {
            names(Claim.TOPIC, "name", target.name(), target.owner(), policy, violations, false);
            // access given with the topic: the same rules as the users' grants, except consent (the topic is the
            // team's own), planned with the topic so that one approval covers both
            for (int i = 0; i < target.access().size(); i++) {
                TopicSpec.UserAccess a = target.access().get(i);
                String at = "access[" + i + "]";
                if (a.group() != null) {
                    names(Claim.GROUP, at + ".group", a.group(), target.owner(), policy, violations, true);
                }
                if (a.transactionalId() != null) {
                    names(
                            Claim.TRANSACTIONAL_ID,
                            at + ".transactionalId",
                            a.transactionalId(),
                            target.owner(),
                            policy,
                            violations,
                            true);
                }
            }
        }
        if (operation != Operation.DELETE) {
            violations.addAll(PolicyCheck.topic(target, policy.policy(), policy.scope(), changed));
        }
        Usage adding = operation == Operation.DELETE
                ? Usage.ZERO
                : Usage.of(target).growthFrom(current == null ? Usage.ZERO : Usage.of(current));
        return plan(environment, policy, violations, target.owner(), adding, approval(policy, operation, false));
    }

    /** The plan for an instance request ({@code current}, {@code changed}: as for topics). */
    public Plan planInstance(Operation operation, InstanceSpec target, InstanceSpec current, Set<String> changed) {
        String environment = target.environment();
        Governance.Effective policy = governance.policy(environment);
        List<FieldError> violations = new ArrayList<>();
        if (operation != Operation.DELETE) {
            violations.addAll(PolicyCheck.instance(target, policy.policy(), policy.scope(), changed));
        }
        Usage adding = operation == Operation.DELETE
                ? Usage.ZERO
                : Usage.of(target).growthFrom(current == null ? Usage.ZERO : Usage.of(current));
        return plan(
                environment,
                policy,
                violations,
                target.owner(),
                adding,
                approval(policy, operation, operation == Operation.DELETE));
    }

    /**
     * The plan for a user request: the user's name under the owner's {@code user} claims, its grants' consumer groups,
     * transactional ids and topic prefixes under the owner's claims of their type, its quotas within the policy's
     * bounds, the policy's approval rule, and the consent of every other team whose topic a new grant names.
     * {@code changed} names what a change sets ({@code grants}, {@code quotas}; null: all, for a create).
     */
    public Plan planUser(Operation operation, UserSpec target, UserSpec current, Set<String> changed) {
        String environment = environmentOf(target.cluster());
        Governance.Effective policy = governance.policyFor(environment, target.cluster());
        String owner = target.owner();
        List<FieldError> violations = new ArrayList<>();
        Set<String> consents = new TreeSet<>();
        if (operation == Operation.CREATE) {
            names(Claim.USER, "name", target.name(), owner, policy, violations, true);
        }
        if (operation != Operation.DELETE && (changed == null || changed.contains("grants"))) {
            List<Grant> before = current == null ? List.of() : current.grants();
            for (int i = 0; i < target.grants().size(); i++) {
                Grant g = target.grants().get(i);
                String at = "grants[" + i + "]";
                if (g.topicPattern() == PatternType.PREFIXED) {
                    names(Claim.TOPIC, at + ".topic", g.topic(), owner, policy, violations, true);
                } else {
                    topicOf(target.cluster(), g.topic(), owner, at, policy, violations)
                            .filter(team -> !before.contains(g))
                            .ifPresent(consents::add);
                }
                if (g.group() != null) {
                    names(Claim.GROUP, at + ".group", g.group(), owner, policy, violations, true);
                }
                if (g.transactionalId() != null) {
                    names(
                            Claim.TRANSACTIONAL_ID,
                            at + ".transactionalId",
                            g.transactionalId(),
                            owner,
                            policy,
                            violations,
                            true);
                }
            }
        }
        if (operation != Operation.DELETE && (changed == null || changed.contains("quotas"))) {
            violations.addAll(PolicyCheck.user(target, policy.policy(), policy.scope()));
        }
        return plan(
                environment,
                policy,
                violations,
                owner,
                Usage.ZERO,
                withConsents(approval(policy, operation, false), policy, List.copyOf(consents)));
    }

    /**
     * The team whose consent a grant to the literal topic {@code name} needs, if another team's: the topic's owner
     * when the concierge manages it, else the team that claims its name. An unmanaged, unclaimed name must be the
     * owner's to name.
     */
    private Optional<String> topicOf(
            String cluster,
            String name,
            String owner,
            String at,
            Governance.Effective policy,
            List<FieldError> violations) {
        Optional<String> managedBy =
                view.topic(cluster, name).filter(TopicStatus::live).map(TopicStatus::owner);
        if (managedBy.isPresent()) {
            return managedBy.filter(team -> !team.equals(owner));
        }
        Optional<Claim> claim = governance.claimOf(Claim.TOPIC, name);
        if (claim.isPresent()) {
            return claim.map(Claim::team).filter(team -> !team.equals(owner));
        }
        names(Claim.TOPIC, at + ".topic", name, owner, policy, violations, true);
        return Optional.empty();
    }

    private static ApprovalNeed withConsents(
            ApprovalNeed approval, Governance.Effective policy, List<String> consents) {
        if (consents.isEmpty()) {
            return approval;
        }
        List<String> reasons = new ArrayList<>(approval == null ? List.of() : approval.reasons());
        consents.forEach(team -> reasons.add("consent." + team + ": a grant to a topic of team " + team
                + " needs the consent of one of its members"));
        Policy.Approval rules = policy.policy().approval();
        return approval == null
                ? new ApprovalNeed(0, rules.approvers(), rules.expiry(), List.copyOf(reasons), consents)
                : new ApprovalNeed(
                        approval.required(),
                        approval.approvers(),
                        approval.expiresIn(),
                        List.copyOf(reasons),
                        consents);
    }

    private Plan plan(
            String environment,
            Governance.Effective policy,
            List<FieldError> violations,
            String team,
            Usage adding,
            ApprovalNeed approval) {
        Quota quota = governance.quota(team);
        Usage usage = ledger.usage(team);
        return new Plan(
                environment,
                policy.scope(),
                policy.version(),
                List.copyOf(violations),
                new QuotaCheck(quota, usage, adding, quota.check(usage, adding)),
                approval);
    }

    /**
     * Whether {@code owner} may use the name {@code name} of a resource type: never under another team's claim; under
     * none of the owner's only where the policy allows unclaimed names, and then, with {@code teamNames} (everything
     * a user names: its own name, groups, transactional ids, topics it is granted), only under the team's own name and
     * a delimiter ({@code payments-...} or {@code payments....}).
     */
    private void names(
            String type,
            String field,
            String name,
            String owner,
            Governance.Effective policy,
            List<FieldError> violations,
            boolean teamNames) {
        Optional<Claim> claim = governance.claimOf(type, name);
        if (claim.isPresent() && !claim.get().team().equals(owner)) {
            violations.add(new FieldError(
                    field,
                    "'" + name + "' is under the " + type + " prefix '"
                            + claim.get().prefix() + "', claimed by another team",
                    "claims." + type,
                    name,
                    claim.get().prefix(),
                    null));
        } else if (claim.isEmpty() && !policy.policy().unclaimedNames()) {
            List<String> own = governance.claims(owner).stream()
                    .filter(c -> c.resourceType().equals(type))
                    .map(Claim::prefix)
                    .toList();
            violations.add(new FieldError(
                    field,
                    "the " + policy.scope() + " policy requires " + type + " names "
                            + "under one of team " + owner + "'s " + type + " claims " + own
                            + (own.isEmpty()
                                    ? " (it has none: an admin grants them with POST /api/v1/teams/" + owner
                                            + "/claims)"
                                    : ""),
                    "policy." + policy.scope() + ".unclaimedNames",
                    name,
                    own,
                    null));
        } else if (claim.isEmpty() && teamNames && !withinTeamNames(owner, name)) {
            violations.add(new FieldError(
                    field,
                    "'" + name + "' is under no claim of team " + owner + ": unclaimed " + type
                            + " names must start with the team's name and '-' or '.' (e.g. '" + owner + "-app')",
                    "names." + type,
                    name,
                    owner + "-",
                    null));
        }
    }

    /** Whether {@code name} starts with the team's name and a delimiter: the rule for unclaimed names of a team. */
    static boolean withinTeamNames(String team, String name) {
        return team != null
                && name != null
                && (name.startsWith(team + "-") || name.startsWith(team + "."))
                && name.length() > team.length() + 1;
    }

    private static ApprovalNeed approval(Governance.Effective policy, Operation operation, boolean instanceDeletion) {
        Policy.Approval rules = policy.policy().approval();
        int required = instanceDeletion ? Math.max(rules.required(), rules.instanceDeletion()) : rules.required();
        if (required <= 0) {
            return null;
        }
        List<String> reasons = new ArrayList<>();
        reasons.add("policy." + policy.scope() + ".approval: " + rules.required() + " approver(s) from "
                + rules.approvers());
        if (instanceDeletion && rules.instanceDeletion() > rules.required()) {
            reasons.add("policy." + policy.scope() + ".approval.instanceDeletion: " + rules.instanceDeletion()
                    + " approvers to delete an instance");
        }
        return new ApprovalNeed(required, rules.approvers(), rules.expiry(), List.copyOf(reasons), List.of());
    }

    /**
     * Counts a request that goes through without approvers against its team's rate of the policy
     * ({@code approval.autoPerMinute}, per replica): over it, a 429 with the seconds to wait.
     */
    public void throttle(Plan plan, String team) {
        if (plan.approval() != null) {
            return;
        }
        Integer limit = governance
                .policyFor(
                        plan.environment(),
                        plan.policy().startsWith("cluster:") ? plan.policy().substring("cluster:".length()) : null)
                .policy()
                .approval()
                .autoPerMinute();
        if (limit == null) {
            return;
        }
        long now = System.currentTimeMillis();
        long minute = now / 60_000;
        long[] window = rates.compute(team, (t, w) -> w == null || w[0] != minute ? new long[] {minute, 0} : w);
        synchronized (window) {
            if (window[1] >= limit) {
                int wait = (int) Math.max(1, (minute + 1) * 60_000 - now) / 1000 + 1;
                throw new ProblemException(
                        429,
                        "rate-limited",
                        "Too many requests for the team",
                        "Team " + team + " has made " + limit + " requests this minute, the most the " + plan.policy()
                                + " policy lets through without approvers (approval.autoPerMinute); retry after "
                                + wait + " s",
                        null,
                        wait);
            }
            window[1]++;
        }
    }

    private final java.util.concurrent.ConcurrentHashMap<String, long[]> rates =
            new java.util.concurrent.ConcurrentHashMap<>();

    /** Throws the refusal of a plan's violations, rules first, then quotas. */
    public void refuse(Plan plan) {
        if (!plan.violations().isEmpty()) {
            throw new ProblemException(
                    422,
                    "policy",
                    "The request breaks the guard rails",
                    plan.violations().size() + " rule(s) refuse the request; nothing was changed",
                    plan.violations(),
                    null);
        }
        if (!plan.quota().exceeded().isEmpty()) {
            throw quotaExceeded(plan.quota().exceeded());
        }
    }

    static ProblemException quotaExceeded(List<FieldError> exceeded) {
        return new ProblemException(
                422,
                "quota-exceeded",
                "Over the team's quota",
                "The request would take the "
                        + "team over its quota (usage counts requests in flight and waiting for approval); nothing was "
                        + "changed. GET /api/v1/teams/{team}/usage shows the usage",
                exceeded,
                null);
    }

    /** What a reservation decided, for the intake. */
    public enum Decision {
        /** Write the command now. */
        ACCEPTED,
        /** Waiting for approvers: nothing for the provisioner yet. */
        AWAITING_APPROVAL
    }

    /**
     * Reserves the plan's growth of the team's usage in the ledger (atomic per team with every other replica's
     * reservations) and, when approvers must agree, keeps the command there until they do. Fails with the quota's
     * 422 when the ledger refuses it.
     */
    public Uni<Decision> reserve(Plan plan, RequestCommand command, Instant now) {
        if (!plan.reserves()) {
            return Uni.createFrom().item(Decision.ACCEPTED);
        }
        Pending pending = plan.approval() == null ? null : pending(plan, command, now);
        LedgerRecord.Reserve reserve = new LedgerRecord.Reserve(
                command.requestId(),
                command.owner(),
                command.resource().key(),
                plan.quota().adding(),
                plan.quota().limits(),
                pending,
                now);
        return ledger.reserve(reserve).onItem().transformToUni(entry -> {
            if (entry.state == State.REFUSED) {
                return Uni.createFrom().failure(quotaExceeded(entry.refusal));
            }
            if (entry.state == State.AWAITING_APPROVAL) {
                return events.awaiting(command, pending, now)
                        .invoke(view::applyEvent)
                        .replaceWith(Decision.AWAITING_APPROVAL);
            }
            return Uni.createFrom().item(Decision.ACCEPTED);
        });
    }

    /** The command could not be written: its reservation no longer counts. */
    public void release(RequestCommand command, String reason) {
        ledger.write(command.owner(), new LedgerRecord.Release(command.requestId(), reason, Instant.now()))
                .subscribe()
                .with(
                        ok -> {},
                        failure -> io.quarkus.logging.Log.warnf(
                                "could not release the reservation of %s (the reconciler will): %s",
                                command.requestId(), failure.toString()));
    }

    private static Pending pending(Plan plan, RequestCommand command, Instant now) {
        return new Pending(
                command,
                plan.environment(),
                plan.approval().required(),
                plan.approval().approvers(),
                now.plus(plan.approval().expiresIn()),
                contentHash(command),
                summary(command, plan.environment()),
                plan.approval().reasons(),
                plan.approval().consents());
    }

    /** The hash of exactly what a request asks (operation, resource, specs and changes), not of who or when. */
    static String contentHash(RequestCommand c) {
        Map<String, Object> content = new TreeMap<>();
        content.put("operation", c.operation());
        content.put("resource", c.resource().key());
        content.put("spec", c.spec());
        content.put("change", c.change());
        content.put("instance", c.instance());
        content.put("instanceChange", c.instanceChange());
        if (c.user() != null) {
            content.put("user", c.user()); // never the credential: it is sealed, and not what approvers judge
        }
        return RequestHasher.hash("APPROVAL", c.resource().key(), content);
    }

    /** One line for people: what is asked, for which team, in which environment. */
    static String summary(RequestCommand c, String environment) {
        StringBuilder s = new StringBuilder(c.operation().name().toLowerCase())
                .append(' ')
                .append(c.resource().kind().segment())
                .append(' ')
                .append(c.resource().key());
        if (c.spec() != null && c.operation() != Operation.DELETE) {
            s.append(": ")
                    .append(c.spec().partitions())
                    .append(" partitions, replication factor ")
                    .append(c.spec().replicationFactor());
            if (!c.spec().config().isEmpty()) {
                s.append(", config ").append(c.spec().config());
            }
            c.spec()
                    .access()
                    .forEach(a -> s.append(", ")
                            .append(a.operations().toString().toLowerCase())
                            .append(" for user ")
                            .append(a.user()));
        } else if (c.user() != null && c.operation() != Operation.DELETE) {
            s.append(": ").append(c.user().grants().size()).append(" grant(s)");
            c.user()
                    .grants()
                    .forEach(g -> s.append(", ")
                            .append(g.operations().toString().toLowerCase())
                            .append(' ')
                            .append(g.topic())
                            .append(g.topicPattern() == PatternType.PREFIXED ? "*" : ""));
            if (c.user().quotas() != null) {
                s.append(", quotas ").append(c.user().quotas());
            }
            if (c.credential() != null && c.operation() == Operation.UPDATE) {
                s.append(", a new password");
            }
        } else if (c.instance() != null && c.operation() != Operation.DELETE) {
            s.append(": ")
                    .append(c.instance().brokers())
                    .append(" broker(s), Kafka ")
                    .append(c.instance().kafkaVersion());
        }
        s.append(" (team ").append(c.owner()).append(", ").append(environment).append(')');
        return s.toString();
    }

    Optional<Entry> entry(String requestId) {
        return ledger.entry(requestId);
    }
}
