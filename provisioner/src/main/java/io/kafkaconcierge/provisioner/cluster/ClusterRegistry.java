package io.kafkaconcierge.provisioner.cluster;

import io.kafkaconcierge.contracts.kafka.ClientSettings;
import io.kafkaconcierge.provisioner.config.ProvisionerConfig;
import io.smallrye.common.annotation.Identifier;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListMap;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;

/** The clusters requests may target, each with one shared Admin client, created on first use. */
@ApplicationScoped
public class ClusterRegistry {

    public static final String LOCAL = "local";

    private final Map<String, Map<String, Object>> settings = new ConcurrentSkipListMap<>();
    private final int timeoutMs;
    private final Map<String, Admin> admins = new ConcurrentHashMap<>();
    private final Map<String, String> environments = new ConcurrentHashMap<>();

    /**
     * @param ownKafka the concierge's own Kafka settings: only for {@code local}, which is that Kafka; every other
     *                 cluster connects with its own {@code clusters.<name>.*} settings alone
     */
    public ClusterRegistry(ProvisionerConfig config, @Identifier("default-kafka-broker") Map<String, Object> ownKafka) {
        this.timeoutMs = (int) config.adminTimeout().toMillis();
        if (config.localCluster() && !config.clusters().containsKey(LOCAL)) {
            Map<String, Object> own = ClientSettings.of(ownKafka);
            settings.put(LOCAL, clientProperties(ClientSettings.bootstrapServers(own), own, timeoutMs));
        }
        config.clusters().forEach((name, cluster) -> {
            settings.put(name, clientProperties(cluster.bootstrapServers(), cluster.properties(), timeoutMs));
            environments.put(name, cluster.environment());
        });
    }

    /**
     * The environment class of a registered cluster (configured; {@code dev} for the local one). An instance's is in
     * its spec, which the API reads: null here.
     */
    public String environment(String cluster) {
        return environments.get(cluster);
    }

    private static Map<String, Object> clientProperties(String bootstrap, Map<String, ?> extra, int timeoutMs) {
        Map<String, Object> props = new HashMap<>(extra);
        props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        props.putIfAbsent(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, Math.min(timeoutMs, 10_000));
        props.putIfAbsent(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, timeoutMs);
        props.putIfAbsent(AdminClientConfig.CLIENT_ID_CONFIG, "kafka-concierge-provisioner");
        return props;
    }

    /** Adds a provisioned instance (or changes its address); requests may target it by name from now on. */
    public void register(String name, String bootstrapServers) {
        register(name, bootstrapServers, Map.of());
    }

    /**
     * Adds a provisioned instance that the concierge reaches with {@code security} (SASL settings with its own
     * credential on an instance with security); every Admin client made for it from now on uses them.
     */
    public void register(String name, String bootstrapServers, Map<String, ?> security) {
        Map<String, Object> props = clientProperties(bootstrapServers, security, timeoutMs);
        Map<String, Object> old = settings.put(name, props);
        if (old != null && !old.equals(props)) {
            Admin stale = admins.remove(name);
            if (stale != null) {
                stale.close(java.time.Duration.ZERO);
            }
        }
    }

    /** Removes a deleted instance; true if it was registered. */
    public boolean unregister(String name) {
        Admin admin = admins.remove(name);
        if (admin != null) {
            admin.close(java.time.Duration.ZERO);
        }
        return settings.remove(name) != null;
    }

    public Set<String> names() {
        return settings.keySet();
    }

    /** Where clients of a registered cluster connect. */
    public String bootstrapServers(String cluster) {
        return String.valueOf(settings.get(cluster).get(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG));
    }

    /** The client settings of a registered cluster (its address and the concierge's security settings), a copy. */
    public Optional<Map<String, Object>> clientSettings(String cluster) {
        Map<String, Object> props = settings.get(cluster);
        return props == null ? Optional.empty() : Optional.of(new HashMap<>(props));
    }

    /**
     * The user name the concierge itself logs in with on the cluster (from its {@code sasl.jaas.config}), if it logs
     * in with one: no Kafka user the concierge manages may take that name, or changing its credential would lock
     * the concierge out.
     */
    public Optional<String> ownUserName(String cluster) {
        Map<String, Object> props = settings.get(cluster);
        Object jaas = props == null ? null : props.get(org.apache.kafka.common.config.SaslConfigs.SASL_JAAS_CONFIG);
        if (jaas == null) {
            return Optional.empty();
        }
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("username=\"([^\"]*)\"")
                .matcher(String.valueOf(
                        jaas instanceof org.apache.kafka.common.config.types.Password pw ? pw.value() : jaas));
        return m.find() ? Optional.of(m.group(1)) : Optional.empty();
    }

    public Optional<Admin> admin(String cluster) {
        Map<String, Object> props = settings.get(cluster);
        return props == null
                ? Optional.empty()
                : Optional.of(admins.computeIfAbsent(cluster, c -> Admin.create(props)));
    }

    @PreDestroy
    void close() {
        admins.values().forEach(Admin::close);
    }
}
