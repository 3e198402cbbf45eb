package io.kafkaconcierge.notifier;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.startsWith;

import com.fasterxml.jackson.databind.JsonNode;
import io.kafkaconcierge.contracts.ConciergeTopics;
import io.kafkaconcierge.contracts.Json;
import io.kafkaconcierge.contracts.Operation;
import io.kafkaconcierge.contracts.RequestCommand;
import io.kafkaconcierge.contracts.RequestState;
import io.kafkaconcierge.contracts.StatusEvent;
import io.kafkaconcierge.contracts.TopicSpec;
import io.kafkaconcierge.notifier.subscription.SecretBox;
import io.kafkaconcierge.notifier.subscription.Subscription;
import io.kafkaconcierge.notifier.subscription.SubscriptionStore;
import io.kafkaconcierge.testing.EmbeddedKafka;
import io.kafkaconcierge.testing.KafkaTestClient;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import jakarta.inject.Inject;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Webhooks that point inside (cloud metadata, loopback) with the production defaults: refused when a subscription is
 * made, and refused again at each delivery, without a connection, for a subscription stored with such a URL anyway
 * (made before the check, or by a name that resolved elsewhere then).
 */
@QuarkusTest
@TestProfile(RefusedAddressesTest.LoopbackRefused.class)
class RefusedAddressesTest {

    static {
        io.kafkaconcierge.testing.TestIdentity.restAssuredAsAdmin();
    }

    /**
     * Loopback refused, and only the broker: the global test resources configure a webhook on 127.0.0.1, which
     * the notifier would then refuse to start with.
     */
    public static class LoopbackRefused implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("notifier.webhook.allow-loopback", "false");
        }

        @Override
        public List<TestResourceEntry> testResources() {
            return List.of(new TestResourceEntry(SubscriptionsTestResource.class));
        }

        @Override
        public boolean disableGlobalTestResources() {
            return true;
        }
    }

    private static final Duration WAIT = Duration.ofSeconds(30);
    private final KafkaTestClient kafka =
            new KafkaTestClient(EmbeddedKafka.shared().bootstrapServers());
    private final List<String> made = new ArrayList<>();
    private final AtomicInteger connections = new AtomicInteger();
    private ServerSocket listener;

    @Inject
    SubscriptionStore store;

    /** A real socket on 127.0.0.1 that counts every connection made to it: a refused delivery makes none. */
    @BeforeEach
    void listen() throws IOException {
        listener = new ServerSocket(0, 50, InetAddress.getByName("127.0.0.1"));
        Thread t = new Thread(
                () -> {
                    while (!listener.isClosed()) {
                        try (Socket s = listener.accept()) {
                            connections.incrementAndGet();
                        } catch (IOException e) {
                            return;
                        }
                    }
                },
                "connection-counter");
        t.setDaemon(true);
        t.start();
    }

    @AfterEach
    void deleteSubscriptionsAndClose() throws IOException {
        made.forEach(id -> given().delete("/api/v1/subscriptions/" + id));
        listener.close();
    }

    private String loopbackUrl() {
        return "http://127.0.0.1:" + listener.getLocalPort() + "/hooks";
    }

    private static StatusEvent event(String owner) {
        TopicSpec spec = new TopicSpec("local", "t." + UUID.randomUUID(), 1, (short) 1, Map.of(), owner, null);
        RequestCommand c = new RequestCommand(
                UUID.randomUUID().toString(),
                Operation.CREATE,
                spec.ref(),
                spec,
                null,
                null,
                "0".repeat(64),
                Instant.now());
        return StatusEvent.of(c, RequestState.READY, Instant.now());
    }

    /** Stores a subscription as it is, past the checks of the REST API. */
    private String stored(String url, String owner) throws Exception {
        Instant now = Instant.now();
        String id = "sub-refused" + UUID.randomUUID().toString().substring(0, 8);
        store.put(new Subscription(
                id,
                "ops",
                "points inside",
                new Subscription.Filter(List.of(), List.of(), List.of(owner), List.of()),
                Subscription.Channel.WEBHOOK,
                url,
                null,
                List.of(new Subscription.Secret(store.secrets().seal(SecretBox.newSecret()), now, null)),
                Subscription.ACTIVE,
                null,
                null,
                null,
                now,
                now,
                false));
        made.add(id);
        return id;
    }

    @Test
    void shouldRefuseAtCreationUrlsThatResolveToLinkLocalOrLoopback() {
        for (String url : List.of(
                "http://0xA9FEA9FE/",
                "http://[::ffff:169.254.169.254]/latest/meta-data",
                "http://2852039166/",
                loopbackUrl())) {
            given().contentType(ContentType.JSON)
                    .body(Map.of("owner", "ops", "channel", Map.of("type", "webhook", "url", url)))
                    .post("/api/v1/subscriptions")
                    .then()
                    .statusCode(422)
                    .contentType("application/problem+json")
                    .body("errors[0].field", equalTo("channel.url"))
                    .body("errors[0].message", startsWith("resolves to "));
        }
        given().contentType(ContentType.JSON)
                .body(Map.of("owner", "ops", "channel", Map.of("type", "webhook", "url", "http://0xA9FEA9FE/")))
                .post("/api/v1/subscriptions")
                .then()
                .body(
                        "errors[0].message",
                        equalTo(
                                "resolves to 169.254.169.254, a link-local address (cloud "
                                        + "metadata); deliveries to link-local, loopback and private addresses are not allowed"));
        assertThat(connections).hasValue(0);
    }

    @Test
    void shouldRecordADeliveryToARefusedAddressAsRefusedWithItsReasonAndNeverConnect() throws Exception {
        String owner = "inside-" + UUID.randomUUID().toString().substring(0, 8);
        Map<String, String> expected = new LinkedHashMap<>();
        expected.put(
                stored("http://0xA9FEA9FE/", owner),
                "refused: webhook host 0xA9FEA9FE resolves to "
                        + "169.254.169.254, a link-local address (cloud metadata); deliveries to link-local, loopback and "
                        + "private addresses are not allowed");
        expected.put(
                stored("http://[::ffff:169.254.169.254]/latest/meta-data", owner),
                "refused: webhook host "
                        + "[::ffff:169.254.169.254] resolves to 169.254.169.254, a link-local address (cloud metadata)");
        expected.put(
                stored(loopbackUrl(), owner),
                "refused: webhook host 127.0.0.1 resolves to 127.0.0.1, a " + "loopback address");
        StatusEvent e = event(owner);
        kafka.sendEvent(e);

        expected.forEach((id, reason) -> await().atMost(WAIT).untilAsserted(() -> {
            JsonNode attempts = Json.MAPPER.readTree(given().get("/api/v1/subscriptions/" + id + "/deliveries")
                    .then()
                    .statusCode(200)
                    .extract()
                    .asString());
            assertThat(attempts).singleElement().satisfies(a -> {
                assertThat(a.path("deliveryId").asText()).isEqualTo(e.eventId());
                assertThat(a.path("outcome").asText()).isEqualTo("refused");
                assertThat(a.path("attempt").asInt()).isEqualTo(1);
                assertThat(a.path("statusCode").asInt()).isZero();
                assertThat(a.path("error").asText()).startsWith(reason);
                assertThat(a.has("nextRetryAt")).isFalse();
            });
        }));
        // not retried: dead-lettered at once, with the reason
        await().atMost(WAIT)
                .untilAsserted(() -> assertThat(kafka.records(ConciergeTopics.NOTIFIER_DLQ).stream()
                                .filter(r -> expected.containsKey(KafkaTestClient.header(r, "dlq-subscription")))
                                .map(r -> KafkaTestClient.header(r, "dlq-reason")))
                        .hasSize(3)
                        .allMatch(r -> r.contains("refused: ")));

        String loopback = made.get(2);
        given().post("/api/v1/subscriptions/" + loopback + "/test")
                .then()
                .statusCode(200)
                .body("outcome", equalTo("refused"))
                .body("error", startsWith(expected.get(loopback)));
        assertThat(connections).hasValue(0);
        assertThat(given().get("/q/metrics").asString())
                .contains("concierge_webhook_attempts_total{outcome=\"refused\"}");
    }
}
