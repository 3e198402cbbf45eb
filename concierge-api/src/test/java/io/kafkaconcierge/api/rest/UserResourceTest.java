package io.kafkaconcierge.api.rest;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.nullValue;

import io.kafkaconcierge.contracts.ConciergeTopics;
import io.kafkaconcierge.contracts.Json;
import io.kafkaconcierge.contracts.RequestCommand;
import io.kafkaconcierge.contracts.RequestState;
import io.kafkaconcierge.contracts.StatusEvent;
import io.kafkaconcierge.contracts.UserSpec;
import io.kafkaconcierge.contracts.secrets.SecretBox;
import io.kafkaconcierge.testing.EmbeddedKafka;
import io.kafkaconcierge.testing.KafkaTestClient;
import io.kafkaconcierge.testing.TestIdentity;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

@QuarkusTest
@QuarkusTestResource(value = ApiKafkaResource.class, restrictToAnnotatedClass = true)
class UserResourceTest {

    static {
        TestIdentity.restAssuredAsAdmin();
    }

    private static final String PAYMENTS = TestIdentity.bearer(TestIdentity.member("pat", "payments"));
    private final KafkaTestClient kafka =
            new KafkaTestClient(EmbeddedKafka.shared().bootstrapServers());

    @BeforeEach
    void waitUntilReady() {
        await().atMost(Duration.ofSeconds(30))
                .until(() -> given().get("/q/health/ready").statusCode() == 200);
    }

    private static String unique(String prefix) {
        return prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    private static String body(String name, String grants) {
        return """
                {"cluster": "local", "name": "%s", "owner": "payments", "grants": %s,
                 "quotas": {"producerByteRate": 1048576}}""".formatted(name, grants);
    }

    private RequestCommand command(String name) {
        List<ConsumerRecord<String, String>> records = kafka.records(ConciergeTopics.REQUESTS, "user:local/" + name);
        return Json.read(records.get(records.size() - 1).value().getBytes(), RequestCommand.class);
    }

    private String create(String name) {
        return given().header("Authorization", PAYMENTS)
                .header(TestIdentity.NO_DEFAULT_TOKEN, "true")
                .contentType(ContentType.JSON)
                .body(body(name, "[{\"topic\": \"payments.orders\", \"operations\": [\"produce\"]}]"))
                .post("/api/v1/users")
                .then()
                .statusCode(202)
                .body("state", equalTo("ACCEPTED"))
                .extract()
                .path("requestId");
    }

    @Test
    void showsTheNewPasswordOnceToTheOwnerTeamAfterReadyAndNeverInClearOnKafka() throws Exception {
        String name = unique("payments-writer");
        String id = create(name);
        RequestCommand command = command(name);
        assertThat(command.user().principal()).isEqualTo("User:" + name);
        assertThat(command.credential()).startsWith("aesgcm:");
        String password = new SecretBox(Optional.of(ApiKafkaResource.SECRETS_KEY), "test").open(command.credential());

        given().header("Authorization", PAYMENTS)
                .header(TestIdentity.NO_DEFAULT_TOKEN, "true")
                .get("/api/v1/requests/" + id)
                .then()
                .statusCode(200)
                .header("Cache-Control", "no-store")
                .body("credential", nullValue())
                .body("credentialPending", equalTo(true));

        kafka.sendEvent(StatusEvent.of(command, RequestState.READY, Instant.now()));
        await().atMost(Duration.ofSeconds(10))
                .untilAsserted(() -> given().get("/api/v1/users/local/" + name)
                        .then()
                        .statusCode(200)
                        .body("state", equalTo("READY"))
                        .body("spec.grants[0].topic", equalTo("payments.orders")));
        // an admin outside the team never gets it
        given().get("/api/v1/requests/" + id).then().statusCode(200).body("credential", nullValue());

        // two answers at once: one shows it, the other does not (the claim on the log decides, as across replicas)
        CompletableFuture<String> a = CompletableFuture.supplyAsync(() -> given().header("Authorization", PAYMENTS)
                .header(TestIdentity.NO_DEFAULT_TOKEN, "true")
                .get("/api/v1/requests/" + id)
                .then()
                .statusCode(200)
                .extract()
                .path("credential.password"));
        CompletableFuture<String> b = CompletableFuture.supplyAsync(() -> given().header("Authorization", PAYMENTS)
                .header(TestIdentity.NO_DEFAULT_TOKEN, "true")
                .get("/api/v1/requests/" + id)
                .then()
                .statusCode(200)
                .extract()
                .path("credential.password"));
        assertThat(java.util.stream.Stream.of(a.get(), b.get())
                        .filter(p -> p != null)
                        .toList())
                .containsExactly(password);
        given().header("Authorization", PAYMENTS)
                .header(TestIdentity.NO_DEFAULT_TOKEN, "true")
                .get("/api/v1/requests/" + id)
                .then()
                .statusCode(200)
                .body("credential", nullValue())
                .header("Cache-Control", "no-store");
        given().queryParam("owner", "payments")
                .queryParam("size", 500)
                .get("/api/v1/users")
                .then()
                .statusCode(200)
                .body("items.name", hasItem(name));

        // a rotation is a new password, shown once like the first
        String rotation = given().header("Authorization", PAYMENTS)
                .header(TestIdentity.NO_DEFAULT_TOKEN, "true")
                .post("/api/v1/users/local/" + name + "/credentials/rotate")
                .then()
                .statusCode(202)
                .extract()
                .path("requestId");
        RequestCommand rotate = command(name);
        assertThat(rotate.requestId()).isEqualTo(rotation);
        String second = new SecretBox(Optional.of(ApiKafkaResource.SECRETS_KEY), "test").open(rotate.credential());
        assertThat(second).isNotEqualTo(password).hasSizeGreaterThanOrEqualTo(43);
        kafka.sendEvent(StatusEvent.of(rotate, RequestState.READY, Instant.now()));
        await().atMost(Duration.ofSeconds(10))
                .untilAsserted(
                        () -> given().get("/api/v1/requests/" + rotation).then().body("state", equalTo("READY")));
        given().header("Authorization", PAYMENTS)
                .header(TestIdentity.NO_DEFAULT_TOKEN, "true")
                .get("/api/v1/requests/" + rotation)
                .then()
                .body("credential.password", equalTo(second))
                .body("credential.username", equalTo(name))
                .body("credential.mechanism", equalTo("SCRAM-SHA-512"));

        for (String topic : List.of(
                ConciergeTopics.REQUESTS,
                ConciergeTopics.EVENTS,
                ConciergeTopics.AUDIT,
                ConciergeTopics.CREDENTIAL_REVEALS)) {
            await().atMost(Duration.ofSeconds(10))
                    .untilAsserted(() -> assertThat(kafka.records(topic))
                            .allSatisfy(r -> assertThat(String.valueOf(r.value()))
                                    .doesNotContain(password)
                                    .doesNotContain(second)));
        }
    }

    @Test
    void refusesANameOutsideTheTeamsNamesAndQuotasAboveTheBounds() {
        given().header("Authorization", PAYMENTS)
                .header(TestIdentity.NO_DEFAULT_TOKEN, "true")
                .contentType(ContentType.JSON)
                .body(body("orders-writer", "[]"))
                .post("/api/v1/users")
                .then()
                .statusCode(422)
                .contentType("application/problem+json")
                .body("errors.field", hasItem("name"))
                .body("errors.rule", hasItem("names.user"));
        given().header("Authorization", PAYMENTS)
                .header(TestIdentity.NO_DEFAULT_TOKEN, "true")
                .contentType(ContentType.JSON)
                .body("""
                        {"cluster": "local", "name": "%s", "owner": "payments",
                         "grants": [{"topic": "payments.", "patternType": "prefixed", "operations": ["consume"]}],
                         "quotas": {"producerByteRate": 999999999999, "requestPercentage": 0}}""".formatted(unique("payments-reader")))
                .post("/api/v1/users")
                .then()
                .statusCode(422)
                .body("errors.field", hasItem("grants[0].group"))
                .body("errors.field", hasItem("quotas.producerByteRate"))
                .body("errors.field", hasItem("quotas.requestPercentage"));
        given().header("Authorization", PAYMENTS)
                .header(TestIdentity.NO_DEFAULT_TOKEN, "true")
                .contentType(ContentType.JSON)
                .body(body("analytics-spy", "[]"))
                .post("/api/v1/users")
                .then()
                .statusCode(422);
        given().contentType(ContentType.JSON)
                .body(body(unique("payments-x"), "[]").replace("payments\"", "analytics\""))
                .header("Authorization", PAYMENTS)
                .header(TestIdentity.NO_DEFAULT_TOKEN, "true")
                .post("/api/v1/users")
                .then()
                .statusCode(403);
        assertThat(kafka.records(ConciergeTopics.REQUESTS).stream()
                        .map(r -> r.key())
                        .filter(k ->
                                k.startsWith("user:local/orders-writer") || k.startsWith("user:local/analytics-spy")))
                .isEmpty();
    }

    @Test
    void changesAndDeletesAUserOfTheTeamAndHidesItFromOtherTeams() {
        String name = unique("payments-app");
        create(name);
        RequestCommand c = command(name);
        kafka.sendEvent(StatusEvent.of(c, RequestState.READY, Instant.now()));
        await().atMost(Duration.ofSeconds(10))
                .untilAsserted(
                        () -> given().get("/api/v1/users/local/" + name).then().body("state", equalTo("READY")));
        given().header("Authorization", TestIdentity.bearer(TestIdentity.member("ann", "analytics")))
                .header(TestIdentity.NO_DEFAULT_TOKEN, "true")
                .get("/api/v1/users/local/" + name)
                .then()
                .statusCode(404);
        given().header("Authorization", PAYMENTS)
                .header(TestIdentity.NO_DEFAULT_TOKEN, "true")
                .contentType(ContentType.JSON)
                .body("{\"quotas\": {\"consumerByteRate\": 2048}}")
                .patch("/api/v1/users/local/" + name)
                .then()
                .statusCode(202);
        UserSpec patched = command(name).user();
        assertThat(patched.quotas().consumerByteRate()).isEqualTo(2048L);
        assertThat(patched.quotas().producerByteRate()).isNull();
        assertThat(patched.grants()).hasSize(1);
        assertThat(command(name).credential()).isNull();
        given().header("Authorization", PAYMENTS)
                .header(TestIdentity.NO_DEFAULT_TOKEN, "true")
                .delete("/api/v1/users/local/" + name)
                .then()
                .statusCode(202);
        assertThat(command(name).operation()).isEqualTo(io.kafkaconcierge.contracts.Operation.DELETE);
        // a user whose deletion is under way cannot be deleted again (as topics): 404, and no second command
        await().atMost(Duration.ofSeconds(10))
                .untilAsserted(() -> given().header("Authorization", PAYMENTS)
                        .header(TestIdentity.NO_DEFAULT_TOKEN, "true")
                        .delete("/api/v1/users/local/" + name)
                        .then()
                        .statusCode(404));
        assertThat(kafka.records(ConciergeTopics.REQUESTS, "user:local/" + name))
                .hasSize(3);
    }
}
