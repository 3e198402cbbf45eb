package io.kafkaconcierge.notifier;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.kafkaconcierge.contracts.ConciergeTopics;
import io.kafkaconcierge.testing.EmbeddedKafka;
import io.kafkaconcierge.testing.KafkaTestClient;
import io.kafkaconcierge.testing.TestIdentity;
import io.kafkaconcierge.testing.WebhookReceiver;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Every subscriptions endpoint, called by no one, an expired token, a member of the owning team, a member of another
 * team and an admin: each answer checked, and that a refused call wrote no subscription.
 */
@QuarkusTest
@QuarkusTestResource(SubscriptionsTestResource.class)
class SubscriptionAccessTest {

    static {
        TestIdentity.restAssuredAsAdmin();
    }

    enum Caller {
        NONE,
        EXPIRED,
        OWNER,
        OTHER,
        ADMIN
    }

    private final KafkaTestClient kafka =
            new KafkaTestClient(EmbeddedKafka.shared().bootstrapServers());
    private final WebhookReceiver receiver = new WebhookReceiver();

    private final List<String> made = new ArrayList<>();

    /** Subscriptions left behind would take every later test's events and dead-letter them. */
    @AfterEach
    void close() {
        made.forEach(id -> as(Caller.ADMIN).delete("/api/v1/subscriptions/" + id));
        receiver.close();
    }

    private static RequestSpecification as(Caller caller) {
        return switch (caller) {
            case NONE -> given().header(TestIdentity.NO_DEFAULT_TOKEN, "1");
            case EXPIRED ->
                given().header("Authorization", TestIdentity.bearer(TestIdentity.expired("alice", "payments")));
            case OWNER ->
                given().header("Authorization", TestIdentity.bearer(TestIdentity.member("alice", "payments")));
            case OTHER -> given().header("Authorization", TestIdentity.bearer(TestIdentity.member("bob", "analytics")));
            case ADMIN -> given().header("Authorization", TestIdentity.bearer(TestIdentity.admin()));
        };
    }

    private record Case(String what, Function<RequestSpecification, Response> call, Map<Caller, Integer> expected) {}

    private static Map<Caller, Integer> expect(int owner, int other, int admin) {
        Map<Caller, Integer> m = new LinkedHashMap<>();
        m.put(Caller.NONE, 401);
        m.put(Caller.EXPIRED, 401);
        m.put(Caller.OWNER, owner);
        m.put(Caller.OTHER, other);
        m.put(Caller.ADMIN, admin);
        return m;
    }

    @Test
    void shouldAnswerEverySubscriptionEndpointForEveryCallerAsTheirTeamsAllowAndWriteNothingWhenRefused() {
        await().atMost(Duration.ofSeconds(30))
                .until(() -> given().get("/q/health/ready").statusCode() == 200);
        String body =
                "{\"owner\": \"payments\", \"channel\": {\"type\": \"webhook\", \"url\": \"" + receiver.url() + "\"}}";
        String id = as(Caller.OWNER)
                .contentType(ContentType.JSON)
                .body(body)
                .post("/api/v1/subscriptions")
                .then()
                .statusCode(201)
                .extract()
                .path("id");
        made.add(id);
        List<Case> cases = List.of(
                new Case(
                        "POST",
                        r -> r.contentType(ContentType.JSON).body(body).post("/api/v1/subscriptions"),
                        expect(201, 403, 201)),
                new Case("GET one", r -> r.get("/api/v1/subscriptions/" + id), expect(200, 404, 200)),
                new Case(
                        "PATCH",
                        r -> r.contentType(ContentType.JSON)
                                .body("{\"description\": \"x\"}")
                                .patch("/api/v1/subscriptions/" + id),
                        expect(200, 404, 200)),
                new Case(
                        "rotate",
                        r -> r.contentType(ContentType.JSON)
                                .body("{\"overlap\": \"PT1M\"}")
                                .post("/api/v1/subscriptions/" + id + "/secret/rotate"),
                        expect(200, 404, 200)),
                new Case("test", r -> r.post("/api/v1/subscriptions/" + id + "/test"), expect(200, 404, 200)),
                new Case(
                        "deliveries", r -> r.get("/api/v1/subscriptions/" + id + "/deliveries"), expect(200, 404, 200)),
                new Case(
                        "redeliver",
                        r -> r.post("/api/v1/subscriptions/" + id + "/deliveries/nope/redeliver"),
                        expect(404, 404, 404)),
                new Case("DELETE", r -> r.delete("/api/v1/subscriptions/" + id), expect(204, 404, 404)));
        List<String> wrong = new ArrayList<>();
        for (Case c : cases) {
            for (Caller caller : Caller.values()) {
                long written = kafka.written(ConciergeTopics.SUBSCRIPTIONS);
                Response answer = c.call().apply(as(caller));
                if (answer.statusCode() == 201) {
                    made.add(answer.path("id"));
                }
                if (answer.statusCode() != c.expected().get(caller)) {
                    wrong.add(c.what() + " as " + caller + ": " + answer.statusCode() + ", expected "
                            + c.expected().get(caller) + " " + answer.asString());
                }
                if (answer.statusCode() >= 400) {
                    assertThat(answer.contentType()).startsWith("application/problem+json");
                    assertThat(kafka.written(ConciergeTopics.SUBSCRIPTIONS))
                            .as(c.what() + " as " + caller)
                            .isEqualTo(written);
                }
            }
        }
        assertThat(wrong).isEmpty();

        List<String> listedByOther = as(Caller.OTHER)
                .get("/api/v1/subscriptions")
                .then()
                .statusCode(200)
                .extract()
                .path("owner");
        assertThat(listedByOther).doesNotContain("payments");
        List<String> listedByOwner = as(Caller.OWNER)
                .get("/api/v1/subscriptions")
                .then()
                .statusCode(200)
                .extract()
                .path("owner");
        assertThat(listedByOwner).isNotEmpty().containsOnly("payments");
    }
}
