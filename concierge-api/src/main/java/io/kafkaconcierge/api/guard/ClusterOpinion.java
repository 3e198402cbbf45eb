package io.kafkaconcierge.api.guard;

import io.kafkaconcierge.api.config.ApiConfig;
import io.kafkaconcierge.api.view.ClusterDirectory;
import io.kafkaconcierge.contracts.ClusterInfo;
import io.kafkaconcierge.contracts.Operation;
import io.kafkaconcierge.contracts.TopicSpec;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.AlterConfigOp;
import org.apache.kafka.clients.admin.AlterConfigsOptions;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.CreatePartitionsOptions;
import org.apache.kafka.clients.admin.CreateTopicsOptions;
import org.apache.kafka.clients.admin.NewPartitions;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.errors.ClusterAuthorizationException;
import org.apache.kafka.common.errors.TopicAuthorizationException;

/**
 * The target cluster's own opinion of a topic request, for a dry run only: {@code createTopics},
 * {@code createPartitions} and {@code incrementalAlterConfigs} with {@code validateOnly}, which change nothing on the
 * cluster. The API reaches the cluster at the bootstrap servers the provisioner published, with the client
 * properties of {@code concierge.api.guard.clusters.<name>.*} (credentials of a secured cluster); where it cannot
 * ask, the plan says why instead of an opinion.
 */
@ApplicationScoped
public class ClusterOpinion {

    /** What the cluster said: {@code checked} false when it could not be asked (then {@code message} says why). */
    public record Opinion(boolean checked, boolean valid, String message) {}

    private static final int TIMEOUT_MS = 5_000;

    private final ClusterDirectory directory;
    private final ApiConfig.Guard config;
    private final Map<String, Admin> admins = new ConcurrentHashMap<>();

    public ClusterOpinion(ClusterDirectory directory, ApiConfig config) {
        this.directory = directory;
        this.config = config.guard();
    }

    public Opinion topic(Operation operation, TopicSpec target, TopicSpec current) {
        Optional<ClusterInfo> cluster = directory.cluster(target.cluster());
        if (cluster.isEmpty() || !cluster.get().reachable()) {
            return new Opinion(false, false, "the cluster was not reachable at its last check");
        }
        try {
            Admin admin = admin(cluster.get());
            List<String> said = new ArrayList<>();
            if (operation == Operation.CREATE) {
                NewTopic topic = new NewTopic(target.name(), target.partitions(), target.replicationFactor())
                        .configs(target.config());
                admin.createTopics(List.of(topic), new CreateTopicsOptions().validateOnly(true))
                        .all()
                        .get(TIMEOUT_MS, TimeUnit.MILLISECONDS);
                said.add("createTopics would succeed");
            } else if (operation == Operation.UPDATE && current != null) {
                if (target.partitions() > current.partitions()) {
                    admin.createPartitions(
                                    Map.of(target.name(), NewPartitions.increaseTo(target.partitions())),
                                    new CreatePartitionsOptions().validateOnly(true))
                            .all()
                            .get(TIMEOUT_MS, TimeUnit.MILLISECONDS);
                    said.add("createPartitions would succeed");
                }
                List<AlterConfigOp> ops = new ArrayList<>();
                target.config().forEach((k, v) -> {
                    if (!v.equals(current.config().get(k))) {
                        ops.add(new AlterConfigOp(new ConfigEntry(k, v), AlterConfigOp.OpType.SET));
                    }
                });
                current.config().keySet().stream()
                        .filter(k -> !target.config().containsKey(k))
                        .forEach(
                                k -> ops.add(new AlterConfigOp(new ConfigEntry(k, null), AlterConfigOp.OpType.DELETE)));
                if (!ops.isEmpty()) {
                    admin.incrementalAlterConfigs(
                                    Map.of(new ConfigResource(ConfigResource.Type.TOPIC, target.name()), ops),
                                    new AlterConfigsOptions().validateOnly(true))
                            .all()
                            .get(TIMEOUT_MS, TimeUnit.MILLISECONDS);
                    said.add("incrementalAlterConfigs would succeed");
                }
            } else {
                return new Opinion(false, false, "a delete is not validated by the cluster");
            }
            return new Opinion(
                    true, true, said.isEmpty() ? "nothing to change on the cluster" : String.join("; ", said));
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof TopicAuthorizationException || cause instanceof ClusterAuthorizationException) {
                return new Opinion(false, false, "the API may not ask this cluster (" + cause.getMessage() + ")");
            }
            return new Opinion(true, false, cause.getClass().getSimpleName() + ": " + cause.getMessage());
        } catch (java.util.concurrent.TimeoutException e) {
            return new Opinion(false, false, "the cluster did not answer within " + TIMEOUT_MS + " ms");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Opinion(false, false, "interrupted");
        } catch (RuntimeException e) {
            return new Opinion(false, false, "the cluster could not be asked: " + e.getMessage());
        }
    }

    /**
     * The Admin client the API keeps for a registered cluster (made on first use, with the client properties of
     * {@code concierge.api.guard.clusters.<name>.*}): for dry runs, and for reading the cluster's ACLs and SCRAM
     * users in the drift report. Its calls time out after a few seconds.
     */
    public Admin admin(ClusterInfo cluster) {
        return admins.computeIfAbsent(cluster.name(), c -> Admin.create(settings(cluster)));
    }

    /** Whether client properties (credentials) are configured for the cluster. */
    public boolean configured(String cluster) {
        return config.clusters().containsKey(cluster);
    }

    /** The SCRAM/PLAIN user name the API logs in with on the cluster, if its JAAS config names one. */
    public Optional<String> loginUser(String cluster) {
        String jaas = config.clusters().getOrDefault(cluster, Map.of()).get("sasl.jaas.config");
        if (jaas == null) {
            return Optional.empty();
        }
        java.util.regex.Matcher m =
                java.util.regex.Pattern.compile("username\\s*=\\s*\"([^\"]*)\"").matcher(jaas);
        return m.find() ? Optional.of(m.group(1)) : Optional.empty();
    }

    private Map<String, Object> settings(ClusterInfo cluster) {
        Map<String, Object> settings = new HashMap<>(config.clusters().getOrDefault(cluster.name(), Map.of()));
        settings.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, cluster.bootstrapServers());
        settings.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, TIMEOUT_MS);
        settings.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, TIMEOUT_MS);
        settings.put(AdminClientConfig.CLIENT_ID_CONFIG, "concierge-api-dry-run");
        return settings;
    }

    @PreDestroy
    void close() {
        admins.values().forEach(a -> a.close(java.time.Duration.ofSeconds(1)));
    }
}
