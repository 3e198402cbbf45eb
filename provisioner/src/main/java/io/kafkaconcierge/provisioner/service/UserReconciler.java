package io.kafkaconcierge.provisioner.service;

import io.kafkaconcierge.contracts.FailureReason;
import io.kafkaconcierge.contracts.Operation;
import io.kafkaconcierge.contracts.RequestCommand;
import io.kafkaconcierge.contracts.RequestState;
import io.kafkaconcierge.contracts.UserSpec;
import io.kafkaconcierge.contracts.kafka.UserAcls;
import io.kafkaconcierge.contracts.secrets.SecretBox;
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
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ScramCredentialInfo;
import org.apache.kafka.clients.admin.ScramMechanism;
import org.apache.kafka.clients.admin.UserScramCredentialAlteration;
import org.apache.kafka.clients.admin.UserScramCredentialDeletion;
import org.apache.kafka.clients.admin.UserScramCredentialUpsertion;
import org.apache.kafka.clients.admin.UserScramCredentialsDescription;
import org.apache.kafka.common.KafkaFuture;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.acl.AccessControlEntryFilter;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.acl.AclBindingFilter;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.acl.AclPermissionType;
import org.apache.kafka.common.config.SaslConfigs;
import org.apache.kafka.common.errors.AuthenticationException;
import org.apache.kafka.common.errors.ResourceNotFoundException;
import org.apache.kafka.common.quota.ClientQuotaAlteration;
import org.apache.kafka.common.quota.ClientQuotaEntity;
import org.apache.kafka.common.quota.ClientQuotaFilter;
import org.apache.kafka.common.quota.ClientQuotaFilterComponent;
import org.apache.kafka.common.resource.ResourcePatternFilter;

/**
 * Makes user commands real with the Admin API, per cluster and round: one {@code alterUserScramCredentials}
 * (SCRAM-SHA-512), a {@code describeAcls} per user, one {@code createAcls} (new ACLs first), one {@code deleteAcls}
 * (exact filters of the ACLs no longer wanted) and one {@code alterClientQuotas}. {@link #confirm} then holds back
 * each READY until the credential logs in on every broker and the ACLs and quotas are visible, and each DELETED until
 * no credential, ACL or quota of the user is left. See DESIGN.md beside this class's package.
 */
@ApplicationScoped
public class UserReconciler {

    /** The quota keys of a user, as Kafka names them. */
    static final String PRODUCER_BYTE_RATE = "producer_byte_rate";

    static final String CONSUMER_BYTE_RATE = "consumer_byte_rate";
    static final String REQUEST_PERCENTAGE = "request_percentage";

    private final ClusterRegistry clusters;
    private final ProvisionerConfig config;
    private final SecretBox secrets;

    public UserReconciler(ClusterRegistry clusters, ProvisionerConfig config, SecretBox secrets) {
        this.clusters = clusters;
        this.config = config;
        this.secrets = secrets;
    }

    /** Applies commands on distinct users and answers an outcome per command (never a retry). Completes when done; its Admin calls run on workers, its backoffs are timers. */
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
            } else if (!authenticatesClients(cluster)) {
                list.forEach(
                        c -> outcomes.put(
                                c,
                                Outcome.failed(
                                        FailureReason.INVALID_SPEC,
                                        "Cluster '" + cluster
                                                + "' is not reached over SASL, so a user's credential could not be used there; ask for "
                                                + "users on a cluster that authenticates clients with SCRAM-SHA-512. Nothing was changed.")));
            } else {
                Optional<String> own = clusters.ownUserName(cluster);
                List<RequestCommand> allowed = new ArrayList<>();
                for (RequestCommand c : list) {
                    if (own.isPresent() && own.get().equals(c.user().name())) {
                        outcomes.put(
                                c,
                                Outcome.failed(
                                        FailureReason.INVALID_SPEC,
                                        "'" + c.user().name() + "' is the "
                                                + "name the concierge itself logs in with on cluster '" + cluster
                                                + "'; choose another "
                                                + "name. Nothing was changed."));
                    } else {
                        allowed.add(c);
                    }
                }
                if (!allowed.isEmpty()) {
                    clusterRuns.add(
                            Retries.run(config.retry(), cluster, allowed, pending -> round(admin.get(), pending)));
                }
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

    private boolean authenticatesClients(String cluster) {
        Object protocol =
                clusters.clientSettings(cluster).orElse(Map.of()).get(CommonClientConfigs.SECURITY_PROTOCOL_CONFIG);
        return protocol != null && String.valueOf(protocol).startsWith("SASL_");
    }

    /** One round: each command gets a terminal outcome or a retry. */
    Map<RequestCommand, Outcome> round(Admin admin, List<RequestCommand> commands) {
        Map<RequestCommand, Outcome> out = new HashMap<>();
        // 1. credentials
        List<UserScramCredentialAlteration> alterations = new ArrayList<>();
        List<RequestCommand> altering = new ArrayList<>();
        for (RequestCommand c : commands) {
            String name = c.user().name();
            if (c.operation() == Operation.DELETE) {
                alterations.add(new UserScramCredentialDeletion(name, ScramMechanism.SCRAM_SHA_512));
                altering.add(c);
            } else if (c.credential() != null) {
                String password;
                try {
                    password = secrets.open(c.credential());
                } catch (RuntimeException e) {
                    out.put(
                            c,
                            Outcome.failed(
                                    FailureReason.INTERNAL,
                                    "The user's new password cannot be opened ("
                                            + e.getMessage()
                                            + "); nothing was changed. Check that the API and the provisioner share "
                                            + "concierge.secrets.key, then ask again."));
                    continue;
                }
                alterations.add(new UserScramCredentialUpsertion(
                        name,
                        new ScramCredentialInfo(
                                ScramMechanism.SCRAM_SHA_512, config.users().scramIterations()),
                        password));
                altering.add(c);
            } else if (c.operation() == Operation.CREATE) {
                out.put(
                        c,
                        Outcome.failed(
                                FailureReason.INVALID_SPEC,
                                "The request carries no password for the new " + "user; nothing was changed"));
            }
        }
        if (!alterations.isEmpty()) {
            Map<String, KafkaFuture<Void>> results =
                    admin.alterUserScramCredentials(alterations).values();
            for (RequestCommand c : altering) {
                try {
                    get(results.get(c.user().name()));
                } catch (Exception e) {
                    if (!(c.operation() == Operation.DELETE
                            && AdminErrors.unwrap(e) instanceof ResourceNotFoundException)) {
                        out.put(
                                c,
                                AdminErrors.classify(
                                        e,
                                        "Setting the credential of user '"
                                                + c.user().name() + "'"));
                    }
                }
            }
        }
        List<RequestCommand> pending =
                commands.stream().filter(c -> !out.containsKey(c)).toList();

        // 2. ACLs: the new ones first, then the ones no longer wanted, each by its exact filter
        Map<RequestCommand, Set<AclBinding>> creating = new LinkedHashMap<>();
        Map<RequestCommand, Set<AclBinding>> deleting = new LinkedHashMap<>();
        for (RequestCommand c : pending) {
            try {
                Set<AclBinding> existing = new HashSet<>(get(
                        admin.describeAcls(ofPrincipal(c.user().principal())).values()));
                Set<AclBinding> desired = c.operation() == Operation.DELETE ? Set.of() : UserAcls.of(c.user());
                Set<AclBinding> missing = new HashSet<>(desired);
                missing.removeAll(existing);
                Set<AclBinding> extra = new HashSet<>(existing);
                extra.removeAll(desired);
                creating.put(c, missing);
                deleting.put(c, extra);
            } catch (Exception e) {
                out.put(
                        c,
                        AdminErrors.classify(
                                e, "Describing the ACLs of user '" + c.user().name() + "'"));
            }
        }
        List<AclBinding> toCreate =
                creating.values().stream().flatMap(Set::stream).toList();
        if (!toCreate.isEmpty()) {
            Map<AclBinding, KafkaFuture<Void>> created =
                    admin.createAcls(toCreate).values();
            creating.forEach((c, acls) -> {
                for (AclBinding acl : acls) {
                    try {
                        get(created.get(acl));
                    } catch (Exception e) {
                        out.putIfAbsent(
                                c,
                                AdminErrors.classify(
                                        e,
                                        "Creating the ACLs of user '" + c.user().name() + "'"));
                    }
                }
            });
        }
        List<AclBindingFilter> toDelete = deleting.entrySet().stream()
                .filter(e -> !out.containsKey(e.getKey()))
                .flatMap(e -> e.getValue().stream())
                .map(AclBinding::toFilter)
                .toList();
        if (!toDelete.isEmpty()) {
            Map<AclBindingFilter, KafkaFuture<org.apache.kafka.clients.admin.DeleteAclsResult.FilterResults>> deleted =
                    admin.deleteAcls(toDelete).values();
            deleting.forEach((c, acls) -> {
                if (out.containsKey(c)) {
                    return;
                }
                for (AclBinding acl : acls) {
                    try {
                        get(deleted.get(acl.toFilter()));
                    } catch (Exception e) {
                        out.putIfAbsent(
                                c,
                                AdminErrors.classify(
                                        e,
                                        "Removing old ACLs of user '" + c.user().name() + "'"));
                    }
                }
            });
        }

        // 3. quotas: the asked ones set, the others removed
        List<RequestCommand> quoted =
                pending.stream().filter(c -> !out.containsKey(c)).toList();
        if (!quoted.isEmpty()) {
            List<ClientQuotaAlteration> alterations2 = quoted.stream()
                    .map(c -> new ClientQuotaAlteration(
                            entity(c.user().name()),
                            quotaOps(
                                    c.operation() == Operation.DELETE
                                            ? null
                                            : c.user().quotas())))
                    .toList();
            Map<ClientQuotaEntity, KafkaFuture<Void>> altered =
                    admin.alterClientQuotas(alterations2).values();
            for (RequestCommand c : quoted) {
                try {
                    get(altered.get(entity(c.user().name())));
                } catch (Exception e) {
                    out.put(
                            c,
                            AdminErrors.classify(
                                    e, "Setting the quotas of user '" + c.user().name() + "'"));
                }
            }
        }
        for (RequestCommand c : commands) {
            out.putIfAbsent(
                    c, Outcome.done(c.operation() == Operation.DELETE ? RequestState.DELETED : RequestState.READY));
        }
        return out;
    }

    /**
     * Holds back each READY until the user's password logs in on every broker and its ACLs and quotas are what was
     * asked; each DELETED until the cluster shows no credential, ACL or quota of the user. Past the deadline: FAILED,
     * CLUSTER_UNAVAILABLE, saying what was last seen. No thread waits between checks.
     */
    public Uni<Map<RequestCommand, Outcome>> confirm(Map<RequestCommand, Outcome> outcomes) {
        List<Uni<Map.Entry<RequestCommand, Outcome>>> checks = new ArrayList<>();
        Instant deadline = Instant.now().plus(config.users().deadline());
        outcomes.forEach((c, o) -> {
            Optional<Admin> admin = clusters.admin(c.resource().cluster());
            if (admin.isEmpty() || (o.state() != RequestState.READY && o.state() != RequestState.DELETED)) {
                checks.add(Uni.createFrom().item(Map.entry(c, o)));
            } else {
                checks.add(
                        until(
                                        () -> missing(admin.get(), c),
                                        deadline,
                                        config.users().initialBackoff())
                                .map(
                                        missing -> Map.entry(
                                                c,
                                                missing == null
                                                        ? o
                                                        : Outcome.failed(
                                                                FailureReason.CLUSTER_UNAVAILABLE,
                                                                "The change of user '"
                                                                        + c.user()
                                                                                .name()
                                                                        + "' was made, but the cluster does not show it in force after "
                                                                        + config.users()
                                                                                .deadline()
                                                                                .toSeconds() + " s: " + missing
                                                                        + ". Ask again with the same request; it is READY once it works."))));
            }
        });
        if (checks.isEmpty()) {
            return Uni.createFrom().item(Map.of());
        }
        return Uni.join().all(checks).andFailFast().map(entries -> {
            Map<RequestCommand, Outcome> all = new LinkedHashMap<>();
            entries.forEach(e -> all.put(e.getKey(), e.getValue()));
            return all;
        });
    }

    /** Runs {@code check} on a worker until it answers null or the deadline passes; answers its last answer. */
    private static Uni<String> until(Supplier<String> check, Instant deadline, Duration backoff) {
        return Uni.createFrom()
                .item(check)
                .runSubscriptionOn(Infrastructure.getDefaultWorkerPool())
                .chain(missing -> {
                    if (missing == null || Instant.now().isAfter(deadline)) {
                        return Uni.createFrom().item(missing);
                    }
                    Duration next = backoff.multipliedBy(2).compareTo(Duration.ofSeconds(1)) < 0
                            ? backoff.multipliedBy(2)
                            : Duration.ofSeconds(1);
                    return Uni.createFrom()
                            .voidItem()
                            .onItem()
                            .delayIt()
                            .by(backoff)
                            .chain(() -> until(check, deadline, next));
                });
    }

    /** What the cluster does not show yet of the command's outcome, or null when it shows all of it. */
    String missing(Admin admin, RequestCommand c) {
        UserSpec user = c.user();
        try {
            Set<AclBinding> acls = new HashSet<>(
                    get(admin.describeAcls(ofPrincipal(user.principal())).values()));
            Set<AclBinding> desired = c.operation() == Operation.DELETE ? Set.of() : UserAcls.of(user);
            if (!acls.equals(desired)) {
                return "its ACLs are " + acls.size() + " of which "
                        + acls.stream().filter(desired::contains).count() + " asked, " + desired.size()
                        + " asked in all";
            }
            Map<String, Double> quotas = get(admin.describeClientQuotas(ClientQuotaFilter.containsOnly(
                                    List.of(ClientQuotaFilterComponent.ofEntity(ClientQuotaEntity.USER, user.name()))))
                            .entities())
                    .getOrDefault(entity(user.name()), Map.of());
            Map<String, Double> wanted = c.operation() == Operation.DELETE ? Map.of() : quotaValues(user.quotas());
            if (!new TreeMap<>(quotas).equals(new TreeMap<>(wanted))) {
                return "its quotas are " + new TreeMap<>(quotas) + ", asked " + new TreeMap<>(wanted);
            }
            boolean exists = credentialExists(admin, user.name());
            if (c.operation() == Operation.DELETE) {
                return exists ? "its SCRAM credential is still there" : null;
            }
            if (!exists) {
                return "it has no SCRAM-SHA-512 credential yet";
            }
            if (c.credential() == null) {
                return null;
            }
            String password = secrets.open(c.credential());
            Map<String, Object> base =
                    clusters.clientSettings(c.resource().cluster()).orElseThrow();
            Collection<Node> nodes = get(admin.describeCluster().nodes());
            for (Node node : nodes) {
                String refused = login(base, node, user.name(), password);
                if (refused != null) {
                    return refused;
                }
            }
            return null;
        } catch (Exception e) {
            return "checking it failed: " + AdminErrors.unwrap(e).getMessage();
        }
    }

    private boolean credentialExists(Admin admin, String name) throws Exception {
        try {
            Map<String, UserScramCredentialsDescription> described =
                    get(admin.describeUserScramCredentials(List.of(name)).all());
            UserScramCredentialsDescription d = described.get(name);
            return d != null
                    && d.credentialInfos().stream().anyMatch(i -> i.mechanism() == ScramMechanism.SCRAM_SHA_512);
        } catch (Exception e) {
            if (AdminErrors.unwrap(e) instanceof ResourceNotFoundException) {
                return false;
            }
            throw e;
        }
    }

    /** Logs in as the user on one broker (the bootstrap connection authenticates); null when it works. */
    private String login(Map<String, Object> base, Node node, String name, String password) {
        Map<String, Object> props = new HashMap<>();
        base.forEach((k, v) -> {
            if (k.equals(CommonClientConfigs.SECURITY_PROTOCOL_CONFIG) || k.startsWith("ssl.")) {
                props.put(k, v);
            }
        });
        props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, node.host() + ":" + node.port());
        props.put(SaslConfigs.SASL_MECHANISM, ScramMechanism.SCRAM_SHA_512.mechanismName());
        props.put(
                SaslConfigs.SASL_JAAS_CONFIG,
                "org.apache.kafka.common.security.scram.ScramLoginModule required " + "username=\"" + name
                        + "\" password=\"" + password + "\";");
        props.put(AdminClientConfig.CLIENT_ID_CONFIG, "kafka-concierge-login-check");
        props.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 5000);
        props.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 5000);
        try (Admin admin = Admin.create(props)) {
            admin.listTopics().names().get(10, TimeUnit.SECONDS);
            return null;
        } catch (Exception e) {
            Throwable t = AdminErrors.unwrap(e);
            return t instanceof AuthenticationException
                    ? "broker " + node.id() + " does not accept its password yet"
                    : "logging in on broker " + node.id() + " failed: "
                            + t.getClass().getSimpleName();
        }
    }

    private static AclBindingFilter ofPrincipal(String principal) {
        return new AclBindingFilter(
                ResourcePatternFilter.ANY,
                new AccessControlEntryFilter(principal, null, AclOperation.ANY, AclPermissionType.ANY));
    }

    private static ClientQuotaEntity entity(String user) {
        return new ClientQuotaEntity(Map.of(ClientQuotaEntity.USER, user));
    }

    static Map<String, Double> quotaValues(UserSpec.Quotas quotas) {
        Map<String, Double> values = new HashMap<>();
        if (quotas != null) {
            if (quotas.producerByteRate() != null) {
                values.put(PRODUCER_BYTE_RATE, quotas.producerByteRate().doubleValue());
            }
            if (quotas.consumerByteRate() != null) {
                values.put(CONSUMER_BYTE_RATE, quotas.consumerByteRate().doubleValue());
            }
            if (quotas.requestPercentage() != null) {
                values.put(REQUEST_PERCENTAGE, quotas.requestPercentage());
            }
        }
        return values;
    }

    /** Sets the asked quotas and removes the others (a null value removes). */
    private static List<ClientQuotaAlteration.Op> quotaOps(UserSpec.Quotas quotas) {
        Map<String, Double> values = quotaValues(quotas);
        return List.of(PRODUCER_BYTE_RATE, CONSUMER_BYTE_RATE, REQUEST_PERCENTAGE).stream()
                .map(k -> new ClientQuotaAlteration.Op(k, values.get(k)))
                .toList();
    }

    private <T> T get(KafkaFuture<T> future) throws Exception {
        return future.get(config.adminTimeout().toMillis(), TimeUnit.MILLISECONDS);
    }
}
