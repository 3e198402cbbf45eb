package io.kafkaconcierge.e2e;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.kafkaconcierge.contracts.Json;
import io.restassured.http.ContentType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * The Kubernetes manifests switch the console logs of every service to JSON (plain text stays the default, locally
 * and in tests): one object a line, with the service, the level and, on a line about a request, its id.
 */
class JsonLogsIT {

    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
    private static final String JSON_ENABLED = "QUARKUS_LOG_CONSOLE_JSON_ENABLED";

    /** The value the service's generated Deployment gives {@code QUARKUS_LOG_CONSOLE_JSON_ENABLED}. */
    private static String manifestSetting(String service) throws Exception {
        Path file =
                Path.of(System.getProperty("concierge.apps.dir", ".."), service, "target/kubernetes/kubernetes.yml");
        List<JsonNode> docs = new ArrayList<>();
        try (var parser = YAML.getFactory().createParser(Files.readString(file))) {
            YAML.readValues(parser, JsonNode.class).forEachRemaining(docs::add);
        }
        for (JsonNode doc : docs) {
            if (doc.path("kind").asText().equals("Deployment")) {
                for (JsonNode env : doc.at("/spec/template/spec/containers/0/env")) {
                    if (env.path("name").asText().equals(JSON_ENABLED)) {
                        return env.path("value").asText();
                    }
                }
            }
        }
        return null;
    }

    @Test
    void shouldLogOneJsonObjectALineWithServiceLevelAndRequestIdAsTheManifestsConfigureIt() throws Exception {
        for (String service : List.of(Suite.API, Suite.PROVISIONER, Suite.NOTIFIER)) {
            assertThat(manifestSetting(service))
                    .as(service + "'s Deployment sets " + JSON_ENABLED)
                    .isEqualTo("true");
        }
        Path logs = Path.of("target", "e2e-logs");
        Files.createDirectories(logs);
        Files.deleteIfExists(logs.resolve("concierge-api-json.log"));
        Files.deleteIfExists(logs.resolve("provisioner-json.log"));
        // as the Deployment's environment variable does (a system property is the same setting)
        try (Suite suite = new Suite(Map.of("quarkus.log.console.json.enabled", manifestSetting(Suite.API)))) {
            suite.start(Suite.PROVISIONER, "provisioner-json");
            suite.start(Suite.API, "concierge-api-json");
            String name = "json.logs." + UUID.randomUUID();
            String requestId = given().baseUri(suite.url("concierge-api-json"))
                    .contentType(ContentType.JSON)
                    .body("""
                    {"cluster": "local", "name": "%s", "partitions": 1, "replicationFactor": 1, "owner": "payments"}""".formatted(name))
                    .post("/api/v1/topics")
                    .then()
                    .statusCode(202)
                    .extract()
                    .path("requestId");

            await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
                for (String instance : List.of("concierge-api-json", "provisioner-json")) {
                    String service = instance.substring(0, instance.length() - "-json".length());
                    List<String> lines = Files.readAllLines(logs.resolve(instance + ".log"));
                    assertThat(lines).isNotEmpty();
                    List<JsonNode> objects = new ArrayList<>();
                    for (String line : lines) {
                        JsonNode object = Json.MAPPER.readTree(line);
                        assertThat(object.isObject()).as(instance + ": " + line).isTrue();
                        assertThat(object.path("service").asText()).as(line).isEqualTo(service);
                        assertThat(object.path("level").asText()).as(line).isNotBlank();
                        assertThat(object.path("message").isTextual()).as(line).isTrue();
                        objects.add(object);
                    }
                    assertThat(objects)
                            .as(instance + ": a line about the request carries its id")
                            .anyMatch(
                                    o -> requestId.equals(o.at("/mdc/requestId").asText()));
                }
            });
        }
    }
}
