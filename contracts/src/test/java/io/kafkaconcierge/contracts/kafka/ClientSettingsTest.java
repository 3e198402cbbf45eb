package io.kafkaconcierge.contracts.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

class ClientSettingsTest {

    @Test
    void readsTheSecuritySettingsOfTheCommandLineToolsFromTheServicesEnvironmentVariables() {
        Map<String, Object> settings = ClientSettings.fromEnvironment(
                Map.of(
                        "KAFKA_SECURITY_PROTOCOL",
                        "SASL_SSL",
                        "KAFKA_SASL_JAAS_CONFIG",
                        "x required;",
                        "KAFKA_BOOTSTRAP_SERVERS",
                        "elsewhere:9092",
                        "PATH",
                        "/bin"),
                "here:9092");
        assertThat(settings)
                .containsOnly(
                        Map.entry("security.protocol", "SASL_SSL"),
                        Map.entry("sasl.jaas.config", "x required;"),
                        Map.entry("bootstrap.servers", "here:9092"));
    }
}
