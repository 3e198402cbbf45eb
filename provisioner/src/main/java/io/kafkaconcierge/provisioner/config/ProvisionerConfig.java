package io.kafkaconcierge.provisioner.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;

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

    /** How a topic change is confirmed in the cluster's metadata before its READY or DELETED is announced. */
    Visibility visibility();

    /** Dedicated instances: which backend makes them real, and its settings. */
    Instances instances();

    /** Kafka users (service accounts): their SCRAM credentials and the check that they work. */
    Users users();

    interface Users {
        /** Iterations of the SCRAM-SHA-512 credentials made (Kafka allows 4096 to 16384). */
        @WithDefault("8192")
        int scramIterations();

        /**
         * How long a new credential (and the ACLs and quotas) may take to work on every broker before the request
         * FAILS with CLUSTER_UNAVAILABLE.
         */
        @WithDefault("60s")
        Duration deadline();

        /** Wait before the second check that a credential works; doubled for each next one, up to 1 s. */
        @WithDefault("100ms")
        Duration initialBackoff();
    }

    interface Instances {
        /** {@code local} (broker processes on this machine) or {@code strimzi} (Kafka custom resources). */
        @WithDefault("local")
        String backend();

        /** How long an instance may take to become ready before its request FAILS. */
        @WithDefault("5m")
        Duration readyTimeout();

        /** The local backend. */
        Local local();

        /** The Strimzi backend. */
        Strimzi strimzi();
    }

    interface Local {
        /**
         * The classpath of the broker processes: the Kafka jars and {@code local-kafka}'s launcher
         * ({@code bin/concierge-local} sets it). Without it, instance requests FAIL with a message saying so.
         */
        Optional<String> brokerClasspath();

        /** Where each instance gets a folder: properties, data, logs, pid files. */
        @WithDefault("${java.io.tmpdir}/kafka-concierge/instances")
        String root();

        /** The java command of the broker processes; the provisioner's own by default. */
        Optional<String> java();

        /** JVM options of a broker process. */
        @WithDefault("-Xms64m -Xmx384m -XX:+UseSerialGC -XX:TieredStopAtLevel=1")
        String brokerJvmOptions();

        /** JVM options of a dedicated controller process. */
        @WithDefault("-Xms32m -Xmx160m -XX:+UseSerialGC -XX:TieredStopAtLevel=1")
        String controllerJvmOptions();

        /** How often the processes of ready instances are checked; a dead one is restarted. */
        @WithDefault("1s")
        Duration checkInterval();
    }

    interface Strimzi {
        /** The namespace the Kafka resources are written to; the client's namespace when absent. */
        Optional<String> namespace();

        /** What an {@code external} listener becomes: {@code loadbalancer}, {@code nodeport}, {@code route}. */
        @WithDefault("loadbalancer")
        String externalListenerType();

        /**
         * The informers' resync period: how often every watched resource is examined again from the informers' cache
         * without a change from the API server (no request to it). Changes themselves are acted on as the API server
         * reports them; the resync is a safety net, and the most a request can outlive its {@code ready-timeout}.
         * The name is from when the status was polled. At least 1s (fabric8 raises a shorter one to 1s).
         */
        @WithDefault("30s")
        Duration pollInterval();
    }

    interface Cluster {
        /** The cluster's bootstrap servers. */
        String bootstrapServers();

        /** Further Admin client properties: security.protocol, sasl.*, ssl.* ... */
        Map<String, String> properties();

        /** The environment class whose policy applies to its topics: dev, test or prod. */
        @WithDefault("dev")
        String environment();
    }

    interface Visibility {
        /**
         * How long a created, changed or deleted topic may take to show in the cluster's metadata (a leader for every
         * partition, the changed configs, gone) before its request FAILS with CLUSTER_UNAVAILABLE.
         */
        @WithDefault("60s")
        Duration deadline();

        /** Wait before the second check of the metadata; doubled for each next one. */
        @WithDefault("50ms")
        Duration initialBackoff();

        /** The longest wait between two checks of the metadata. */
        @WithDefault("1s")
        Duration maxBackoff();
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
