package io.kafkaconcierge.contracts.kafka;

import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import org.apache.kafka.clients.CommonClientConfigs;

/**
 * The Kafka client properties in a service's {@code kafka.*} configuration (as SmallRye's
 * {@code default-kafka-broker} map gives it): what every producer, consumer and Admin client of the concierge's own
 * Kafka is built from, so that it connects as the messaging channels do, security settings included
 * ({@code security.protocol}, {@code sasl.mechanism}, {@code sasl.jaas.config}, {@code ssl.*}; as environment
 * variables {@code KAFKA_SECURITY_PROTOCOL}, {@code KAFKA_SASL_MECHANISM}, {@code KAFKA_SASL_JAAS_CONFIG}, ...).
 * Target clusters (registered clusters, instances) have settings of their own and are never built from these.
 */
public final class ClientSettings {

    private static final String ENV_PREFIX = "KAFKA_";

    private ClientSettings() {}

    /** Only what a Kafka client understands: dotted properties (bootstrap.servers, security.protocol, sasl.*, ...). */
    public static Map<String, Object> of(Map<String, Object> kafkaConfig) {
        Map<String, Object> settings = new HashMap<>();
        kafkaConfig.forEach((k, v) -> {
            if (k.contains(".") && !k.startsWith("devservices") && !k.startsWith("health") && !k.startsWith("snappy")) {
                settings.put(k, v);
            }
        });
        return Map.copyOf(settings);
    }

    /**
     * The same settings read from environment variables, the way Quarkus maps them to {@code kafka.*}
     * ({@code KAFKA_SASL_JAAS_CONFIG} is {@code sasl.jaas.config}), for the command-line tools that run without
     * Quarkus; {@code bootstrapServers} wins over {@code KAFKA_BOOTSTRAP_SERVERS}.
     */
    public static Map<String, Object> fromEnvironment(Map<String, String> env, String bootstrapServers) {
        Map<String, Object> settings = new HashMap<>();
        env.forEach((k, v) -> {
            if (k.startsWith(ENV_PREFIX) && k.length() > ENV_PREFIX.length()) {
                settings.put(
                        k.substring(ENV_PREFIX.length())
                                .toLowerCase(Locale.ROOT)
                                .replace('_', '.'),
                        v);
            }
        });
        settings.put(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        return of(settings);
    }

    /** {@code settings} with {@code overrides} on top (client ids, serializers, timeouts of one client). */
    public static Map<String, Object> with(Map<String, Object> settings, Map<String, Object> overrides) {
        Map<String, Object> merged = new HashMap<>(settings);
        merged.putAll(overrides);
        return merged;
    }

    /** Where these settings connect, for messages. */
    public static String bootstrapServers(Map<String, Object> settings) {
        return String.valueOf(settings.get(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG));
    }
}
