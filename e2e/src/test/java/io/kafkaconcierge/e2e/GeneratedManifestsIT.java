package io.kafkaconcierge.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The manifests quarkus-kubernetes writes for each service: probes, ports and Prometheus scraping. */
class GeneratedManifestsIT {

    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    private static List<JsonNode> manifests(String service) throws Exception {
        Path file =
                Path.of(System.getProperty("concierge.apps.dir", ".."), service, "target/kubernetes/kubernetes.yml");
        assertThat(file).exists();
        List<JsonNode> docs = new ArrayList<>();
        try (var parser = YAML.getFactory().createParser(Files.readString(file))) {
            YAML.readValues(parser, JsonNode.class).forEachRemaining(docs::add);
        }
        return docs;
    }

    private static JsonNode kind(List<JsonNode> docs, String kind) {
        return docs.stream()
                .filter(d -> kind.equals(d.path("kind").asText()))
                .findFirst()
                .orElseThrow(() -> new AssertionError("no " + kind + " in " + docs));
    }

    @ParameterizedTest
    @CsvSource({"concierge-api,8080", "provisioner,8081", "notifier,8082"})
    void shouldDeclareProbesOnTheHealthEndpointsOfEachService(String service, int port) throws Exception {
        JsonNode container = kind(manifests(service), "Deployment").at("/spec/template/spec/containers/0");
        Map<String, String> probes = Map.of(
                "livenessProbe",
                "/q/health/live",
                "readinessProbe",
                "/q/health/ready",
                "startupProbe",
                "/q/health/started");
        probes.forEach((probe, path) -> {
            assertThat(container.at("/" + probe + "/httpGet/path").asText())
                    .as(service + " " + probe)
                    .isEqualTo(path);
            assertThat(container.at("/" + probe + "/httpGet/port").asInt())
                    .as(service + " " + probe)
                    .isEqualTo(port);
        });
        assertThat(container.at("/ports/0/containerPort").asInt()).isEqualTo(port);
        assertThat(container.path("env").findValuesAsText("name")).contains("KAFKA_BOOTSTRAP_SERVERS");
    }

    @ParameterizedTest
    @CsvSource({"concierge-api", "provisioner", "notifier"})
    void shouldLetPrometheusScrapeTheMetricsOfEachService(String service) throws Exception {
        List<JsonNode> docs = manifests(service);
        assertThat(kind(docs, "ServiceMonitor").at("/spec/endpoints/0/path").asText())
                .isEqualTo("/q/metrics");
        assertThat(kind(docs, "Service")
                        .at("/metadata/annotations")
                        .path("prometheus.io/path")
                        .asText())
                .isEqualTo("/q/metrics");
    }

    @Test
    void shouldGiveTheProvisionerExactlyTheStrimziKindsItWritesAndNothingBroader() throws Exception {
        List<JsonNode> docs = manifests("provisioner");
        JsonNode role = kind(docs, "Role");
        assertThat(role.path("rules")).hasSize(2);
        JsonNode rule = role.path("rules").get(0);
        assertThat(YAML.convertValue(rule.path("apiGroups"), List.class)).containsExactly("kafka.strimzi.io");
        assertThat(YAML.convertValue(rule.path("resources"), List.class))
                .containsExactlyInAnyOrder("kafkas", "kafkanodepools", "kafkatopics", "kafkausers");
        // the Secrets holding Kafka users' passwords, which the provisioner writes before their KafkaUser: by name,
        // never listed or watched
        JsonNode secrets = role.path("rules").get(1);
        assertThat(YAML.convertValue(secrets.path("apiGroups"), List.class)).containsExactly("");
        assertThat(YAML.convertValue(secrets.path("resources"), List.class)).containsExactly("secrets");
        assertThat(YAML.convertValue(secrets.path("verbs"), List.class))
                .containsExactlyInAnyOrder("get", "create", "update", "patch", "delete");
        assertThat(docs).noneMatch(d -> d.path("roleRef").path("kind").asText().equals("ClusterRole"));
        JsonNode container = kind(docs, "Deployment").at("/spec/template/spec/containers/0");
        assertThat(container.path("env").toString())
                .contains("CONCIERGE_PROVISIONER_INSTANCES_BACKEND")
                .contains("strimzi");

        // the same rights for other target namespaces, in deploy/
        Path file = Path.of(System.getProperty("concierge.apps.dir", ".."), "deploy/rbac/provisioner-strimzi.yaml");
        List<JsonNode> extra = new ArrayList<>();
        try (var parser = YAML.getFactory().createParser(Files.readString(file))) {
            YAML.readValues(parser, JsonNode.class).forEachRemaining(extra::add);
        }
        assertThat(kind(extra, "Role").path("rules")).isEqualTo(role.path("rules"));
        assertThat(kind(extra, "RoleBinding").at("/subjects/0/name").asText())
                .isEqualTo(kind(docs, "ServiceAccount").at("/metadata/name").asText());
    }
}
