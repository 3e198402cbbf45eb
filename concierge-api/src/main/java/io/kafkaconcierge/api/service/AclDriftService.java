package io.kafkaconcierge.api.service;

import io.kafkaconcierge.api.config.ApiConfig;
import io.kafkaconcierge.api.guard.ClusterOpinion;
import io.kafkaconcierge.api.rest.dto.AclDrift;
import io.kafkaconcierge.api.rest.dto.AclDrift.StrayAcl;
import io.kafkaconcierge.api.rest.dto.AclDrift.StrayScramUser;
import io.kafkaconcierge.api.view.ClusterDirectory;
import io.kafkaconcierge.api.view.RequestView;
import io.kafkaconcierge.api.view.UserStatus;
import io.kafkaconcierge.contracts.ClusterInfo;
import io.kafkaconcierge.contracts.UserSpec;
import io.kafkaconcierge.contracts.kafka.ServiceAccess;
import io.kafkaconcierge.contracts.kafka.UserAcls;
import io.kafkaconcierge.problem.ProblemException;
import io.kafkaconcierge.security.Caller;
import io.kafkaconcierge.security.Callers;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ScramCredentialInfo;
import org.apache.kafka.clients.admin.UserScramCredentialsDescription;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.acl.AclBindingFilter;
import org.apache.kafka.common.errors.AuthenticationException;
import org.apache.kafka.common.errors.AuthorizationException;
import org.apache.kafka.common.errors.SecurityDisabledException;
import org.apache.kafka.common.errors.UnsupportedVersionException;

/**
 * The drift report of a registered cluster (admins only): its ACLs and SCRAM users that no live concierge user
 * accounts for, read with the Admin client the API keeps for the cluster ({@link ClusterOpinion}). An ACL is
 * accounted for when its principal is a live concierge user of the cluster and its grants (asked or in force) give
 * it, or when it is one of the concierge's own principals (its services, {@link ServiceAccess}, and the user the API
 * logs in with there). A SCRAM user is accounted for when it is a live concierge user or one of those principals.
 * Where the cluster cannot be read, a problem says why: never an empty report that would read as "no drift".
 */
@ApplicationScoped
public class AclDriftService {

    private static final int TIMEOUT_MS = 10_000;

    private final RequestView view;
    private final ClusterDirectory directory;
    private final ClusterOpinion clusters;
    private final Callers callers;
    private final ApiConfig config;

    public AclDriftService(
            RequestView view, ClusterOpinion clusters, Callers callers, ApiConfig config, ClusterDirectory directory) {
        this.directory = directory;
        this.view = view;
        this.clusters = clusters;
        this.callers = callers;
        this.config = config;
    }

    public Uni<AclDrift> drift(String cluster) {
        return Uni.createFrom().deferred(() -> {
            Caller caller = callers.current();
            if (!caller.admin()) {
                throw Callers.forbidden("Only platform admins may read the drift report of a cluster");
            }
            ClusterInfo info = directory
                    .cluster(cluster)
                    .orElseThrow(() -> ProblemException.notFound(
                            "No registered cluster '" + cluster + "'; there are " + directory.names()));
            if (!info.reachable()) {
                throw ProblemException.unavailable(
                        "Cluster '" + cluster + "' was not reachable at its last check (" + info.message()
                                + "); its ACLs cannot be read now",
                        config.retryAfterSeconds());
            }
            // blocking Admin calls: on a worker, never on the event loop
            return Uni.createFrom().item(() -> read(info)).runSubscriptionOn(Infrastructure.getDefaultWorkerPool());
        });
    }

    private AclDrift read(ClusterInfo cluster) {
        Admin admin = clusters.admin(cluster);
        List<AclBinding> acls;
        Map<String, UserScramCredentialsDescription> scram;
        try {
            acls = new ArrayList<>(
                    admin.describeAcls(AclBindingFilter.ANY).values().get(TIMEOUT_MS, TimeUnit.MILLISECONDS));
            scram = admin.describeUserScramCredentials().all().get(TIMEOUT_MS, TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            throw cannotRead(cluster.name(), e.getCause());
        } catch (TimeoutException e) {
            throw ProblemException.unavailable(
                    "Cluster '" + cluster.name() + "' did not answer within " + TIMEOUT_MS / 1000 + " s"
                            + credentialsHint(cluster.name()),
                    config.retryAfterSeconds());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw ProblemException.unavailable(
                    "Interrupted while reading cluster '" + cluster.name() + "'", config.retryAfterSeconds());
        }
        return compare(cluster.name(), acls, scram);
    }

    /** The comparison itself (pure, given the view): what no concierge user or service accounts for. */
    AclDrift compare(String cluster, List<AclBinding> acls, Map<String, UserScramCredentialsDescription> scram) {
        Map<String, Set<AclBinding>> granted = new HashMap<>();
        List<UserStatus> users = view.usersOn(cluster);
        for (UserStatus u : users) {
            Set<AclBinding> set = granted.computeIfAbsent(u.name(), n -> new HashSet<>());
            for (UserSpec spec : new UserSpec[] {u.requested(), u.spec()}) {
                if (spec != null) {
                    set.addAll(UserAcls.of(spec));
                }
            }
        }
        Set<String> own = new TreeSet<>();
        ServiceAccess.ALL.forEach(g -> own.add(g.principal()));
        clusters.loginUser(cluster).ifPresent(u -> own.add("User:" + u));

        List<StrayAcl> strayAcls = new ArrayList<>();
        for (AclBinding acl : acls) {
            String principal = acl.entry().principal();
            if (own.contains(principal)) {
                continue;
            }
            String user = principal.startsWith("User:") ? principal.substring("User:".length()) : null;
            String reason;
            if (user == null || !granted.containsKey(user)) {
                reason = user == null
                        ? "not a user principal; the concierge manages only User: principals"
                        : "no concierge user '" + user + "' on this cluster";
            } else if (!granted.get(user).contains(acl)) {
                reason = "not given by the grants of concierge user '" + user + "'";
            } else {
                continue;
            }
            strayAcls.add(new StrayAcl(
                    principal,
                    acl.entry().host(),
                    acl.pattern().resourceType().name(),
                    acl.pattern().name(),
                    acl.pattern().patternType().name(),
                    acl.entry().operation().name(),
                    acl.entry().permissionType().name(),
                    reason));
        }
        strayAcls.sort(Comparator.comparing(StrayAcl::principal)
                .thenComparing(StrayAcl::resourceType)
                .thenComparing(StrayAcl::resourceName)
                .thenComparing(StrayAcl::operation));

        List<StrayScramUser> strayUsers = new ArrayList<>();
        for (Map.Entry<String, UserScramCredentialsDescription> e : new java.util.TreeMap<>(scram).entrySet()) {
            if (own.contains("User:" + e.getKey()) || granted.containsKey(e.getKey())) {
                continue;
            }
            strayUsers.add(new StrayScramUser(
                    e.getKey(),
                    e.getValue().credentialInfos().stream()
                            .map(ScramCredentialInfo::mechanism)
                            .map(m -> m.mechanismName())
                            .sorted()
                            .toList(),
                    "no concierge user '" + e.getKey() + "' on this cluster"));
        }
        return new AclDrift(
                cluster,
                Instant.now(),
                List.copyOf(strayAcls),
                List.copyOf(strayUsers),
                users.size(),
                List.copyOf(own));
    }

    private ProblemException cannotRead(String cluster, Throwable cause) {
        // the cluster's words, never a Java class name (answers name no internals)
        String said = cause.getMessage() == null || cause.getMessage().contains("Exception")
                ? "the cluster gave no reason"
                : "the cluster said: " + cause.getMessage();
        if (cause instanceof SecurityDisabledException) {
            return ProblemException.conflict(
                    "cluster-without-authorizer",
                    "The cluster has no authorizer",
                    "Cluster '" + cluster + "' runs without an authorizer, so it has no ACLs to compare (" + said
                            + ")");
        }
        if (cause instanceof AuthorizationException || cause instanceof AuthenticationException) {
            return ProblemException.conflict(
                    "cluster-not-readable",
                    "The API may not read the cluster's ACLs",
                    "The API's client for cluster '" + cluster + "' may not describe its ACLs and SCRAM users ("
                            + said + ")" + credentialsHint(cluster) + "; it needs Describe and DescribeConfigs on "
                            + "the cluster, or a super user");
        }
        if (cause instanceof UnsupportedVersionException) {
            return ProblemException.conflict(
                    "cluster-not-readable",
                    "The cluster cannot say",
                    "Cluster '" + cluster + "' does not support reading its ACLs or SCRAM users (" + said + ")");
        }
        return ProblemException.unavailable(
                "Reading the ACLs of cluster '" + cluster + "' failed (" + said + ")" + credentialsHint(cluster),
                config.retryAfterSeconds());
    }

    private String credentialsHint(String cluster) {
        return clusters.configured(cluster)
                ? ""
                : "; no client properties are configured for it: set concierge.api.guard.clusters." + cluster
                        + ".* (security.protocol, sasl.mechanism, sasl.jaas.config)";
    }
}
