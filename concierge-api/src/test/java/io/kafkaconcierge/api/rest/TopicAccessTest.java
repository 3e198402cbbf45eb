package io.kafkaconcierge.api.rest;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasItems;

import io.kafkaconcierge.contracts.ConciergeTopics;
import io.kafkaconcierge.contracts.Json;
import io.kafkaconcierge.contracts.RequestCommand;
import io.kafkaconcierge.contracts.RequestState;
import io.kafkaconcierge.contracts.StatusEvent;
import io.kafkaconcierge.contracts.TopicSpec;
import io.kafkaconcierge.contracts.UserSpec;
import io.kafkaconcierge.testing.EmbeddedKafka;
import io.kafkaconcierge.testing.KafkaTestClient;
import io.kafkaconcierge.testing.TestIdentity;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.specification.RequestSpecification;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A topic request that gives users of its team access: refused whole (nothing written) when a user is unknown, of
 * another team, or an operation is wrong; otherwise one command with the topic and its access, whose grants become
 * the users' own (a later PATCH of the user keeps them).
 */
@QuarkusTest
@QuarkusTestResource(value = ApiKafkaResource.class, restrictToAnnotatedClass = true)
class TopicAccessTest {

    static {
        TestIdentity.restAssuredAsAdmin();
    }

    private static final String PAYMENTS = TestIdentity.bearer(TestIdentity.member("pat", "payments"));
    private static final String ANALYTICS = TestIdentity.bearer(TestIdentity.member("ann", "analytics"));
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

    private static RequestSpecification as(String bearer) {
        return given().header("Authorization", bearer)
                .header(TestIdentity.NO_DEFAULT_TOKEN, "true")
                .contentType(ContentType.JSON);
    }

    private RequestCommand last(String key) {
        List<ConsumerRecord<String, String>> records = kafka.records(ConciergeTopics.REQUESTS, key);
        return Json.read(records.get(records.size() - 1).value().getBytes(), RequestCommand.class);
    }

    /** A READY user of {@code team}, made through the API (the provisioner's READY sent by hand). */
    private String user(String bearer, String team) {
        String name = unique(team + "-app");
        as(bearer).body("""
                {"cluster": "local", "name": "%s", "owner": "%s", "grants": []}""".formatted(name, team)).post("/api/v1/users").then().statusCode(202);
        kafka.sendEvent(StatusEvent.of(last("user:local/" + name), RequestState.READY, Instant.now()));
        await().atMost(Duration.ofSeconds(10))
                .untilAsserted(
                        () -> given().get("/api/v1/users/local/" + name).then().body("state", equalTo("READY")));
        return name;
    }

    private static String topic(String name, String access) {
        return """
                {"cluster": "local", "name": "%s", "partitions": 1, "replicationFactor": 1, "owner": "payments",
                 "access": %s}""".formatted(name, access);
    }

    @Test
    void refusesAccessForUnknownUsersUsersOfAnotherTeamAndBadOperationsAndWritesNothing() {
        String ours = user(PAYMENTS, "payments");
        String theirs = user(ANALYTICS, "analytics");
        String name = unique("payments.refused");
        long before = kafka.written(ConciergeTopics.REQUESTS);

        as(PAYMENTS)
                .body(topic(name, """
                [{"user": "%s", "operations": ["produce"]},
                 {"user": "payments-nobody", "operations": ["produce"]},
                 {"user": "%s", "operations": ["consume"], "group": "payments-g"},
                 {"user": "%s", "operations": ["consume"]},
                 {"user": "%s", "operations": []}]""".formatted(ours, theirs, ours, ours)))
                .post("/api/v1/topics")
                .then()
                .statusCode(422)
                .contentType("application/problem+json")
                .body(
                        "errors.field",
                        hasItems(
                                "access[1].user",
                                "access[2].user",
                                "access[3].user",
                                "access[3].group",
                                "access[4].operations"))
                .body(
                        "errors.find { it.field == 'access[2].user' }.message",
                        equalTo("no user '" + theirs + "' of team payments on cluster 'local'; access goes to users "
                                + "of the topic's team, made with POST /api/v1/users"));
        as(PAYMENTS)
                .body(topic(name, "[{\"user\": \"" + ours + "\", \"operations\": [\"write\"]}]"))
                .post("/api/v1/topics")
                .then()
                .statusCode(400)
                .contentType("application/problem+json")
                .body("errors.field", hasItem("access[0].operations[0]"))
                .body("errors[0].message", equalTo("is none of [produce, consume, describe]"));
        // a group outside the team's names: the guard rails plan the access with the topic
        as(PAYMENTS)
                .body(topic(
                        name,
                        "[{\"user\": \"" + ours + "\", \"operations\": [\"consume\"], "
                                + "\"group\": \"analytics-readers\"}]"))
                .post("/api/v1/topics")
                .then()
                .statusCode(422)
                .body("errors.field", hasItem("access[0].group"));

        assertThat(kafka.written(ConciergeTopics.REQUESTS)).isEqualTo(before);
        assertThat(kafka.records(ConciergeTopics.REQUESTS, "local/" + name)).isEmpty();
    }

    @Test
    void givesAccessInTheTopicsOneCommandAndKeepsItAsTheUsersGrantThroughALaterPatch() {
        String writer = user(PAYMENTS, "payments");
        String reader = user(PAYMENTS, "payments");
        String name = unique("payments.shipments");
        String requestId = as(PAYMENTS)
                .body(topic(name, """
                [{"user": "%s", "operations": ["produce"]},
                 {"user": "%s", "operations": ["consume", "describe"], "group": "payments-shipping"}]""".formatted(writer, reader)))
                .post("/api/v1/topics")
                .then()
                .statusCode(202)
                .extract()
                .path("requestId");

        RequestCommand command = last("local/" + name);
        assertThat(command.requestId()).isEqualTo(requestId);
        assertThat(command.spec().access())
                .extracting(TopicSpec.UserAccess::user)
                .containsExactly(writer, reader);
        assertThat(command.spec().access().get(1).group()).isEqualTo("payments-shipping");

        // from then on the grants are the users': what they ask for now includes them
        UserSpec.Grant writes = new UserSpec.Grant(
                name, UserSpec.PatternType.LITERAL, List.of(UserSpec.Access.PRODUCE), null, null, null, null, null);
        await().atMost(Duration.ofSeconds(10))
                .untilAsserted(() -> given().get("/api/v1/users/local/" + writer)
                        .then()
                        .body("requested.grants.topic", hasItem(name)));
        kafka.sendEvent(StatusEvent.of(command, RequestState.READY, Instant.now()));
        await().atMost(Duration.ofSeconds(10))
                .untilAsserted(() ->
                        given().get("/api/v1/users/local/" + writer).then().body("spec.grants.topic", hasItem(name)));

        // a PATCH of something else carries the grant on, so the provisioner does not remove its ACLs
        as(PAYMENTS)
                .body("{\"quotas\": {\"producerByteRate\": 4096}}")
                .patch("/api/v1/users/local/" + writer)
                .then()
                .statusCode(202);
        assertThat(last("user:local/" + writer).user().grants()).containsExactly(writes);
        // a PATCH that replaces the grants decides, as for any grant
        as(PAYMENTS)
                .body("{\"grants\": []}")
                .patch("/api/v1/users/local/" + writer)
                .then()
                .statusCode(202);
        assertThat(last("user:local/" + writer).user().grants()).isEmpty();

        // deleting the topic gives no access to anybody, and takes no grant away
        as(PAYMENTS).delete("/api/v1/topics/local/" + name).then().statusCode(202);
        assertThat(last("local/" + name).spec().access()).isEmpty();
        await().atMost(Duration.ofSeconds(10))
                .untilAsserted(() -> given().get("/api/v1/users/local/" + reader)
                        .then()
                        .body("requested.grants.group", hasItem("payments-shipping")));
    }
}
