package io.kafkaconcierge.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The CRD schemas of Strimzi 1.2.0 ({@code ../shared/schemas/strimzi-1.2.0/}), to check every custom resource the
 * project writes as a real API server would: the {@code openAPIV3Schema} of the served version the resource names,
 * with unknown fields refused (strict field validation) wherever the schema does not keep unknown fields.
 */
public final class StrimziSchemas {

    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Map<String, String> FILES = Map.of(
            "Kafka",
            "040-Crd-kafka.yaml",
            "KafkaTopic",
            "043-Crd-kafkatopic.yaml",
            "KafkaUser",
            "044-Crd-kafkauser.yaml",
            "KafkaNodePool",
            "045-Crd-kafkanodepool.yaml");
    private static final Map<String, JsonSchema> CACHE = new HashMap<>();

    private StrimziSchemas() {}

    /**
     * The folder of the schemas: {@code concierge.shared.dir} (set by the build to {@code ../shared} beside the
     * checkout) + {@code schemas/strimzi-1.2.0}; empty when it is not there (a user's own clone).
     */
    public static Optional<Path> dir() {
        String shared = System.getProperty("concierge.shared.dir");
        if (shared == null) {
            return Optional.empty();
        }
        Path dir = Path.of(shared, "schemas", "strimzi-1.2.0");
        return Files.isDirectory(dir) ? Optional.of(dir) : Optional.empty();
    }

    /** Why schema checks cannot run here, for a skipped test's message. */
    public static String whyUnavailable() {
        return "Strimzi CRD schemas not found at " + System.getProperty("concierge.shared.dir", "<unset>")
                + "/schemas/strimzi-1.2.0 (they come from ../shared beside the checkout in CI); schema checks skipped";
    }

    /** What a real API server with these CRDs would refuse in {@code resource}: empty when it is valid. */
    public static List<String> problems(JsonNode resource) {
        String kind = resource.path("kind").asText();
        String apiVersion = resource.path("apiVersion").asText();
        List<String> problems = new ArrayList<>();
        if (!FILES.containsKey(kind)) {
            return List.of("not a Strimzi kind with a schema here: " + kind);
        }
        if (!apiVersion.startsWith("kafka.strimzi.io/")) {
            return List.of("apiVersion " + apiVersion + " is not in group kafka.strimzi.io");
        }
        String version = apiVersion.substring("kafka.strimzi.io/".length());
        JsonSchema schema;
        synchronized (CACHE) {
            schema = CACHE.computeIfAbsent(kind + "/" + version, k -> load(kind, version));
        }
        if (schema == null) {
            return List.of("version " + version + " of " + kind + " is not served by Strimzi 1.2.0");
        }
        schema.validate(resource).forEach(m -> problems.add(m.getMessage()));
        return problems;
    }

    public static List<String> problems(Object resource) {
        return problems(JSON.valueToTree(resource));
    }

    private static JsonSchema load(String kind, String version) {
        Path file = dir().orElseThrow(() -> new IllegalStateException(whyUnavailable()))
                .resolve(FILES.get(kind));
        try {
            JsonNode crd = YAML.readTree(file.toFile());
            for (JsonNode v : crd.path("spec").path("versions")) {
                if (v.path("name").asText().equals(version) && v.path("served").asBoolean()) {
                    JsonNode schema = v.path("schema").path("openAPIV3Schema").deepCopy();
                    strict(schema);
                    return JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V4)
                            .getSchema(schema);
                }
            }
            return null;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Refuses unknown fields where the schema lists properties and does not preserve unknown fields. */
    private static void strict(JsonNode node) {
        if (node instanceof ObjectNode o) {
            if (o.has("properties")
                    && !o.has("additionalProperties")
                    && !o.path("x-kubernetes-preserve-unknown-fields").asBoolean(false)) {
                o.put("additionalProperties", false);
            }
            JsonNode properties = o.get("properties");
            if (properties != null) {
                // metadata is the API server's own: its schema here is only "type: object"
                Iterator<Map.Entry<String, JsonNode>> fields = properties.fields();
                while (fields.hasNext()) {
                    strict(fields.next().getValue());
                }
            }
            for (String key : List.of("items", "additionalProperties")) {
                if (o.get(key) instanceof ObjectNode child) {
                    strict(child);
                }
            }
            for (String key : List.of("oneOf", "anyOf", "allOf")) {
                JsonNode list = o.get(key);
                if (list != null) {
                    list.forEach(StrimziSchemas::strict);
                }
            }
        }
    }
}
