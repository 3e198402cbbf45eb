package io.kafkaconcierge.api.rest;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItems;

import io.kafkaconcierge.contracts.CloudEvents;
import io.kafkaconcierge.contracts.ConciergeTopics;
import io.kafkaconcierge.contracts.InstanceStatus;
import io.kafkaconcierge.contracts.InstanceStatus.Condition;
import io.kafkaconcierge.contracts.InstanceStatus.ListenerAddress;
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
class InstanceResourceTest {

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

    private static String unique() {
        return "inst-" + UUID.randomUUID().toString().substring(0, 8);
    }

    private static String body(String name, int brokers, String config) {
        return """
                {"name": "%s", "owner": "data-platform", "brokers": %d, "config": %s}""".formatted(name, brokers, config);
    }

    private String create(String name, int brokers, String config) {
        return given().contentType(ContentType.JSON)
                .body(body(name, brokers, config))
                .post("/api/v1/instances")
                .then()
                .statusCode(202)
                .extract()
                .path("requestId");
    }

    /** Plays the provisioner's part: the events of a request that ends READY. */
    private void ready(String requestId, String name) {
        RequestCommand command = Json.read(
                kafka.records(ConciergeTopics.REQUESTS, "instance:" + name).stream()
                        .filter(r -> r.value().contains(requestId))
                        .findFirst()
                        .orElseThrow()
                        .value()
                        .getBytes(),
                RequestCommand.class);
        InstanceStatus status = new InstanceStatus(
                "local",
                "4.1.1",
                command.instance().brokers(),
                List.of(new ListenerAddress("plain", "127.0.0.1:40001")),
                List.of(new Condition("Ready", "True", "BrokersReady", "all brokers answer", Instant.now())));
        kafka.sendEvent(StatusEvent.of(command, RequestState.PROVISIONING, Instant.now())
                .withStatus(status));
        kafka.sendEvent(
                StatusEvent.of(command, RequestState.READY, Instant.now()).withStatus(status));
    }

    @Test
    void shouldAcceptAValidInstanceAndWriteTheCommandKeyedByInstance() {
        String name = unique();
        String id = create(
                name,
                3,
                "{\"num.partitions\": 6, \"min.insync.replicas\": 2, "
                        + "\"default.replication.factor\": 3, \"compression.type\": \"zstd\"}");

        List<ConsumerRecord<String, String>> commands = kafka.records(ConciergeTopics.REQUESTS, "instance:" + name);
        assertThat(commands).singleElement().satisfies(r -> {
            RequestCommand c = Json.read(r.value().getBytes(), RequestCommand.class);
            assertThat(c.requestId()).isEqualTo(id);
            assertThat(c.instance().brokers()).isEqualTo(3);
            assertThat(c.instance().kafkaVersion()).isEqualTo("4.1.1");
            assertThat(c.instance().config())
                    .containsEntry("num.partitions", "6")
                    .containsEntry("compression.type", "zstd");
            assertThat(c.instance().listeners())
                    .singleElement()
                    .satisfies(l -> assertThat(l.type()).isEqualTo("internal"));
            assertThat(c.instance().storage().type()).isEqualTo("ephemeral");
        });
        given().get("/api/v1/instances/" + name)
                .then()
                .statusCode(200)
                .body("state", equalTo("ACCEPTED"))
                .body("requested.brokers", equalTo(3));
    }

    @Test
    void shouldRejectBadInstancesWithProblemDetailsAndWriteNothing() {
        int before = kafka.records(ConciergeTopics.REQUESTS).size();
        given().contentType(ContentType.JSON)
                .body("""
                        {"name": "Not_DNS", "owner": "data-platform", "brokers": 99, "kafkaVersion": "2.8.0",
                         "config": {"log.dirs": "/etc", "num.partitions": 0, "auto.create.topics.enable": "maybe"},
                         "storage": {"type": "persistent"},
                         "listeners": [{"name": "ext", "port": 9094, "type": "external", "tls": true}]}""")
                .post("/api/v1/instances")
                .then()
                .statusCode(422)
                .contentType("application/problem+json")
                .body(
                        "errors.field",
                        hasItems(
                                "name",
                                "brokers",
                                "kafkaVersion",
                                "config.log.dirs",
                                "config.num.partitions",
                                "config.auto.create.topics.enable",
                                "storage.size",
                                "listeners[0].type",
                                "listeners[0].tls"));
        given().contentType(ContentType.JSON)
                .body(body(unique(), 2, "{\"min.insync.replicas\": 3, " + "\"default.replication.factor\": 2}"))
                .post("/api/v1/instances")
                .then()
                .statusCode(422)
                .body("errors.field", hasItems("config.min.insync.replicas"))
                .body("errors.message", hasItems(containsString("the broker count (2)")));
        given().contentType(ContentType.JSON)
                .body("{\"name\": \"x\", \"owner\": \"a\", \"brokers\": 1, \"colour\": 1}")
                .post("/api/v1/instances")
                .then()
                .statusCode(400)
                .contentType("application/problem+json");
        assertThat(kafka.records(ConciergeTopics.REQUESTS)).hasSize(before);
    }

    @Test
    void shouldRefuseANameThatIsTakenByAnInstanceOrARegisteredCluster() {
        String name = unique();
        create(name, 1, "{}");
        given().contentType(ContentType.JSON)
                .body(body(name, 1, "{}"))
                .post("/api/v1/instances")
                .then()
                .statusCode(409)
                .body("type", containsString("instance-exists"));
        given().contentType(ContentType.JSON)
                .body(body("local", 1, "{}"))
                .post("/api/v1/instances")
                .then()
                .statusCode(409)
                .body("type", containsString("name-taken"));
    }

    @Test
    void shouldShowBootstrapServersAndBackendOnceReadyAndLetTopicRequestsFollow() {
        String name = unique();
        String id = create(name, 1, "{}");
        ready(id, name);
        await().atMost(Duration.ofSeconds(10))
                .untilAsserted(() -> given().get("/api/v1/instances/" + name)
                        .then()
                        .statusCode(200)
                        .body("state", equalTo("READY"))
                        .body("backend", equalTo("local"))
                        .body("listeners[0].bootstrapServers", equalTo("127.0.0.1:40001"))
                        .body("conditions[0].type", equalTo("Ready"))
                        .body("spec.brokers", equalTo(1)));
        given().get("/api/v1/instances?owner=data-platform&state=READY")
                .then()
                .statusCode(200)
                .body("items.name", hasItems(name));
    }

    @Test
    void shouldShowDegradedAfterAHealthChangeAndReadyWhenHealed() {
        String name = unique();
        String id = create(name, 1, "{}");
        ready(id, name);
        RequestCommand command = Json.read(
                kafka.records(ConciergeTopics.REQUESTS, "instance:" + name)
                        .get(0)
                        .value()
                        .getBytes(),
                RequestCommand.class);
        InstanceStatus degraded = new InstanceStatus(
                "local",
                "4.1.1",
                0,
                List.of(),
                List.of(new Condition(
                        "Ready", "False", "BrokerDown", "broker 1 exited; restarting it", Instant.now())));
        kafka.sendEvent(StatusEvent.of(command, RequestState.DEGRADED, Instant.now())
                .withStatus(degraded)
                .asHealthChange(1));
        await().atMost(Duration.ofSeconds(10))
                .untilAsserted(() -> given().get("/api/v1/instances/" + name)
                        .then()
                        .body("state", equalTo("DEGRADED"))
                        .body("conditions[0].reason", equalTo("BrokerDown")));
        kafka.sendEvent(StatusEvent.of(command, RequestState.READY, Instant.now())
                .withStatus(degraded)
                .asHealthChange(2));
        await().atMost(Duration.ofSeconds(10))
                .untilAsserted(
                        () -> given().get("/api/v1/instances/" + name).then().body("state", equalTo("READY")));
        assertThat(kafka.records(ConciergeTopics.EVENTS, "instance:" + name))
                .extracting(r -> r.headers().lastHeader(CloudEvents.H_ID) == null
                        ? ""
                        : new String(r.headers().lastHeader(CloudEvents.H_ID).value()))
                .contains(id + ".degraded.1", id + ".ready.2");
    }

    @Test
    void shouldRefuseToDeleteAProtectedInstanceUntilTheProtectionIsCleared() {
        String name = unique();
        String id = given().contentType(ContentType.JSON)
                .body("{\"name\": \"" + name + "\", \"owner\": \"data-platform\", \"brokers\": 1, "
                        + "\"deletionProtection\": true}")
                .post("/api/v1/instances")
                .then()
                .statusCode(202)
                .extract()
                .path("requestId");
        ready(id, name);
        await().atMost(Duration.ofSeconds(10))
                .untilAsserted(
                        () -> given().get("/api/v1/instances/" + name).then().body("state", equalTo("READY")));
        given().delete("/api/v1/instances/" + name)
                .then()
                .statusCode(409)
                .body("type", containsString("deletion-protected"));
        given().contentType(ContentType.JSON)
                .body("{\"brokers\": 0}")
                .patch("/api/v1/instances/" + name)
                .then()
                .statusCode(422)
                .body("errors.field", hasItems("brokers"));
        String patch = given().contentType(ContentType.JSON)
                .body("{\"deletionProtection\": false, " + "\"config\": {\"log.retention.hours\": 24}}")
                .patch("/api/v1/instances/" + name)
                .then()
                .statusCode(202)
                .extract()
                .path("requestId");
        given().delete("/api/v1/instances/" + name)
                .then()
                .statusCode(409)
                .body("type", containsString("instance-busy"));
        ready(patch, name);
        await().atMost(Duration.ofSeconds(10))
                .untilAsserted(() -> given().get("/api/v1/instances/" + name)
                        .then()
                        .body("spec.config.'log.retention.hours'", equalTo("24")));
        given().delete("/api/v1/instances/" + name).then().statusCode(202);
        assertThat(kafka.records(ConciergeTopics.REQUESTS, "instance:" + name)).hasSize(3);
    }
}
