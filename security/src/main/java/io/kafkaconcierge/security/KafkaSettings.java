package io.kafkaconcierge.security;

import io.kafkaconcierge.contracts.kafka.ClientSettings;
import io.smallrye.common.annotation.Identifier;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Map;
import org.apache.kafka.clients.CommonClientConfigs;

/**
 * The service's Kafka client settings, from the same {@code kafka.*} configuration as its messaging channels, so
 * that plain clients (token store, audit) connect as the channels do, security settings included.
 */
@ApplicationScoped
public class KafkaSettings {

    private final Map<String, Object> settings;

    public KafkaSettings(@Identifier("default-kafka-broker") Map<String, Object> defaults) {
        this.settings = ClientSettings.of(defaults);
    }

    public Map<String, Object> clientSettings() {
        return settings;
    }

    public String bootstrapServers() {
        return String.valueOf(settings.get(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG));
    }
}
