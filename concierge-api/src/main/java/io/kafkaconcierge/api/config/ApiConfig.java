package io.kafkaconcierge.api.config;

import java.time.Duration;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

@ConfigMapping(prefix = "concierge.api")
public interface ApiConfig {

    /** Limits on what a topic request may ask for. */
    Topics topics();

    /** How long an Idempotency-Key is remembered: the same key with the same body returns the first request. */
    @WithDefault("24h")
    Duration idempotencyRetention();

    /** Seconds a client is told to wait (Retry-After) when Kafka cannot take a request. */
    @WithDefault("5")
    int retryAfterSeconds();

    /** Largest page a list endpoint returns. */
    @WithDefault("500")
    int maxPageSize();

    interface Topics {
        /** The most partitions one topic may have. */
        @WithDefault("1000")
        int maxPartitions();
    }
}
