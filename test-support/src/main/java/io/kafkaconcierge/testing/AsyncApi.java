package io.kafkaconcierge.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import io.kafkaconcierge.contracts.CloudEvents;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * The project's AsyncAPI document ({@code asyncapi.yaml} in the contracts jar), read so that tests can check real
 * records against it: each message's CloudEvents headers, its key, and its payload against the JSON schema the
 * document references.
 */
public final class AsyncApi {

    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final JsonSchemaFactory SCHEMAS = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012);

    /** One message of the document. */
    public record Message(
            String id, String name, JsonNode headers, String payloadRef, JsonNode key, JsonNode examples) {

        /** What is wrong with a record of this message: empty when it conforms. */
        public List<String> check(String recordKey, Map<String, String> recordHeaders, JsonNode payload) {
            List<String> problems = new ArrayList<>();
            if (headers != null && !headers.isMissingNode()) {
                ObjectNode h = JSON.createObjectNode();
                recordHeaders.forEach(h::put);
                SCHEMAS.getSchema(headers).validate(h).forEach(m -> problems.add("header: " + m.getMessage()));
            }
            if (key != null && !key.isMissingNode()) {
                SCHEMAS.getSchema(key)
                        .validate(JSON.getNodeFactory().textNode(recordKey))
                        .forEach(m -> problems.add("key: " + m.getMessage()));
            }
            payloadSchema().validate(payload).forEach(m -> problems.add("payload: " + m.getMessage()));
            return problems;
        }

        public JsonSchema payloadSchema() {
            String path = payloadRef.startsWith("./") ? payloadRef.substring(2) : payloadRef;
            try (InputStream in = AsyncApi.class.getClassLoader().getResourceAsStream(path)) {
                if (in == null) {
                    throw new IllegalStateException(
                            "the AsyncAPI document refers to " + payloadRef + ", which is not on the classpath");
                }
                return SCHEMAS.getSchema(in);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    private final JsonNode document;
    private final Map<String, Message> messages = new HashMap<>();

    private AsyncApi(JsonNode document) {
        this.document = document;
        document.path("components").path("messages").fields().forEachRemaining(e -> {
            JsonNode m = e.getValue();
            messages.put(
                    e.getKey(),
                    new Message(
                            e.getKey(),
                            m.path("name").asText(),
                            m.path("headers"),
                            m.path("payload").path("$ref").asText(),
                            m.path("bindings").path("kafka").path("key"),
                            m.path("examples")));
        });
    }

    public static AsyncApi load() {
        try (InputStream in = AsyncApi.class.getClassLoader().getResourceAsStream("asyncapi.yaml")) {
            if (in == null) {
                throw new IllegalStateException("asyncapi.yaml is not on the classpath");
            }
            return new AsyncApi(YAML.readTree(in));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public JsonNode document() {
        return document;
    }

    public Map<String, Message> messages() {
        return messages;
    }

    /** The message whose name is a CloudEvent type, e.g. {@code io.kafkaconcierge.topic.ready}. */
    public Optional<Message> byName(String name) {
        return messages.values().stream().filter(m -> m.name().equals(name)).findFirst();
    }

    /** What is wrong with a record of concierge.events: its type must be described, and it must conform. */
    public List<String> checkEvent(ConsumerRecord<String, String> record) {
        Map<String, String> headers = new HashMap<>();
        record.headers().forEach(h -> headers.put(h.key(), new String(h.value(), StandardCharsets.UTF_8)));
        String type = headers.get(CloudEvents.H_TYPE);
        Optional<Message> message = byName(type);
        if (message.isEmpty()) {
            return List.of("an event of a type the AsyncAPI document does not describe: " + type);
        }
        List<String> problems = new ArrayList<>(message.get().check(record.key(), headers, tree(record.value())));
        if (!record.key().equals(headers.get(CloudEvents.H_SUBJECT))) {
            problems.add("key " + record.key() + " is not the subject " + headers.get(CloudEvents.H_SUBJECT));
        }
        return problems;
    }

    /** What is wrong with a record (no headers) of the message {@code id}; a tombstone has nothing to check. */
    public List<String> checkRecord(String id, ConsumerRecord<String, String> record) {
        return record.value() == null
                ? List.of()
                : messages.get(id).check(record.key(), Map.of(), tree(record.value()));
    }

    private static JsonNode tree(String json) {
        try {
            return JSON.readTree(json);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The Kafka topic of a channel. */
    public String address(String channel) {
        return document.path("channels").path(channel).path("address").asText();
    }
}
