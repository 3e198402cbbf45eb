package io.kafkaconcierge.api.rest;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasItems;
import static org.hamcrest.Matchers.notNullValue;

import io.kafkaconcierge.contracts.ConciergeTopics;
import io.kafkaconcierge.contracts.Json;
import io.kafkaconcierge.contracts.RequestCommand;
import io.kafkaconcierge.contracts.RequestState;
import io.kafkaconcierge.contracts.StatusEvent;
import io.kafkaconcierge.testing.EmbeddedKafka;
import io.kafkaconcierge.testing.KafkaTestClient;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

@QuarkusTest
@QuarkusTestResource(value = ApiKafkaResource.class, restrictToAnnotatedClass = true)
class TopicResourceTest {

    static {
        io.kafkaconcierge.testing.TestIdentity.restAssuredAsAdmin();
    }

    private final KafkaTestClient kafka =
            new KafkaTestClient(EmbeddedKafka.shared().bootstrapServers());

    @BeforeEach
    void waitUntilReady() {
        await().atMost(Duration.ofSeconds(30))
                .until(() -> given().get("/q/health/ready").statusCode() == 200);
    }

    private static String body(String name, int partitions, String config) {
        return """
                {"cluster": "local", "name": "%s", "partitions": %d, "replicationFactor": 1,
                 "config": %s, "owner": "payments", "description": "test"}""".formatted(name, partitions, config);
    }

    private static String unique(String prefix) {
        return prefix + "." + UUID.randomUUID().toString().substring(0, 8);
    }

    @Test
    void shouldAcceptAValidTopicAndWriteTheCommandKeyedByResource() {
        String name = unique("orders");
        String id = given().contentType(ContentType.JSON)
                .body(body(name, 3, "{\"retention.ms\": 86400000}"))
                .post("/api/v1/topics")
                .then()
                .statusCode(202)
                .header("Location", containsString("/api/v1/requests/"))
                .body("state", equalTo("ACCEPTED"))
                .extract()
                .path("requestId");

        List<ConsumerRecord<String, String>> commands = kafka.records(ConciergeTopics.REQUESTS, "local/" + name);
        assertThat(commands).singleElement().satisfies(r -> {
            RequestCommand c = Json.read(r.value().getBytes(), RequestCommand.class);
            assertThat(c.requestId()).isEqualTo(id);
            assertThat(c.spec().partitions()).isEqualTo(3);
            assertThat(c.spec().config()).containsEntry("retention.ms", "86400000");
        });
        given().get("/api/v1/requests/" + id)
                .then()
                .statusCode(200)
                .body("state", equalTo("ACCEPTED"))
                .body("history.state", hasItem("ACCEPTED"));
    }

    @Test
    void shouldRejectInvalidFieldsWithProblemDetailsAndWriteNothing() {
        String name = unique("bad");
        int before = kafka.records(ConciergeTopics.REQUESTS).size();
        given().contentType(ContentType.JSON)
                .body("""
                        {"cluster": "nowhere", "name": "%s!", "partitions": 0, "replicationFactor": 1,
                         "config": {"retention.ms": "soon", "no.such.config": 1}, "owner": ""}""".formatted(name))
                .post("/api/v1/topics")
                .then()
                .statusCode(422)
                .contentType("application/problem+json")
                .body("type", containsString("/problems/validation"))
                .body("status", equalTo(422))
                .body(
                        "errors.field",
                        hasItems(
                                "cluster",
                                "name",
                                "partitions",
                                "owner",
                                "config.retention.ms",
                                "config.no.such.config"));
        assertThat(kafka.records(ConciergeTopics.REQUESTS)).hasSize(before);
    }

    @Test
    void shouldRejectAReplicationFactorAboveTheClusterBrokerCount() {
        given().contentType(ContentType.JSON)
                .body(body(unique("rf"), 1, "{}").replace("\"replicationFactor\": 1", "\"replicationFactor\": 3"))
                .post("/api/v1/topics")
                .then()
                .statusCode(422)
                .body("errors.field", hasItem("replicationFactor"));
    }

    @Test
    void shouldRejectUnknownFieldsAndUnreadableJsonWith400() {
        given().contentType(ContentType.JSON)
                .body(body(unique("typo"), 1, "{}").replace("\"partitions\"", "\"partition\""))
                .post("/api/v1/topics")
                .then()
                .statusCode(400)
                .contentType("application/problem+json")
                .body("errors.field", hasItem("partition"));
        given().contentType(ContentType.JSON)
                .body("{not json")
                .post("/api/v1/topics")
                .then()
                .statusCode(400)
                .contentType("application/problem+json");
    }

    @Test
    void shouldReturnTheFirstRequestForARepeatedIdempotencyKeyAndRefuseItForAnotherBody() {
        String name = unique("idem");
        String key = UUID.randomUUID().toString();
        String first = given().contentType(ContentType.JSON)
                .header("Idempotency-Key", key)
                .body(body(name, 2, "{}"))
                .post("/api/v1/topics")
                .then()
                .statusCode(202)
                .extract()
                .path("requestId");
        given().contentType(ContentType.JSON)
                .header("Idempotency-Key", key)
                .body(body(name, 2, "{}"))
                .post("/api/v1/topics")
                .then()
                .statusCode(202)
                .header("Idempotent-Replayed", "true")
                .body("requestId", equalTo(first));
        given().contentType(ContentType.JSON)
                .header("Idempotency-Key", key)
                .body(body(name, 4, "{}"))
                .post("/api/v1/topics")
                .then()
                .statusCode(422)
                .body("type", containsString("idempotency-key-reused"));
        assertThat(kafka.records(ConciergeTopics.REQUESTS, "local/" + name)).hasSize(1);
    }

    @Test
    void shouldShowTheStateAndHistoryTheEventsReport() {
        String name = unique("evented");
        String id = given().contentType(ContentType.JSON)
                .body(body(name, 1, "{}"))
                .post("/api/v1/topics")
                .then()
                .statusCode(202)
                .extract()
                .path("requestId");
        RequestCommand command = Json.read(
                kafka.records(ConciergeTopics.REQUESTS, "local/" + name)
                        .get(0)
                        .value()
                        .getBytes(),
                RequestCommand.class);
        StatusEvent ready = StatusEvent.of(command, RequestState.READY, Instant.now());
        kafka.sendEvent(ready);

        await().atMost(Duration.ofSeconds(10))
                .untilAsserted(
                        () -> given().get("/api/v1/requests/" + id).then().body("state", equalTo("READY")));
        given().get("/api/v1/topics/local/" + name)
                .then()
                .statusCode(200)
                .body("state", equalTo("READY"))
                .body("spec.partitions", equalTo(1));
        given().queryParam("owner", "payments")
                .queryParam("state", "READY")
                .queryParam("size", 500)
                .get("/api/v1/topics")
                .then()
                .statusCode(200)
                .body("items.name", hasItem(name));
    }

    @Test
    void shouldRefuseToChangeOrDeleteATopicTheConciergeDoesNotManage() {
        given().contentType(ContentType.JSON)
                .body("{\"partitions\": 3}")
                .patch("/api/v1/topics/local/nobody.knows")
                .then()
                .statusCode(404)
                .contentType("application/problem+json");
        given().delete("/api/v1/topics/local/nobody.knows").then().statusCode(404);
        given().get("/api/v1/requests/" + UUID.randomUUID())
                .then()
                .statusCode(404)
                .contentType("application/problem+json");
    }

    @Test
    void shouldRefuseToLowerPartitions() {
        String name = unique("shrink");
        given().contentType(ContentType.JSON)
                .body(body(name, 4, "{}"))
                .post("/api/v1/topics")
                .then()
                .statusCode(202);
        given().contentType(ContentType.JSON)
                .body("{\"partitions\": 2}")
                .patch("/api/v1/topics/local/" + name)
                .then()
                .statusCode(422)
                .body("errors[0].message", containsString("only grow"));
    }

    @Test
    void shouldServeTheOpenApiDocument() {
        given().get("/q/openapi?format=json")
                .then()
                .statusCode(200)
                .body("paths.'/api/v1/topics'.post", notNullValue())
                .body("paths.'/api/v1/requests/{id}'.get", notNullValue());
    }
}
