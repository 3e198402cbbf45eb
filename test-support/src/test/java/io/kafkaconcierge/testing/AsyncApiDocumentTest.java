package io.kafkaconcierge.testing;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.kafkaconcierge.contracts.CloudEvents;
import io.kafkaconcierge.contracts.ConciergeTopics;
import io.kafkaconcierge.contracts.RequestState;
import io.kafkaconcierge.contracts.ResourceKind;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class AsyncApiDocumentTest {

    private final AsyncApi asyncApi = AsyncApi.load();

    @Test
    void shouldNameTheTopicsTheServicesUse() {
        assertThat(asyncApi.document().path("asyncapi").asText()).isEqualTo("3.1.0");
        assertThat(asyncApi.address("requests")).isEqualTo(ConciergeTopics.REQUESTS);
        assertThat(asyncApi.address("events")).isEqualTo(ConciergeTopics.EVENTS);
        Set<String> addresses = new HashSet<>();
        asyncApi.document()
                .path("channels")
                .forEach(c -> addresses.add(c.path("address").asText()));
        assertThat(addresses)
                .as("every topic the services create is described")
                .containsAll(ConciergeTopics.LAYOUT.stream()
                        .map(ConciergeTopics.Layout::name)
                        .toList());
    }

    @Test
    void shouldDescribeEveryEventTypeWithItsSchema() {
        List<String> types = new ArrayList<>();
        for (RequestState state : List.of(
                RequestState.AWAITING_APPROVAL,
                RequestState.ACCEPTED,
                RequestState.PROVISIONING,
                RequestState.READY,
                RequestState.FAILED,
                RequestState.DELETED)) {
            types.add(CloudEvents.type(ResourceKind.TOPIC, state));
            if (state != RequestState.AWAITING_APPROVAL) {
                types.add(CloudEvents.type(ResourceKind.USER, state));
            }
        }
        for (RequestState state : RequestState.values()) {
            types.add(CloudEvents.type(ResourceKind.INSTANCE, state));
        }
        types.add(CloudEvents.SUBSCRIPTION_DISABLED);
        types.add(CloudEvents.APPROVAL_REQUESTED);
        for (String type : types) {
            assertThat(asyncApi.byName(type)).as(type).hasValueSatisfying(m -> {
                assertThat(m.payloadRef()).isEqualTo("./" + CloudEvents.dataSchemaPath(type));
                assertThat(m.payloadSchema()).isNotNull();
            });
        }
    }

    @Test
    void shouldHaveExamplesThatConformToTheDocumentItself() {
        assertThat(asyncApi.messages().values().stream()
                        .filter(m -> m.examples().size() > 0))
                .hasSize(9);
        asyncApi.messages()
                .values()
                .forEach(m -> m.examples().forEach(example -> {
                    Map<String, String> headers = new HashMap<>();
                    example.path("headers")
                            .fields()
                            .forEachRemaining(
                                    h -> headers.put(h.getKey(), h.getValue().asText()));
                    JsonNode payload = example.path("payload");
                    String key = payload.has("team")
                            ? payload.path("team").asText()
                            : !payload.has("resource")
                                    ? payload.path("name").asText()
                                    : payload.path("resource")
                                                    .path("kind")
                                                    .asText()
                                                    .equals("SUBSCRIPTION")
                                            ? "subscription:"
                                                    + payload.path("resource")
                                                            .path("name")
                                                            .asText()
                                            : payload.path("resource").has("cluster")
                                                    ? payload.path("resource")
                                                                    .path("cluster")
                                                                    .asText() + "/"
                                                            + payload.path("resource")
                                                                    .path("name")
                                                                    .asText()
                                                    : "instance:"
                                                            + payload.path("resource")
                                                                    .path("name")
                                                                    .asText();
                    assertThat(m.check(key, headers, payload))
                            .as(m.id() + " example")
                            .isEmpty();
                }));
    }

    @Test
    void shouldRefuseAnEventWithoutTheRequiredCloudEventsHeaders() {
        AsyncApi.Message ready =
                asyncApi.byName("io.kafkaconcierge.topic.ready").orElseThrow();
        JsonNode example = ready.examples().get(0);
        Map<String, String> headers = new HashMap<>();
        example.path("headers")
                .fields()
                .forEachRemaining(h -> headers.put(h.getKey(), h.getValue().asText()));
        headers.remove("ce_specversion");
        headers.remove("content-type");
        assertThat(ready.check("local/orders.v1", headers, example.path("payload")).stream()
                        .collect(Collectors.joining("\n")))
                .contains("ce_specversion")
                .contains("content-type");
    }
}
