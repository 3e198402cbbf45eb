package io.kafkaconcierge.notifier;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.data.Offset.offset;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.kafkaconcierge.contracts.CloudEvents;
import io.kafkaconcierge.contracts.ConciergeTopics;
import io.kafkaconcierge.contracts.Json;
import io.kafkaconcierge.contracts.Operation;
import io.kafkaconcierge.contracts.RequestCommand;
import io.kafkaconcierge.contracts.RequestState;
import io.kafkaconcierge.contracts.StatusEvent;
import io.kafkaconcierge.contracts.TopicSpec;
import io.kafkaconcierge.testing.EmbeddedKafka;
import io.kafkaconcierge.testing.KafkaTestClient;
import io.kafkaconcierge.testing.WebhookReceiver.Delivery;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

@QuarkusTest
@QuarkusTestResource(WebhookTestResource.class)
class WebhookNotificationTest {

    static {
        io.kafkaconcierge.testing.TestIdentity.restAssuredAsAdmin();
    }

    private static final Duration WAIT = Duration.ofSeconds(20);
    private final KafkaTestClient kafka =
            new KafkaTestClient(EmbeddedKafka.shared().bootstrapServers());

    @BeforeEach
    void answerOk() {
        WebhookTestResource.RECEIVER.respond(d -> 200);
    }

    private StatusEvent publish(String topic, RequestState state) {
        TopicSpec spec = new TopicSpec("local", topic, 1, (short) 1, Map.of(), "payments", null);
        RequestCommand c = new RequestCommand(
                UUID.randomUUID().toString(),
                Operation.CREATE,
                spec.ref(),
                spec,
                null,
                null,
                "0".repeat(64),
                Instant.now());
        return publish(StatusEvent.of(c, state, Instant.now()));
    }

    private StatusEvent publish(StatusEvent e) {
        kafka.sendEvent(e);
        return e;
    }

    private static List<Delivery> deliveriesOf(StatusEvent e) {
        return WebhookTestResource.RECEIVER.deliveries().stream()
                .filter(d -> e.eventId().equals(d.id()))
                .toList();
    }

    @Test
    void shouldDeliverEachEventSignedSoThatItVerifiesWithTheSecret() throws Exception {
        StatusEvent e = publish("signed." + UUID.randomUUID(), RequestState.READY);

        await().atMost(WAIT).untilAsserted(() -> assertThat(deliveriesOf(e)).hasSize(1));
        Delivery d = deliveriesOf(e).get(0);
        assertThat(d.verifies(WebhookTestResource.SECRET)).isTrue();
        assertThat(d.verifies("whsec_" + Base64.getEncoder().encodeToString("another-secret-16b".getBytes())))
                .isFalse();
        assertThat(Long.parseLong(d.headers().get("webhook-timestamp")))
                .isCloseTo(Instant.now().getEpochSecond(), offset(60L));
        JsonNode body = Json.MAPPER.readTree(d.body());
        assertThat(body.get("specversion").asText()).isEqualTo("1.0");
        assertThat(body.get("type").asText()).isEqualTo("io.kafkaconcierge.topic.ready");
        assertThat(body.get("id").asText()).isEqualTo(e.eventId());
        assertThat(body.get("data").get("requestId").asText()).isEqualTo(e.requestId());
        assertThat(body.get("data").get("state").asText()).isEqualTo("READY");
    }

    @Test
    void shouldRetryA5xxWithTheSameWebhookIdUntilItIsAccepted() {
        AtomicInteger calls = new AtomicInteger();
        String topic = "flaky." + UUID.randomUUID();
        WebhookTestResource.RECEIVER.respond(d -> d.body().contains(topic) && calls.incrementAndGet() <= 2 ? 503 : 200);
        StatusEvent e = publish(topic, RequestState.READY);

        await().atMost(WAIT)
                .untilAsserted(() -> assertThat(deliveriesOf(e))
                        .extracting(Delivery::answered)
                        .containsExactly(503, 503, 200));
        assertThat(deliveriesOf(e)).extracting(Delivery::id).containsOnly(e.eventId());
        assertThat(deliveriesOf(e)).allMatch(d -> d.verifies(WebhookTestResource.SECRET));
        String metrics = given().get("/q/metrics").asString();
        assertThat(metrics)
                .contains("concierge_notification_latency_seconds_bucket{channel=\"webhook\"")
                .contains("concierge_webhook_attempts_total{outcome=\"retrying\"}")
                .contains("concierge_webhook_pending_retries");
    }

    @Test
    void shouldDeliverTheEventsOfOneResourceInOrder() {
        String topic = "ordered." + UUID.randomUUID();
        TopicSpec spec = new TopicSpec("local", topic, 1, (short) 1, Map.of(), "payments", null);
        RequestCommand c = new RequestCommand(
                UUID.randomUUID().toString(),
                Operation.CREATE,
                spec.ref(),
                spec,
                null,
                null,
                "0".repeat(64),
                Instant.now());
        List<StatusEvent> sent = List.of(RequestState.ACCEPTED, RequestState.PROVISIONING, RequestState.READY).stream()
                .map(s -> publish(StatusEvent.of(c, s, Instant.now())))
                .toList();

        await().atMost(WAIT)
                .untilAsserted(() -> assertThat(WebhookTestResource.RECEIVER.accepted().stream()
                                .map(Delivery::id)
                                .filter(id -> id.startsWith(c.requestId())))
                        .containsExactly(sent.stream().map(StatusEvent::eventId).toArray(String[]::new)));
    }

    @Test
    void shouldDeadLetterAnEventTheEndpointRefuses() {
        String topic = "refused." + UUID.randomUUID();
        WebhookTestResource.RECEIVER.respond(d -> d.body().contains(topic) ? 400 : 200);
        StatusEvent e = publish(topic, RequestState.READY);

        await().atMost(WAIT)
                .untilAsserted(() -> assertThat(kafka.records(
                                ConciergeTopics.NOTIFIER_DLQ, e.resource().key()))
                        .singleElement()
                        .satisfies(r -> {
                            assertThat(KafkaTestClient.header(r, "dlq-reason")).contains("HTTP 400");
                            assertThat(KafkaTestClient.header(r, CloudEvents.H_ID))
                                    .isEqualTo(e.eventId());
                        }));
        assertThat(deliveriesOf(e)).hasSize(1); // a 400 is final: not retried
        StatusEvent next = publish("after.refused." + UUID.randomUUID(), RequestState.READY);
        await().atMost(WAIT).untilAsserted(() -> assertThat(deliveriesOf(next)).hasSize(1));
    }

    @Test
    void shouldDeadLetterAfterTheLastAttemptWhenTheEndpointKeepsFailing() {
        String topic = "down." + UUID.randomUUID();
        WebhookTestResource.RECEIVER.respond(d -> d.body().contains(topic) ? 500 : 200);
        StatusEvent e = publish(topic, RequestState.READY);

        await().atMost(WAIT)
                .untilAsserted(() -> assertThat(kafka.records(
                                ConciergeTopics.NOTIFIER_DLQ, e.resource().key()))
                        .hasSize(1));
        assertThat(deliveriesOf(e)).hasSize(4).extracting(Delivery::answered).containsOnly(500);
    }
}
