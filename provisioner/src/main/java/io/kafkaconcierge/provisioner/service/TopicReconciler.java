package io.kafkaconcierge.provisioner.service;

import io.kafkaconcierge.contracts.FailureReason;
import io.kafkaconcierge.contracts.Operation;
import io.kafkaconcierge.contracts.RequestCommand;
import io.kafkaconcierge.contracts.RequestState;
import io.kafkaconcierge.contracts.TopicSpec;
import io.kafkaconcierge.contracts.kafka.UserAcls;
import io.kafkaconcierge.provisioner.cluster.ClusterRegistry;
import io.kafkaconcierge.provisioner.config.ProvisionerConfig;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AlterConfigOp;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.DescribeClusterOptions;
import org.apache.kafka.clients.admin.NewPartitions;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.KafkaFuture;
import org.apache.kafka.common.acl.AccessControlEntryFilter;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.acl.AclBindingFilter;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.acl.AclPermissionType;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.errors.SecurityDisabledException;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.apache.kafka.common.resource.ResourcePatternFilter;

/**
 * Makes topic commands real with the Admin API, in batches: for a set of commands on distinct topics it makes one
 * {@code describeTopics}, one {@code describeConfigs}, one {@code createTopics}, one {@code incrementalAlterConfigs},
 * one {@code createPartitions} and one {@code deleteTopics} call per cluster and round, collects a result per
 * command, and retries the commands whose cluster did not answer, with backoff. A create that gives users access to
 * its topic ({@link TopicSpec#access()}) gets their ACLs in one {@code createAcls} per round, once the topic is there
 * (only added, never removed: they are the users' grants from then on). {@link #confirm} then holds back each READY
 * or DELETED until the cluster's metadata shows it, and a READY with access until {@code describeAcls} shows its
 * ACLs. See DESIGN.md.
 */
@ApplicationScoped
public class TopicReconciler {

    private final ClusterRegistry clusters;
    private final ProvisionerConfig config;
    private final TopicVisibility visibility;

    public TopicReconciler(ClusterRegistry clusters, ProvisionerConfig config) {
        this.clusters = clusters;
        this.config = config;
        this.visibility = new TopicVisibility(
                config.visibility().deadline(),
                config.visibility().initialBackoff(),
                config.visibility().maxBackoff(),
                config.adminTimeout());
    }

    /**
     * Holds back each READY or DELETED of {@link #reconcile} until the cluster's metadata shows it (see
     * {@link TopicVisibility}); the clusters are checked side by side, and no thread waits between checks.
     */
    public Uni<Map<RequestCommand, Outcome>> confirm(Map<RequestCommand, Outcome> outcomes) {
        Map<String, Map<RequestCommand, Outcome>> byCluster = new LinkedHashMap<>();
        outcomes.forEach((c, o) -> byCluster
                .computeIfAbsent(c.resource().cluster(), k -> new LinkedHashMap<>())
                .put(c, o));
        List<Uni<Map<RequestCommand, Outcome>>> checks = new ArrayList<>();
        byCluster.forEach((cluster, list) -> checks.add(clusters.admin(cluster)
                .map(admin -> visibility.confirm(admin, list).chain(seen -> confirmAccess(admin, seen)))
                .orElseGet(() -> Uni.createFrom().item(list))));
        if (checks.isEmpty()) {
            return Uni.createFrom().item(Map.of());
        }
        return Uni.join().all(checks).andFailFast().map(maps -> {
            Map<RequestCommand, Outcome> all = new LinkedHashMap<>();
            maps.forEach(all::putAll);
            return all;
        });
    }

    /**
     * Holds back each READY of a create with access until {@code describeAcls} shows every ACL of its accesses; past
     * the visibility deadline it FAILS with CLUSTER_UNAVAILABLE, saying how many are missing. The others pass
     * unchanged. No thread waits between checks.
     */
    private Uni<Map<RequestCommand, Outcome>> confirmAccess(Admin admin, Map<RequestCommand, Outcome> outcomes) {
        List<Uni<Map.Entry<RequestCommand, Outcome>>> checks = new ArrayList<>();
        Instant deadline = Instant.now().plus(config.visibility().deadline());
        outcomes.forEach((c, o) -> {
            if (o.state() != RequestState.READY || !givesAccess(c)) {
                checks.add(Uni.createFrom().item(Map.entry(c, o)));
            } else {
                checks.add(untilShown(
                                admin,
                                accessAcls(c.spec()),
                                deadline,
                                config.visibility().initialBackoff())
                        .map(missing -> Map.entry(
                                c,
                                missing == 0
                                        ? o
                                        : Outcome.failed(
                                                FailureReason.CLUSTER_UNAVAILABLE,
                                                "Topic '" + c.spec().name() + "' was made and its "
                                                        + "users' ACLs created, but describeAcls does not show "
                                                        + missing + " of them "
                                                        + "after "
                                                        + config.visibility()
                                                                .deadline()
                                                                .toSeconds() + " s. Ask again with "
                                                        + "the same request; it is READY once they are in force."))));
            }
        });
        if (checks.isEmpty()) {
            return Uni.createFrom().item(outcomes);
        }
        return Uni.join().all(checks).andFailFast().map(entries -> {
            Map<RequestCommand, Outcome> all = new LinkedHashMap<>();
            entries.forEach(e -> all.put(e.getKey(), e.getValue()));
            return all;
        });
    }

    /** Checks on a worker until describeAcls shows all of {@code wanted} or the deadline passes; answers how many lack. */
    private Uni<Integer> untilShown(Admin admin, Set<AclBinding> wanted, Instant deadline, Duration backoff) {
        return Uni.createFrom()
                .item(() -> missingAcls(admin, wanted))
                .runSubscriptionOn(Infrastructure.getDefaultWorkerPool())
                .chain(missing -> {
                    if (missing == 0 || Instant.now().isAfter(deadline)) {
                        return Uni.createFrom().item(missing);
                    }
                    Duration max = config.visibility().maxBackoff();
                    Duration next = backoff.multipliedBy(2).compareTo(max) < 0 ? backoff.multipliedBy(2) : max;
                    return Uni.createFrom()
                            .voidItem()
                            .onItem()
                            .delayIt()
                            .by(backoff)
                            .chain(() -> untilShown(admin, wanted, deadline, next));
                });
    }

    private int missingAcls(Admin admin, Set<AclBinding> wanted) {
        try {
            Set<AclBinding> shown = new HashSet<>();
            for (String principal : new TreeSet<>(
                    wanted.stream().map(a -> a.entry().principal()).toList())) {
                shown.addAll(get(admin.describeAcls(new AclBindingFilter(
                                ResourcePatternFilter.ANY,
                                new AccessControlEntryFilter(principal, null, AclOperation.ANY, AclPermissionType.ANY)))
                        .values()));
            }
            return (int) wanted.stream().filter(a -> !shown.contains(a)).count();
        } catch (Exception e) {
            return wanted.size();
        }
    }

    private static boolean givesAccess(RequestCommand c) {
        return c.operation() == Operation.CREATE
                && c.spec() != null
                && !c.spec().access().isEmpty();
    }

    /** The ACLs of the accesses a topic is created with: each user's, as its grants on this topic would give. */
    static Set<AclBinding> accessAcls(TopicSpec spec) {
        Set<AclBinding> acls = new java.util.LinkedHashSet<>();
        for (TopicSpec.UserAccess a : spec.access()) {
            acls.addAll(UserAcls.of("User:" + a.user(), List.of(a.grant(spec.name()))));
        }
        return acls;
    }

    /**
     * Applies commands on distinct topics and answers an outcome per command (never a retry). Completes when done; its Admin calls run on workers, its backoffs are timers.
     */
    public Uni<Map<RequestCommand, Outcome>> reconcile(List<RequestCommand> commands) {
        Map<RequestCommand, Outcome> outcomes = new java.util.concurrent.ConcurrentHashMap<>();
        List<Uni<Map<RequestCommand, Outcome>>> clusterRuns = new ArrayList<>();
        Map<String, List<RequestCommand>> byCluster = commands.stream()
                .collect(Collectors.groupingBy(c -> c.resource().cluster(), LinkedHashMap::new, Collectors.toList()));
        byCluster.forEach((cluster, list) -> {
            Optional<Admin> admin = clusters.admin(cluster);
            if (admin.isEmpty()) {
                list.forEach(c -> outcomes.put(
                        c,
                        Outcome.failed(
                                FailureReason.UNKNOWN_CLUSTER,
                                "Cluster '" + cluster + "' is not registered with the provisioner; registered: "
                                        + clusters.names())));
            } else {
                clusterRuns.add(withRetries(admin.get(), cluster, list));
            }
        });
        if (clusterRuns.isEmpty()) {
            return Uni.createFrom().item(outcomes);
        }
        // the clusters of a wave in parallel: one that does not answer holds up no other
        return Uni.join().all(clusterRuns).andFailFast().map(results -> {
            results.forEach(outcomes::putAll);
            return outcomes;
        });
    }

    private Uni<Map<RequestCommand, Outcome>> withRetries(Admin admin, String cluster, List<RequestCommand> commands) {
        return Retries.run(config.retry(), cluster, commands, pending -> round(admin, pending));
    }

    /** One round: each command gets a terminal outcome or a retry. */
    Map<RequestCommand, Outcome> round(Admin admin, List<RequestCommand> commands) {
        Map<RequestCommand, Outcome> out = new HashMap<>();
        List<RequestCommand> creates = of(commands, Operation.CREATE);
        List<RequestCommand> updates = of(commands, Operation.UPDATE);
        List<RequestCommand> deletes = of(commands, Operation.DELETE);

        List<String> described = new ArrayList<>();
        creates.forEach(c -> described.add(c.resource().name()));
        updates.forEach(c -> described.add(c.resource().name()));
        Map<String, TopicState> state = describe(admin, described);

        List<RequestCommand> toCreate = new ArrayList<>();
        for (RequestCommand c : creates) {
            TopicState s = state.get(c.resource().name());
            if (s.error() != null) {
                out.put(c, s.error());
            } else if (s.exists()) {
                out.put(c, compare(c.spec(), s));
            } else {
                toCreate.add(c);
            }
        }
        out.putAll(create(admin, toCreate));
        grantAccess(admin, creates, out);

        List<RequestCommand> toUpdate = new ArrayList<>();
        for (RequestCommand c : updates) {
            TopicState s = state.get(c.resource().name());
            if (s.error() != null) {
                out.put(c, s.error());
            } else if (!s.exists()) {
                out.put(
                        c,
                        Outcome.failed(
                                FailureReason.NOT_FOUND,
                                "Topic '" + c.resource().name() + "' does not exist on cluster '"
                                        + c.resource().cluster() + "'; nothing was changed"));
            } else if (c.spec().partitions() < s.partitions()) {
                out.put(
                        c,
                        Outcome.failed(
                                FailureReason.INVALID_SPEC,
                                "The topic has " + s.partitions()
                                        + " partitions on the cluster and partitions can only grow; nothing was changed"));
            } else {
                toUpdate.add(c);
            }
        }
        out.putAll(update(admin, toUpdate, state));
        out.putAll(delete(admin, deletes));
        return out;
    }

    private record TopicState(
            boolean exists, int partitions, int replicationFactor, Map<String, ConfigEntry> config, Outcome error) {}

    private Map<String, TopicState> describe(Admin admin, List<String> names) {
        Map<String, TopicState> state = new HashMap<>();
        if (names.isEmpty()) {
            return state;
        }
        Map<String, KafkaFuture<TopicDescription>> topics =
                admin.describeTopics(names).topicNameValues();
        List<String> existing = new ArrayList<>();
        Map<String, TopicDescription> descriptions = new HashMap<>();
        for (String name : names) {
            try {
                descriptions.put(name, get(topics.get(name)));
                existing.add(name);
            } catch (Exception e) {
                if (AdminErrors.unwrap(e) instanceof UnknownTopicOrPartitionException) {
                    state.put(name, new TopicState(false, 0, 0, Map.of(), null));
                } else {
                    state.put(
                            name,
                            new TopicState(
                                    false, 0, 0, Map.of(), AdminErrors.classify(e, "Describing topic '" + name + "'")));
                }
            }
        }
        if (existing.isEmpty()) {
            return state;
        }
        Map<ConfigResource, KafkaFuture<Config>> configs = admin.describeConfigs(existing.stream()
                        .map(n -> new ConfigResource(ConfigResource.Type.TOPIC, n))
                        .toList())
                .values();
        for (String name : existing) {
            TopicDescription d = descriptions.get(name);
            try {
                Config c = get(configs.get(new ConfigResource(ConfigResource.Type.TOPIC, name)));
                Map<String, ConfigEntry> entries =
                        c.entries().stream().collect(Collectors.toMap(ConfigEntry::name, e -> e));
                state.put(
                        name,
                        new TopicState(
                                true,
                                d.partitions().size(),
                                d.partitions().get(0).replicas().size(),
                                entries,
                                null));
            } catch (Exception e) {
                state.put(
                        name,
                        new TopicState(
                                true,
                                0,
                                0,
                                Map.of(),
                                AdminErrors.classify(e, "Describing the configs of topic '" + name + "'")));
            }
        }
        return state;
    }

    /** An existing topic is READY when it matches the spec, else a CONFLICT that says what differs. */
    private static Outcome compare(TopicSpec spec, TopicState s) {
        List<String> diffs = new ArrayList<>();
        if (s.partitions() != spec.partitions()) {
            diffs.add("partitions " + s.partitions() + " (asked " + spec.partitions() + ")");
        }
        if (s.replicationFactor() != spec.replicationFactor()) {
            diffs.add("replication factor " + s.replicationFactor() + " (asked " + spec.replicationFactor() + ")");
        }
        spec.config().forEach((k, v) -> {
            ConfigEntry e = s.config().get(k);
            if (e == null || !normalize(v).equals(normalize(e.value()))) {
                diffs.add(k + "=" + (e == null ? "unset" : e.value()) + " (asked " + v + ")");
            }
        });
        s.config().values().stream()
                .filter(e -> e.source() == ConfigEntry.ConfigSource.DYNAMIC_TOPIC_CONFIG)
                .filter(e -> !spec.config().containsKey(e.name()))
                .forEach(e -> diffs.add(e.name() + "=" + e.value() + " (not asked)"));
        if (diffs.isEmpty()) {
            return Outcome.done(RequestState.READY);
        }
        return Outcome.failed(
                FailureReason.CONFLICT,
                "Topic '" + spec.name() + "' already exists on cluster '"
                        + spec.cluster() + "' with another spec: " + String.join(", ", new TreeSet<>(diffs))
                        + ". Nothing was changed; ask for the topic as it is, or change it with PATCH.");
    }

    private static String normalize(String value) {
        return value == null ? "" : value.replace(" ", "");
    }

    private Map<RequestCommand, Outcome> create(Admin admin, List<RequestCommand> commands) {
        Map<RequestCommand, Outcome> out = new HashMap<>();
        if (commands.isEmpty()) {
            return out;
        }
        List<NewTopic> topics = commands.stream()
                .map(c -> new NewTopic(
                                c.spec().name(), c.spec().partitions(), c.spec().replicationFactor())
                        .configs(c.spec().config()))
                .toList();
        Map<String, KafkaFuture<Void>> results = admin.createTopics(topics).values();
        for (RequestCommand c : commands) {
            try {
                get(results.get(c.spec().name()));
                out.put(c, Outcome.done(RequestState.READY));
            } catch (Exception e) {
                out.put(
                        c,
                        AdminErrors.unwrap(e) instanceof TopicExistsException
                                ? Outcome.retry("created by someone else meanwhile; comparing it next round")
                                : AdminErrors.classify(
                                        e,
                                        "Creating topic '" + c.spec().name() + "'",
                                        c.spec().replicationFactor(),
                                        () -> registeredBrokers(admin)));
            }
        }
        return out;
    }

    /**
     * The ACLs of the accesses of each create that is READY so far, in one {@code createAcls} (creating an ACL that
     * exists changes nothing, so a retried round is harmless). A failure replaces the READY: a retry where waiting
     * may help, FAILED otherwise, with the topic left in place.
     */
    private void grantAccess(Admin admin, List<RequestCommand> creates, Map<RequestCommand, Outcome> out) {
        Map<RequestCommand, Set<AclBinding>> granting = new LinkedHashMap<>();
        for (RequestCommand c : creates) {
            Outcome o = out.get(c);
            if (o != null && o.state() == RequestState.READY && givesAccess(c)) {
                granting.put(c, accessAcls(c.spec()));
            }
        }
        if (granting.isEmpty()) {
            return;
        }
        Map<AclBinding, KafkaFuture<Void>> created = admin.createAcls(granting.values().stream()
                        .flatMap(Set::stream)
                        .distinct()
                        .toList())
                .values();
        granting.forEach((c, acls) -> {
            for (AclBinding acl : acls) {
                try {
                    get(created.get(acl));
                } catch (Exception e) {
                    out.put(
                            c,
                            AdminErrors.unwrap(e) instanceof SecurityDisabledException
                                    ? Outcome.failed(
                                            FailureReason.INVALID_SPEC,
                                            "Topic '" + c.spec().name() + "' exists, "
                                                    + "but cluster '" + c.spec().cluster()
                                                    + "' has no authorizer, so its users' "
                                                    + "access cannot be given as ACLs; the topic was kept, no ACL was made.")
                                    : AdminErrors.classify(
                                            e,
                                            "Topic '" + c.spec().name() + "' exists; creating the ACLs "
                                                    + "of its users' access"));
                    return;
                }
            }
        });
    }

    /** The brokers the cluster has registered, fenced ones included; 0 if it does not say. */
    private int registeredBrokers(Admin admin) {
        try {
            return get(admin.describeCluster(new DescribeClusterOptions().includeFencedBrokers(true))
                            .nodes())
                    .size();
        } catch (Exception e) {
            return 0;
        }
    }

    private Map<RequestCommand, Outcome> update(
            Admin admin, List<RequestCommand> commands, Map<String, TopicState> state) {
        Map<RequestCommand, Outcome> out = new HashMap<>();
        Map<ConfigResource, Collection<AlterConfigOp>> ops = new HashMap<>();
        for (RequestCommand c : commands) {
            if (c.change() != null
                    && c.change().config() != null
                    && !c.change().config().isEmpty()) {
                List<AlterConfigOp> list = new ArrayList<>();
                c.change()
                        .config()
                        .forEach((k, v) -> list.add(
                                v == null
                                        ? new AlterConfigOp(new ConfigEntry(k, ""), AlterConfigOp.OpType.DELETE)
                                        : new AlterConfigOp(new ConfigEntry(k, v), AlterConfigOp.OpType.SET)));
                ops.put(new ConfigResource(ConfigResource.Type.TOPIC, c.spec().name()), list);
            }
        }
        Map<ConfigResource, KafkaFuture<Void>> altered =
                ops.isEmpty() ? Map.of() : admin.incrementalAlterConfigs(ops).values();
        Map<String, NewPartitions> grow = new HashMap<>();
        List<RequestCommand> growing = new ArrayList<>();
        for (RequestCommand c : commands) {
            KafkaFuture<Void> f = altered.get(
                    new ConfigResource(ConfigResource.Type.TOPIC, c.spec().name()));
            if (f != null) {
                try {
                    get(f);
                } catch (Exception e) {
                    out.put(
                            c,
                            AdminErrors.classify(
                                    e,
                                    "Changing the configs of topic '" + c.spec().name() + "'"));
                    continue;
                }
            }
            if (c.spec().partitions() > state.get(c.spec().name()).partitions()) {
                grow.put(c.spec().name(), NewPartitions.increaseTo(c.spec().partitions()));
                growing.add(c);
            } else {
                out.put(c, Outcome.done(RequestState.READY));
            }
        }
        if (!grow.isEmpty()) {
            Map<String, KafkaFuture<Void>> grown = admin.createPartitions(grow).values();
            for (RequestCommand c : growing) {
                try {
                    get(grown.get(c.spec().name()));
                    out.put(c, Outcome.done(RequestState.READY));
                } catch (Exception e) {
                    Outcome o = AdminErrors.classify(
                            e,
                            "Raising the partitions of topic '" + c.spec().name()
                                    + "' (its config changes, if any, were applied)",
                            c.spec().replicationFactor(),
                            () -> registeredBrokers(admin));
                    out.put(c, o);
                }
            }
        }
        return out;
    }

    private Map<RequestCommand, Outcome> delete(Admin admin, List<RequestCommand> commands) {
        Map<RequestCommand, Outcome> out = new HashMap<>();
        if (commands.isEmpty()) {
            return out;
        }
        Map<String, KafkaFuture<Void>> results = admin.deleteTopics(
                        commands.stream().map(c -> c.resource().name()).toList())
                .topicNameValues();
        for (RequestCommand c : commands) {
            try {
                get(results.get(c.resource().name()));
                out.put(c, Outcome.done(RequestState.DELETED));
            } catch (Exception e) {
                out.put(
                        c,
                        AdminErrors.unwrap(e) instanceof UnknownTopicOrPartitionException
                                ? Outcome.done(RequestState.DELETED)
                                : AdminErrors.classify(
                                        e, "Deleting topic '" + c.resource().name() + "'"));
            }
        }
        return out;
    }

    private <T> T get(KafkaFuture<T> future) throws Exception {
        return future.get(config.adminTimeout().toMillis(), TimeUnit.MILLISECONDS);
    }

    private static List<RequestCommand> of(List<RequestCommand> commands, Operation op) {
        return commands.stream().filter(c -> c.operation() == op).toList();
    }
}
