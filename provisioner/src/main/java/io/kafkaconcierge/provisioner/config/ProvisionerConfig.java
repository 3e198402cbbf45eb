package io.kafkaconcierge.provisioner.config;

import java.time.Duration;
import java.util.Map;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

@ConfigMapping(prefix = "concierge.provisioner")
public interface ProvisionerConfig {

    /** The cluster registry: name (as requests give it in {@code cluster}) to connection settings. */
    Map<String, Cluster> clusters();

    /** Registers a cluster named {@code local} at the concierge's own {@code kafka.bootstrap.servers}, unless
     * {@code clusters.local} is configured. */
    @WithDefault("true")
    boolean localCluster();

    /** How often every registered cluster is described and published on {@code concierge.clusters}. */
    @WithDefault("30s")
    Duration clusterCheckInterval();

    /** How far back, at start, the provisioner reads its own outcomes to recognise redelivered commands. */
    @WithDefault("1h")
    Duration dedupWindow();

    /** Timeout of one Admin API call. */
    @WithDefault("15s")
    Duration adminTimeout();

    /** Retries of transient cluster errors (timeouts, broker unavailable). */
    Retry retry();

    interface Cluster {
        /** The cluster's bootstrap servers. */
        String bootstrapServers();

        /** Further Admin client properties: security.protocol, sasl.*, ssl.* ... */
        Map<String, String> properties();
    }

    interface Retry {
        /** Attempts of one request before it FAILS with CLUSTER_UNAVAILABLE. */
        @WithDefault("6")
        int maxAttempts();

        /** Wait before the second attempt; doubled for each next one. */
        @WithDefault("500ms")
        Duration initialBackoff();

        /** The longest wait between two attempts. */
        @WithDefault("10s")
        Duration maxBackoff();
    }
}
