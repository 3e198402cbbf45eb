package io.kafkaconcierge.contracts.kafka;

import java.util.HashMap;
import java.util.Map;

/**
 * The Kafka client properties in a service's {@code kafka.*} configuration (as SmallRye's
 * {@code default-kafka-broker} map gives it): what a plain producer or consumer should be built from, so that it
 * connects as the messaging channels do, security settings included.
 */
public final class ClientSettings {

    private ClientSettings() {
    }

    /** Only what a Kafka client understands: dotted properties (bootstrap.servers, security.protocol, sasl.*, ...). */
    public static Map<String, Object> of(Map<String, Object> kafkaConfig) {
        Map<String, Object> settings = new HashMap<>();
        kafkaConfig.forEach((k, v) -> {
            if (k.contains(".") && !k.startsWith("devservices") && !k.startsWith("health")
                    && !k.startsWith("snappy")) {
                settings.put(k, v);
            }
        });
        return Map.copyOf(settings);
    }
}
