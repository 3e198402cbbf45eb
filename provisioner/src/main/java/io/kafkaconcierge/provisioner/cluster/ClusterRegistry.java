package io.kafkaconcierge.provisioner.cluster;

import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.ConcurrentHashMap;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import io.kafkaconcierge.provisioner.config.ProvisionerConfig;

/** The clusters requests may target, each with one shared Admin client, created on first use. */
@ApplicationScoped
public class ClusterRegistry {

    public static final String LOCAL = "local";

    private final Map<String, Map<String, Object>> settings = new ConcurrentSkipListMap<>();
    private final int timeoutMs;
    private final Map<String, Admin> admins = new ConcurrentHashMap<>();

    public ClusterRegistry(ProvisionerConfig config,
            @ConfigProperty(name = "kafka.bootstrap.servers") String ownBootstrapServers) {
        this.timeoutMs = (int) config.adminTimeout().toMillis();
        if (config.localCluster() && !config.clusters().containsKey(LOCAL)) {
            settings.put(LOCAL, clientProperties(ownBootstrapServers, Map.of(), timeoutMs));
        }
        config.clusters().forEach((name, cluster) -> settings.put(name,
                clientProperties(cluster.bootstrapServers(), cluster.properties(), timeoutMs)));
    }

    private static Map<String, Object> clientProperties(String bootstrap, Map<String, String> extra, int timeoutMs) {
        Map<String, Object> props = new HashMap<>(extra);
        props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        props.putIfAbsent(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, Math.min(timeoutMs, 10_000));
        props.putIfAbsent(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, timeoutMs);
        props.putIfAbsent(AdminClientConfig.CLIENT_ID_CONFIG, "kafka-concierge-provisioner");
        return props;
    }

    /** Adds a provisioned instance (or changes its address); requests may target it by name from now on. */
    public void register(String name, String bootstrapServers) {
        Map<String, Object> props = clientProperties(bootstrapServers, Map.of(), timeoutMs);
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

    public Optional<Admin> admin(String cluster) {
        Map<String, Object> props = settings.get(cluster);
        return props == null ? Optional.empty() : Optional.of(admins.computeIfAbsent(cluster, c -> Admin.create(props)));
    }

    @PreDestroy
    void close() {
        admins.values().forEach(Admin::close);
    }
}
