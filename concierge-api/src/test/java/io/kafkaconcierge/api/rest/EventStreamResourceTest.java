package io.kafkaconcierge.api.rest;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.kafkaconcierge.contracts.Json;
import io.kafkaconcierge.contracts.Operation;
import io.kafkaconcierge.contracts.RequestCommand;
import io.kafkaconcierge.contracts.RequestState;
import io.kafkaconcierge.contracts.StatusEvent;
import io.kafkaconcierge.contracts.TopicSpec;
import io.kafkaconcierge.testing.EmbeddedKafka;
import io.kafkaconcierge.testing.KafkaTestClient;
import io.kafkaconcierge.testing.SseClient;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

@QuarkusTest
@QuarkusTestResource(value = ApiKafkaResource.class, restrictToAnnotatedClass = true)
class EventStreamResourceTest {

    static {
        io.kafkaconcierge.testing.TestIdentity.restAssuredAsAdmin();
    }

    private static final Duration WAIT = Duration.ofSeconds(20);
    private final KafkaTestClient kafka =
            new KafkaTestClient(EmbeddedKafka.shared().bootstrapServers());

    @TestHTTPResource("/api/v1/events/stream")
    String stream;

    private StatusEvent publish(String owner, String topic, RequestState state) {
        TopicSpec spec = new TopicSpec("local", topic, 1, (short) 1, Map.of(), owner, null);
        RequestCommand c = new RequestCommand(
                UUID.randomUUID().toString(),
                Operation.CREATE,
                spec.ref(),
                spec,
                null,
                null,
                "0".repeat(64),
                Instant.now());
        StatusEvent e = StatusEvent.of(c, state, Instant.now());
        kafka.sendEvent(e);
        return e;
    }

    private static List<String> ids(SseClient client) {
        return client.events().stream()
                .map(e -> Json.MAPPER.valueToTree(parse(e.data())).path("id").asText())
                .toList();
    }

    private static Object parse(String json) {
        try {
            return Json.MAPPER.readTree(json);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void shouldStreamTheEventsThatMatchTheFilterAsTheyAreWritten() throws Exception {
        String owner = "streamers-" + UUID.randomUUID().toString().substring(0, 6);
        try (SseClient client =
                SseClient.connect(stream + "?owner=" + owner + "&type=io.kafkaconcierge.topic.ready", null)) {
            assertThat(client.status()).isEqualTo(200);
            publish(owner, "a", RequestState.ACCEPTED);
            StatusEvent ready = publish(owner, "a", RequestState.READY);
            publish("someone-else", "b", RequestState.READY);

            await().atMost(WAIT).untilAsserted(() -> assertThat(ids(client)).containsExactly(ready.eventId()));
            SseClient.Event received = client.events().get(0);
            assertThat(received.name()).isEqualTo("io.kafkaconcierge.topic.ready");
            assertThat(received.id()).startsWith("v1.");
            assertThat(Json.MAPPER
                            .readTree(received.data())
                            .path("data")
                            .path("spec")
                            .path("owner")
                            .asText())
                    .isEqualTo(owner);
        }
    }

    @Test
    void shouldResumeAfterTheLastEventIdWithoutGapsOrRepeats() throws Exception {
        String owner = "resumers-" + UUID.randomUUID().toString().substring(0, 6);
        String lastSeen;
        StatusEvent first;
        try (SseClient client = SseClient.connect(stream + "?owner=" + owner, null)) {
            first = publish(owner, "t1", RequestState.ACCEPTED);
            await().atMost(WAIT).untilAsserted(() -> assertThat(client.events()).hasSize(1));
            lastSeen = client.events().get(0).id();
        }
        // written while nobody listens, on topics whose keys land on different partitions
        List<String> missed = List.of(
                publish(owner, "t2", RequestState.ACCEPTED).eventId(),
                publish(owner, "t3", RequestState.ACCEPTED).eventId(),
                publish(owner, "t4", RequestState.ACCEPTED).eventId());
        try (SseClient client = SseClient.connect(stream + "?owner=" + owner, lastSeen)) {
            StatusEvent live = publish(owner, "t5", RequestState.READY);
            await().atMost(WAIT)
                    .untilAsserted(() -> assertThat(ids(client))
                            .containsExactlyInAnyOrderElementsOf(concat(missed, live.eventId()))
                            .doesNotContain(first.eventId()));
        }
    }

    private static List<String> concat(List<String> a, String b) {
        List<String> all = new ArrayList<>(a);
        all.add(b);
        return all;
    }

    @Test
    void shouldReleaseTheStreamWhenTheClientGoes() throws Exception {
        SseClient first = SseClient.connect(stream, null);
        SseClient second = SseClient.connect(stream + "?type=io.kafkaconcierge.topic.failed", null);
        await().atMost(WAIT).until(() -> openStreams() >= 2);
        first.close();
        second.close();
        await().atMost(WAIT).untilAsserted(() -> assertThat(openStreams()).isZero());
    }

    private static double openStreams() {
        return given().get("/q/metrics")
                .asString()
                .lines()
                .filter(l -> l.startsWith("concierge_event_streams_open"))
                .mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1)))
                .sum();
    }

    @Test
    void shouldRefuseAMalformedLastEventIdWithAProblem() {
        given().header("Last-Event-ID", "yesterday")
                .get("/api/v1/events/stream")
                .then()
                .statusCode(422)
                .contentType("application/problem+json");
    }
}
