package io.kafkaconcierge.notifier;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsInAnyOrder;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItems;
import static org.hamcrest.Matchers.hasKey;
import static org.hamcrest.Matchers.not;

import com.fasterxml.jackson.databind.JsonNode;
import io.kafkaconcierge.contracts.CloudEvents;
import io.kafkaconcierge.contracts.ConciergeTopics;
import io.kafkaconcierge.contracts.FailureReason;
import io.kafkaconcierge.contracts.Json;
import io.kafkaconcierge.contracts.Operation;
import io.kafkaconcierge.contracts.RequestCommand;
import io.kafkaconcierge.contracts.RequestState;
import io.kafkaconcierge.contracts.StatusEvent;
import io.kafkaconcierge.contracts.TopicSpec;
import io.kafkaconcierge.testing.AsyncApi;
import io.kafkaconcierge.testing.EmbeddedKafka;
import io.kafkaconcierge.testing.KafkaTestClient;
import io.kafkaconcierge.testing.WebhookReceiver;
import io.kafkaconcierge.testing.WebhookReceiver.Delivery;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

@QuarkusTest
@QuarkusTestResource(SubscriptionsTestResource.class)
class SubscriptionsTest {

    static {
        io.kafkaconcierge.testing.TestIdentity.restAssuredAsAdmin();
    }

    private static final Duration WAIT = Duration.ofSeconds(30);
    private final KafkaTestClient kafka =
            new KafkaTestClient(EmbeddedKafka.shared().bootstrapServers());
    private final List<WebhookReceiver> receivers = new ArrayList<>();
    private final List<String> made = new ArrayList<>();

    @AfterEach
    void deleteSubscriptionsAndCloseReceivers() {
        made.forEach(id -> given().delete("/api/v1/subscriptions/" + id));
        receivers.forEach(WebhookReceiver::close);
    }

    private WebhookReceiver receiver() {
        WebhookReceiver r = new WebhookReceiver();
        receivers.add(r);
        return r;
    }

    private JsonNode create(Map<String, Object> body) throws Exception {
        JsonNode created = Json.MAPPER.readTree(given().contentType(ContentType.JSON)
                .body(body)
                .post("/api/v1/subscriptions")
                .then()
                .statusCode(201)
                .extract()
                .asString());
        made.add(created.path("id").asText());
        return created;
    }

    private JsonNode webhook(String owner, WebhookReceiver receiver, Map<String, Object> filter) throws Exception {
        Map<String, Object> body = new HashMap<>();
        body.put("owner", owner);
        body.put("channel", Map.of("type", "webhook", "url", receiver.url()));
        if (filter != null) {
            body.put("filter", filter);
        }
        return create(body);
    }

    private static StatusEvent event(String owner, String topic, RequestState state) {
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
        return state == RequestState.FAILED
                ? StatusEvent.failed(c, FailureReason.CONFLICT, "exists already", Instant.now())
                : StatusEvent.of(c, state, Instant.now());
    }

    private StatusEvent publish(StatusEvent e) {
        kafka.sendEvent(e);
        return e;
    }

    private static List<Delivery> of(WebhookReceiver r, StatusEvent e) {
        return r.deliveries().stream().filter(d -> e.eventId().equals(d.id())).toList();
    }

    /** A first event proves the dispatcher runs: a subscription gets events from its creation on. */
    private void awaitRunning(WebhookReceiver r, String owner) {
        StatusEvent probe = publish(event(owner, "probe." + UUID.randomUUID(), RequestState.READY));
        await().atMost(WAIT).untilAsserted(() -> assertThat(of(r, probe)).isNotEmpty());
    }

    @Test
    void shouldDeliverToEachSubscriberExactlyTheEventsItsFilterAsksForSignedWithItsOwnSecret() throws Exception {
        String teamA = "team-a-" + UUID.randomUUID().toString().substring(0, 8);
        String teamB = "team-b-" + UUID.randomUUID().toString().substring(0, 8);
        WebhookReceiver a = receiver();
        WebhookReceiver b = receiver();
        JsonNode subA = webhook("ops", a, Map.of("owners", List.of(teamA)));
        JsonNode subB = webhook(
                "ops", b, Map.of("owners", List.of(teamA, teamB), "types", List.of("io.kafkaconcierge.topic.failed")));
        assertThat(subA.path("secret").asText()).startsWith("whsec_");
        assertThat(subA.path("secret").asText())
                .isNotEqualTo(subB.path("secret").asText());
        awaitRunning(a, teamA);

        StatusEvent readyA = publish(event(teamA, "a." + UUID.randomUUID(), RequestState.READY));
        StatusEvent failedA = publish(event(teamA, "a." + UUID.randomUUID(), RequestState.FAILED));
        StatusEvent failedB = publish(event(teamB, "b." + UUID.randomUUID(), RequestState.FAILED));
        StatusEvent readyB = publish(event(teamB, "b." + UUID.randomUUID(), RequestState.READY));
        StatusEvent other = publish(event("someone-else", "c." + UUID.randomUUID(), RequestState.FAILED));

        await().atMost(WAIT).untilAsserted(() -> {
            assertThat(of(a, readyA)).hasSize(1);
            assertThat(of(a, failedA)).hasSize(1);
            assertThat(of(b, failedA)).hasSize(1);
            assertThat(of(b, failedB)).hasSize(1);
        });
        // and nothing else: the later events went through the same ordered dispatchers, so they are decided
        StatusEvent marker = publish(event(teamA, "marker." + UUID.randomUUID(), RequestState.FAILED));
        await().atMost(WAIT).untilAsserted(() -> assertThat(of(b, marker)).hasSize(1));
        await().atMost(WAIT).untilAsserted(() -> assertThat(of(a, marker)).hasSize(1));
        assertThat(of(a, failedB)).isEmpty();
        assertThat(of(a, readyB)).isEmpty();
        assertThat(of(a, other)).isEmpty();
        assertThat(of(b, readyA)).isEmpty();
        assertThat(of(b, readyB)).isEmpty();
        assertThat(of(b, other)).isEmpty();
        assertThat(a.deliveries())
                .allMatch(d -> d.verifies(subA.path("secret").asText()))
                .noneMatch(d -> d.verifies(subB.path("secret").asText()));
        assertThat(b.deliveries()).allMatch(d -> d.verifies(subB.path("secret").asText()));
    }

    @Test
    void shouldShowTheSecretOnlyOnceAndKeepItEncryptedOnTheTopic() throws Exception {
        WebhookReceiver r = receiver();
        JsonNode sub = webhook("ops", r, null);
        String id = sub.path("id").asText();
        String secret = sub.path("secret").asText();

        given().get("/api/v1/subscriptions/" + id)
                .then()
                .statusCode(200)
                .body("id", equalTo(id))
                .body("state", equalTo("ACTIVE"))
                .body("$", not(hasKey("secret")))
                .body("secrets.size()", equalTo(1))
                .body("channel.url", equalTo(r.url()));
        String stored = kafka.records(ConciergeTopics.SUBSCRIPTIONS, id).stream()
                .map(ConsumerRecord::value)
                .reduce((x, y) -> y)
                .orElseThrow();
        assertThat(stored).contains("aesgcm:").doesNotContain(secret.substring("whsec_".length()));
        given().get("/api/v1/subscriptions?owner=ops").then().statusCode(200).body("id", hasItems(id));
    }

    @Test
    void shouldRefuseBadInputNamingEachFieldAndWriteNothing() {
        int before = kafka.records(ConciergeTopics.SUBSCRIPTIONS).size();
        given().contentType(ContentType.JSON)
                .body(Map.of(
                        "owner",
                        "bad owner!",
                        "channel",
                        Map.of("type", "webhook", "url", "ftp://x"),
                        "filter",
                        Map.of("types", List.of("nope"))))
                .post("/api/v1/subscriptions")
                .then()
                .statusCode(422)
                .contentType("application/problem+json")
                .body("errors.field", containsInAnyOrder("owner", "channel.url", "filter.types.0"));
        given().contentType(ContentType.JSON)
                .body(Map.of("owner", "ops", "channel", Map.of("type", "pigeon")))
                .post("/api/v1/subscriptions")
                .then()
                .statusCode(422)
                .body("errors.field", hasItems("channel.type"));
        given().contentType(ContentType.JSON)
                .body("{\"owner\": \"ops\", \"chanel\": {}}")
                .post("/api/v1/subscriptions")
                .then()
                .statusCode(400)
                .contentType("application/problem+json");
        given().get("/api/v1/subscriptions/sub-doesnotexist")
                .then()
                .statusCode(404)
                .contentType("application/problem+json");
        assertThat(kafka.records(ConciergeTopics.SUBSCRIPTIONS)).hasSize(before);
    }

    @Test
    void shouldRetryA5xxWithTheSameWebhookIdAndListEveryAttempt() throws Exception {
        String owner = "retry-" + UUID.randomUUID().toString().substring(0, 8);
        WebhookReceiver r = receiver();
        JsonNode sub = webhook("ops", r, Map.of("owners", List.of(owner)));
        String id = sub.path("id").asText();
        awaitRunning(r, owner);
        AtomicInteger calls = new AtomicInteger();
        StatusEvent e = event(owner, "flaky." + UUID.randomUUID(), RequestState.READY);
        r.respond(d -> e.eventId().equals(d.id()) && calls.incrementAndGet() <= 2 ? 500 : 200);
        publish(e);

        await().atMost(WAIT)
                .untilAsserted(() ->
                        assertThat(of(r, e)).extracting(Delivery::answered).containsExactly(500, 500, 200));
        assertThat(of(r, e)).allMatch(d -> d.verifies(sub.path("secret").asText()));
        await().atMost(WAIT)
                .untilAsserted(() -> given().get("/api/v1/subscriptions/" + id + "/deliveries")
                        .then()
                        .statusCode(200)
                        .body(
                                "findAll { it.deliveryId == '" + e.eventId() + "' }.outcome",
                                org.hamcrest.Matchers.contains("delivered", "retrying", "retrying"))
                        .body(
                                "findAll { it.deliveryId == '" + e.eventId() + "' }.statusCode",
                                org.hamcrest.Matchers.contains(200, 500, 500))
                        .body(
                                "findAll { it.deliveryId == '" + e.eventId() + "' }.attempt",
                                org.hamcrest.Matchers.contains(3, 2, 1)));
        JsonNode retrying = Json.MAPPER.readTree(
                given().get("/api/v1/subscriptions/" + id + "/deliveries").asString());
        retrying.forEach(a -> {
            if (a.path("outcome").asText().equals("retrying")) {
                assertThat(a.has("nextRetryAt")).isTrue();
                assertThat(a.path("latencyMs").asLong()).isGreaterThanOrEqualTo(0);
            }
        });
    }

    @Test
    void shouldWaitAsLongAsRetryAfterAsksBeforeTheNextAttempt() throws Exception {
        String owner = "later-" + UUID.randomUUID().toString().substring(0, 8);
        WebhookReceiver r = receiver();
        webhook("ops", r, Map.of("owners", List.of(owner)));
        awaitRunning(r, owner);
        StatusEvent e = event(owner, "busy." + UUID.randomUUID(), RequestState.READY);
        AtomicInteger calls = new AtomicInteger();
        r.retryAfter("2");
        r.respond(d -> e.eventId().equals(d.id()) && calls.incrementAndGet() == 1 ? 429 : 200);
        publish(e);

        await().atMost(WAIT)
                .untilAsserted(() ->
                        assertThat(of(r, e)).extracting(Delivery::answered).containsExactly(429, 200));
        // the schedule alone would have waited 100 ms
        assertThat(of(r, e).get(1).receivedAtMillis() - of(r, e).get(0).receivedAtMillis())
                .isGreaterThanOrEqualTo(2_000);
    }

    @Test
    void shouldDisableASubscriptionWhoseEndpointIsGoneSaySoAndResumeWhenTurnedOnAgain() throws Exception {
        String owner = "gone-" + UUID.randomUUID().toString().substring(0, 8);
        WebhookReceiver r = receiver();
        JsonNode sub = webhook("ops", r, Map.of("owners", List.of(owner)));
        String id = sub.path("id").asText();
        awaitRunning(r, owner);
        r.respond(d -> 410);
        StatusEvent first = publish(event(owner, "gone." + UUID.randomUUID(), RequestState.READY));

        await().atMost(WAIT)
                .untilAsserted(() -> given().get("/api/v1/subscriptions/" + id)
                        .then()
                        .body("state", equalTo("DISABLED"))
                        .body("disabledReason", equalTo("GONE")));
        await().atMost(WAIT)
                .untilAsserted(() -> assertThat(kafka.records(ConciergeTopics.EVENTS, "subscription:" + id))
                        .singleElement()
                        .satisfies(record -> {
                            assertThat(KafkaTestClient.header(record, CloudEvents.H_TYPE))
                                    .isEqualTo("io.kafkaconcierge.subscription.disabled");
                            Map<String, String> headers = new HashMap<>();
                            record.headers()
                                    .forEach(h -> headers.put(h.key(), new String(h.value(), StandardCharsets.UTF_8)));
                            AsyncApi.Message m = AsyncApi.load()
                                    .byName("io.kafkaconcierge.subscription.disabled")
                                    .orElseThrow();
                            assertThat(m.check(record.key(), headers, Json.MAPPER.readTree(record.value())))
                                    .isEmpty();
                            assertThat(record.value()).contains(first.eventId()).contains("\"owner\":\"ops\"");
                        }));
        assertThat(of(r, first)).hasSize(1); // a 410 is not retried
        assertThat(given().get("/q/metrics").asString())
                .contains("concierge_subscriptions_disabled_total")
                .contains("concierge_subscriptions{channel=\"webhook\",state=\"disabled\"}");

        StatusEvent whileOff = publish(event(owner, "off." + UUID.randomUUID(), RequestState.READY));
        r.respond(d -> 200);
        given().contentType(ContentType.JSON)
                .body(Map.of("state", "ACTIVE"))
                .patch("/api/v1/subscriptions/" + id)
                .then()
                .statusCode(200)
                .body("state", equalTo("ACTIVE"));

        await().atMost(WAIT).untilAsserted(() -> {
            assertThat(of(r, first)).extracting(Delivery::answered).containsExactly(410, 200);
            assertThat(of(r, whileOff)).extracting(Delivery::answered).containsExactly(200);
        });
    }

    @Test
    void shouldSendBothSignaturesDuringARotationAndOnlyTheNewOneAfterIt() throws Exception {
        String owner = "rotate-" + UUID.randomUUID().toString().substring(0, 8);
        WebhookReceiver r = receiver();
        JsonNode sub = webhook("ops", r, Map.of("owners", List.of(owner)));
        String id = sub.path("id").asText();
        String old = sub.path("secret").asText();
        awaitRunning(r, owner);

        JsonNode rotated = Json.MAPPER.readTree(given().contentType(ContentType.JSON)
                .body(Map.of("overlap", "PT1H"))
                .post("/api/v1/subscriptions/" + id + "/secret/rotate")
                .then()
                .statusCode(200)
                .body("secrets.size()", equalTo(2))
                .extract()
                .asString());
        String fresh = rotated.path("secret").asText();
        assertThat(fresh).startsWith("whsec_").isNotEqualTo(old);
        StatusEvent during = publish(event(owner, "rotating." + UUID.randomUUID(), RequestState.READY));

        await().atMost(WAIT).untilAsserted(() -> assertThat(of(r, during)).hasSize(1));
        Delivery d = of(r, during).get(0);
        assertThat(d.headers().get("webhook-signature").split(" ")).hasSize(2);
        assertThat(d.verifies(old)).isTrue();
        assertThat(d.verifies(fresh)).isTrue();

        given().contentType(ContentType.JSON)
                .body(Map.of("overlap", "PT0S"))
                .post("/api/v1/subscriptions/" + id + "/secret/rotate")
                .then()
                .statusCode(200);
        given().contentType(ContentType.JSON)
                .body(Map.of("overlap", "P90D"))
                .post("/api/v1/subscriptions/" + id + "/secret/rotate")
                .then()
                .statusCode(422);
        StatusEvent after = publish(event(owner, "rotated." + UUID.randomUUID(), RequestState.READY));
        await().atMost(WAIT).untilAsserted(() -> assertThat(of(r, after)).hasSize(1));
        assertThat(of(r, after).get(0).headers().get("webhook-signature").split(" "))
                .hasSize(1);
        assertThat(of(r, after).get(0).verifies(old)).isFalse();
        assertThat(of(r, after).get(0).verifies(fresh)).isFalse();
        // no body at all: the default overlap (24 h), so two secrets are live again
        given().post("/api/v1/subscriptions/" + id + "/secret/rotate")
                .then()
                .statusCode(200)
                .body("secret", org.hamcrest.Matchers.startsWith("whsec_"))
                .body("secrets.size()", equalTo(2));
    }

    @Test
    void shouldKeepDeliveringToOthersWhileOneEndpointHangs() throws Exception {
        String owner = "isolated-" + UUID.randomUUID().toString().substring(0, 8);
        WebhookReceiver fast = receiver();
        WebhookReceiver stuck = receiver();
        webhook("ops", fast, Map.of("owners", List.of(owner)));
        webhook("ops", stuck, Map.of("owners", List.of(owner)));
        awaitRunning(fast, owner);
        await().atMost(WAIT).until(() -> !stuck.deliveries().isEmpty());
        CountDownLatch release = new CountDownLatch(1);
        stuck.respond(d -> {
            try {
                release.await(60, TimeUnit.SECONDS); // an endpoint that does not answer: every attempt times out
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return 200;
        });

        List<StatusEvent> sent = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            sent.add(publish(event(owner, "isolated." + i + "." + UUID.randomUUID(), RequestState.READY)));
        }
        // the fast endpoint gets all 20 well within one attempt timeout (3 s) of the stuck one
        await().atMost(Duration.ofSeconds(10))
                .untilAsserted(() -> assertThat(fast.accepted().stream().map(Delivery::id))
                        .containsAll(sent.stream().map(StatusEvent::eventId).toList()));
        assertThat(stuck.accepted().stream().map(Delivery::id))
                .doesNotContain(sent.get(sent.size() - 1).eventId());
        release.countDown();
    }

    @Test
    void shouldSendATestAndRedeliverAnEventWithTheSameWebhookId() throws Exception {
        String owner = "redeliver-" + UUID.randomUUID().toString().substring(0, 8);
        WebhookReceiver r = receiver();
        JsonNode sub = webhook("ops", r, Map.of("owners", List.of(owner)));
        String id = sub.path("id").asText();

        given().post("/api/v1/subscriptions/" + id + "/test")
                .then()
                .statusCode(200)
                .body("outcome", equalTo("delivered"))
                .body("statusCode", equalTo(200))
                .body("trigger", equalTo("test"));
        assertThat(r.deliveries()).anySatisfy(d -> {
            assertThat(d.body()).contains("io.kafkaconcierge.subscription.ping");
            assertThat(d.verifies(sub.path("secret").asText())).isTrue();
        });

        awaitRunning(r, owner);
        StatusEvent e = publish(event(owner, "again." + UUID.randomUUID(), RequestState.READY));
        await().atMost(WAIT).untilAsserted(() -> assertThat(of(r, e)).hasSize(1));
        await().atMost(WAIT)
                .untilAsserted(
                        () -> given().post("/api/v1/subscriptions/" + id + "/deliveries/" + e.eventId() + "/redeliver")
                                .then()
                                .statusCode(202));
        await().atMost(WAIT).untilAsserted(() -> assertThat(of(r, e)).hasSize(2));
        assertThat(of(r, e).get(1).body()).isEqualTo(of(r, e).get(0).body());
        given().post("/api/v1/subscriptions/" + id + "/deliveries/nope/redeliver")
                .then()
                .statusCode(404);
    }

    @Test
    void shouldTakeUpARedeliveryThatAStoppedReplicaLeftWaitingForItsNextAttempt() throws Exception {
        String owner = "resume-" + UUID.randomUUID().toString().substring(0, 8);
        WebhookReceiver r = receiver();
        String id =
                webhook("ops", r, Map.of("owners", List.of(owner))).path("id").asText();
        awaitRunning(r, owner);
        StatusEvent e = publish(event(owner, "resumed." + UUID.randomUUID(), RequestState.READY));
        await().atMost(WAIT).untilAsserted(() -> assertThat(of(r, e)).hasSize(1));
        JsonNode delivered = Json.MAPPER.readTree(given().get("/api/v1/subscriptions/" + id + "/deliveries")
                .then()
                .statusCode(200)
                .extract()
                .asString());
        JsonNode first = null;
        for (JsonNode a : delivered) {
            if (a.path("deliveryId").asText().equals(e.eventId())) {
                first = a;
            }
        }
        assertThat(first).isNotNull();
        // what a replica killed between two attempts of a redelivery leaves on the delivery log: attempt 1 failed,
        // attempt 2 due a minute ago, never made
        Instant killedAt = Instant.now().minus(Duration.ofMinutes(2));
        kafka.send(
                ConciergeTopics.DELIVERIES,
                id,
                new String(
                        Json.write(new io.kafkaconcierge.notifier.delivery.DeliveryAttempt(
                                id,
                                e.eventId(),
                                e.eventId(),
                                e.eventType(),
                                e.resource().key(),
                                first.path("partition").asInt(),
                                first.path("offset").asLong(),
                                1,
                                "redeliver",
                                "retrying",
                                503,
                                "HTTP 503",
                                12,
                                killedAt,
                                killedAt.plus(Duration.ofMinutes(1)))),
                        StandardCharsets.UTF_8),
                Map.of());

        await().atMost(WAIT).untilAsserted(() -> assertThat(of(r, e)).hasSize(2));
        assertThat(of(r, e).get(1).body()).isEqualTo(of(r, e).get(0).body());
        await().atMost(WAIT)
                .untilAsserted(() -> given().get("/api/v1/subscriptions/" + id + "/deliveries")
                        .then()
                        .body("find { it.deliveryId == '" + e.eventId() + "' }.trigger", equalTo("redeliver"))
                        .body("find { it.deliveryId == '" + e.eventId() + "' }.attempt", equalTo(2))
                        .body("find { it.deliveryId == '" + e.eventId() + "' }.outcome", equalTo("delivered")));
        // taken up once: still two deliveries over the next rounds of the take-up (every 5 s)
        await().during(Duration.ofSeconds(6)).atMost(WAIT).until(() -> of(r, e).size() == 2);
    }

    @Test
    void shouldConnectToTheCheckedAddressAndSendTheUrlsHostNameAsHost() throws Exception {
        WebhookReceiver r = receiver();
        String byName = r.url().replace("127.0.0.1", "localhost");
        Map<String, Object> body = Map.of("owner", "ops", "channel", Map.of("type", "webhook", "url", byName));
        String id = create(body).path("id").asText();

        given().post("/api/v1/subscriptions/" + id + "/test")
                .then()
                .statusCode(200)
                .body("outcome", equalTo("delivered"));
        assertThat(r.deliveries())
                .singleElement()
                .satisfies(d -> assertThat(d.headers().get("host"))
                        .isEqualTo(java.net.URI.create(byName).getAuthority()));
    }

    @Test
    void shouldStopDeliveringOnceDeleted() throws Exception {
        String owner = "deleted-" + UUID.randomUUID().toString().substring(0, 8);
        WebhookReceiver r = receiver();
        WebhookReceiver witness = receiver();
        String id =
                webhook("ops", r, Map.of("owners", List.of(owner))).path("id").asText();
        webhook("ops", witness, Map.of("owners", List.of(owner)));
        awaitRunning(r, owner);

        given().delete("/api/v1/subscriptions/" + id).then().statusCode(204);
        given().get("/api/v1/subscriptions/" + id).then().statusCode(404);
        StatusEvent after = publish(event(owner, "after-delete." + UUID.randomUUID(), RequestState.READY));

        await().atMost(WAIT).untilAsserted(() -> assertThat(of(witness, after)).hasSize(1));
        assertThat(of(r, after)).isEmpty();
    }
}
