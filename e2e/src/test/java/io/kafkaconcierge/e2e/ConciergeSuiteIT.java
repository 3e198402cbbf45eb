package io.kafkaconcierge.e2e;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;

import io.cloudevents.CloudEvent;
import io.kafkaconcierge.contracts.CloudEvents;
import io.kafkaconcierge.contracts.ConciergeTopics;
import io.kafkaconcierge.contracts.Json;
import io.kafkaconcierge.testing.AsyncApi;
import io.kafkaconcierge.testing.CloudEventsSdk;
import io.kafkaconcierge.testing.KafkaTestClient;
import io.kafkaconcierge.testing.SseClient;
import io.kafkaconcierge.testing.WebhookReceiver;
import io.kafkaconcierge.testing.WebhookReceiver.Delivery;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.config.ConfigResource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * The three services together against one real broker, checked by what a user sees: the topic on the broker, the
 * request's state and history over REST, the signed webhooks, and what survives a killed service.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ConciergeSuiteIT {

    private static final Duration WAIT = Duration.ofSeconds(60);
    private static final String SECRET =
            "whsec_" + Base64.getEncoder().encodeToString("end-to-end-test-secret-32-bytes!".getBytes());

    private final WebhookReceiver receiver = new WebhookReceiver();
    private Suite suite;
    private Admin admin;
    private KafkaTestClient kafka;

    @BeforeAll
    void startSuite() throws Exception {
        suite = new Suite(Map.of(
                "notifier.webhook.url",
                receiver.url(),
                "notifier.webhook.secret",
                SECRET,
                "notifier.webhook.retry-schedule",
                "200ms,400ms,800ms,1600ms,3200ms,6400ms,12800ms,25s,50s"));
        admin = suite.kafka().admin();
        kafka = new KafkaTestClient(suite.kafka().bootstrapServers());
        suite.start(Suite.PROVISIONER);
        suite.start(Suite.NOTIFIER);
        suite.start(Suite.API);
        // the API knows the cluster once the provisioner has published it
        await().atMost(WAIT)
                .until(() -> post(topic("probe." + UUID.randomUUID(), 1)).statusCode() == 202);
    }

    @AfterAll
    void stopSuite() throws Exception {
        admin.close();
        suite.close();
        receiver.close();
    }

    private String api() {
        return suite.url(Suite.API);
    }

    private static String topic(String name, int partitions) {
        return """
                {"cluster": "local", "name": "%s", "partitions": %d, "replicationFactor": 1,
                 "config": {"retention.ms": "3600000", "cleanup.policy": "delete"}, "owner": "payments"}""".formatted(name, partitions);
    }

    private Response post(String body) {
        return given().baseUri(api()).contentType(ContentType.JSON).body(body).post("/api/v1/topics");
    }

    private String accepted(Response response) {
        assertThat(response.statusCode()).as(response.asString()).isEqualTo(202);
        return response.path("requestId");
    }

    private void awaitState(String requestId, String state) {
        await().atMost(WAIT)
                .untilAsserted(() -> given().baseUri(api())
                        .get("/api/v1/requests/" + requestId)
                        .then()
                        .statusCode(200)
                        .body("state", equalTo(state)));
    }

    private Config config(String topic) throws Exception {
        return admin.describeConfigs(List.of(new ConfigResource(ConfigResource.Type.TOPIC, topic)))
                .all()
                .get()
                .values()
                .iterator()
                .next();
    }

    @Test
    @Order(1)
    void shouldCreateTheAskedTopicOnTheBrokerAndTellTheWebhookInOrder() throws Exception {
        String name = "orders." + UUID.randomUUID();
        String id = accepted(post(topic(name, 4)));

        awaitState(id, "READY");
        given().baseUri(api())
                .get("/api/v1/requests/" + id)
                .then()
                .body("history.state", equalTo(List.of("ACCEPTED", "PROVISIONING", "READY")));
        assertThat(admin.describeTopics(List.of(name))
                        .allTopicNames()
                        .get()
                        .get(name)
                        .partitions())
                .hasSize(4);
        assertThat(config(name).get("retention.ms").value()).isEqualTo("3600000");

        await().atMost(WAIT)
                .untilAsserted(() -> assertThat(
                                receiver.accepted().stream().map(Delivery::id).filter(i -> i.startsWith(id)))
                        .containsExactly(id + ".accepted", id + ".provisioning", id + ".ready"));
        assertThat(receiver.accepted().stream().filter(d -> d.id().startsWith(id)))
                .allMatch(d -> d.verifies(SECRET), "signature verifies with the secret");
        // one request can be followed across the three services' logs by its id
        for (String service : List.of(Suite.API, Suite.PROVISIONER, Suite.NOTIFIER)) {
            await().atMost(WAIT)
                    .untilAsserted(() -> assertThat(Files.readAllLines(Path.of("target", "e2e-logs", service + ".log")))
                            .as(service)
                            .anyMatch(line -> line.contains(" " + id + " ")));
        }
    }

    @Test
    @Order(2)
    void shouldDeliverARequestToASubscriptionMadeOverRestSignedWithItsOwnSecret() throws Exception {
        try (WebhookReceiver mine = new WebhookReceiver()) {
            String created = given().baseUri(suite.url(Suite.NOTIFIER))
                    .contentType(ContentType.JSON)
                    .body("""
                    {"owner": "payments", "channel": {"type": "webhook", "url": "%s"},
                     "filter": {"owners": ["payments"], "types": ["io.kafkaconcierge.topic.ready"]}}""".formatted(mine.url()))
                    .post("/api/v1/subscriptions")
                    .then()
                    .statusCode(201)
                    .extract()
                    .asString();
            String secret = io.kafkaconcierge.contracts.Json.MAPPER
                    .readTree(created)
                    .path("secret")
                    .asText();
            String subscription = io.kafkaconcierge.contracts.Json.MAPPER
                    .readTree(created)
                    .path("id")
                    .asText();
            // a subscription gets what is written after it was made; its dispatchers take a moment to join
            await().atMost(WAIT)
                    .untilAsserted(() -> given().baseUri(suite.url(Suite.NOTIFIER))
                            .get("/q/health/ready")
                            .then()
                            .statusCode(200));
            String id = accepted(post(topic("subscribed." + UUID.randomUUID(), 1)));

            await().atMost(WAIT)
                    .untilAsserted(() -> assertThat(
                                    mine.accepted().stream().map(Delivery::id).filter(i -> i.startsWith(id)))
                            .containsExactly(id + ".ready"));
            assertThat(mine.accepted()).allMatch(d -> d.verifies(secret)).noneMatch(d -> d.verifies(SECRET));
            given().baseUri(suite.url(Suite.NOTIFIER))
                    .get("/api/v1/subscriptions/" + subscription + "/deliveries")
                    .then()
                    .statusCode(200)
                    .body("deliveryId", org.hamcrest.Matchers.hasItem(id + ".ready"));
            // a second replica, started now, knows the subscription and its deliveries from Kafka alone
            suite.start(Suite.NOTIFIER, "notifier-2");
            try {
                given().baseUri(suite.url("notifier-2"))
                        .get("/api/v1/subscriptions/" + subscription)
                        .then()
                        .statusCode(200)
                        .body("owner", equalTo("payments"));
                given().baseUri(suite.url("notifier-2"))
                        .get("/api/v1/subscriptions/" + subscription + "/deliveries")
                        .then()
                        .statusCode(200)
                        .body("deliveryId", org.hamcrest.Matchers.hasItem(id + ".ready"));
                given().baseUri(suite.url("notifier-2"))
                        .delete("/api/v1/subscriptions/" + subscription)
                        .then()
                        .statusCode(204);
                await().atMost(WAIT)
                        .untilAsserted(() -> given().baseUri(suite.url(Suite.NOTIFIER))
                                .get("/api/v1/subscriptions/" + subscription)
                                .then()
                                .statusCode(404));
            } finally {
                suite.stop("notifier-2");
            }
        }
    }

    @Test
    @Order(2)
    void shouldLetAStreamClientWatchARequestFromAcceptedToReady() throws Exception {
        String owner = "watchers" + UUID.randomUUID().toString().substring(0, 6);
        try (SseClient stream = SseClient.connect(api() + "/api/v1/events/stream?owner=" + owner, null)) {
            assertThat(stream.status()).isEqualTo(200);
            String id = accepted(
                    post(topic("watched." + UUID.randomUUID(), 1).replace("\"payments\"", "\"" + owner + "\"")));
            await().atMost(WAIT)
                    .untilAsserted(() -> assertThat(stream.events())
                            .extracting(SseClient.Event::name)
                            .containsExactly(
                                    "io.kafkaconcierge.topic.accepted",
                                    "io.kafkaconcierge.topic.provisioning",
                                    "io.kafkaconcierge.topic.ready"));
            assertThat(stream.events()).allSatisfy(e -> assertThat(e.data()).contains(id));
        }
    }

    @Test
    @Order(2)
    void shouldReturnTheFirstRequestForADuplicateIdempotencyKeyAndCreateNothingNew() {
        String name = "idem." + UUID.randomUUID();
        String key = UUID.randomUUID().toString();
        String first = accepted(given().baseUri(api())
                .contentType(ContentType.JSON)
                .header("Idempotency-Key", key)
                .body(topic(name, 1))
                .post("/api/v1/topics"));
        awaitState(first, "READY");
        String again = accepted(given().baseUri(api())
                .contentType(ContentType.JSON)
                .header("Idempotency-Key", key)
                .body(topic(name, 1))
                .post("/api/v1/topics"));

        assertThat(again).isEqualTo(first);
        assertThat(kafka.records(ConciergeTopics.REQUESTS, "local/" + name)).hasSize(1);
    }

    @Test
    @Order(3)
    void shouldChangeConfigsAndPartitionsOnTheBrokerWithPatchAndRemoveTheTopicWithDelete() throws Exception {
        String name = "changing." + UUID.randomUUID();
        awaitState(accepted(post(topic(name, 2))), "READY");

        String patch = accepted(given().baseUri(api())
                .contentType(ContentType.JSON)
                .body("{\"partitions\": 6, \"config\": {\"retention.ms\": \"7200000\", \"cleanup.policy\": null}}")
                .patch("/api/v1/topics/local/" + name));
        awaitState(patch, "READY");
        assertThat(admin.describeTopics(List.of(name))
                        .allTopicNames()
                        .get()
                        .get(name)
                        .partitions())
                .hasSize(6);
        assertThat(config(name).get("retention.ms").value()).isEqualTo("7200000");
        assertThat(config(name).get("cleanup.policy").source().name()).isNotEqualTo("DYNAMIC_TOPIC_CONFIG");
        given().baseUri(api())
                .get("/api/v1/topics/local/" + name)
                .then()
                .body("spec.partitions", equalTo(6))
                .body("state", equalTo("READY"));

        String delete = accepted(given().baseUri(api()).delete("/api/v1/topics/local/" + name));
        awaitState(delete, "DELETED");
        await().atMost(WAIT)
                .untilAsserted(
                        () -> assertThat(admin.listTopics().names().get()).doesNotContain(name));
        given().baseUri(api()).get("/api/v1/topics/local/" + name).then().body("state", equalTo("DELETED"));
    }

    @Test
    @Order(4)
    void shouldLeaveNoTraceOfInvalidRequests() throws Exception {
        int commands = kafka.records(ConciergeTopics.REQUESTS).size();
        int events = kafka.records(ConciergeTopics.EVENTS).size();
        Set<String> topics = admin.listTopics().names().get();

        post("""
                {"cluster": "local", "name": "bad/name", "partitions": 1, "replicationFactor": 1, "owner": "p"}""").then().statusCode(422);
        post(topic("too.many.replicas", 1).replace("\"replicationFactor\": 1", "\"replicationFactor\": 2"))
                .then()
                .statusCode(422);
        post(topic("unknown.cluster", 1).replace("\"local\"", "\"mars\""))
                .then()
                .statusCode(422);
        post(topic("bad.config", 1).replace("3600000", "an hour")).then().statusCode(422);
        post("{broken").then().statusCode(400);
        given().baseUri(api())
                .contentType(ContentType.JSON)
                .body("{\"partitions\": 9}")
                .patch("/api/v1/topics/local/not.managed")
                .then()
                .statusCode(404);

        assertThat(kafka.records(ConciergeTopics.REQUESTS)).hasSize(commands);
        assertThat(kafka.records(ConciergeTopics.EVENTS)).hasSize(events);
        assertThat(admin.listTopics().names().get()).isEqualTo(topics);
    }

    @Test
    @Order(4)
    void shouldServeTheApiDocumentationFromThePackagedApp() throws Exception {
        given().baseUri(api())
                .get("/q/openapi?format=json")
                .then()
                .statusCode(200)
                .body("info.title", equalTo("Kafka Concierge API"));
        // what is served is what the build stored and linted (concierge-api/target/openapi/, tools/contract-checks)
        Path built = Path.of(System.getProperty("concierge.apps.dir", ".."))
                .resolve("concierge-api")
                .resolve("target/openapi/openapi.json");
        assertThat(Json.MAPPER.readTree(
                        given().baseUri(api()).get("/q/openapi?format=json").asString()))
                .isEqualTo(Json.MAPPER.readTree(built.toFile()));
        given().baseUri(api()).get("/q/swagger-ui/").then().statusCode(200);
    }

    @Test
    @Order(5)
    void shouldWriteRecordsThatFollowTheAsyncApiDocumentAndTheCloudEventsKafkaBinding() throws Exception {
        AsyncApi asyncApi = AsyncApi.load();
        List<ConsumerRecord<String, String>> events = kafka.records(ConciergeTopics.EVENTS);
        assertThat(events).isNotEmpty();
        List<ConsumerRecord<String, String>> audit = kafka.records(ConciergeTopics.AUDIT);
        assertThat(audit).isNotEmpty();
        List<CloudEvent> read = new ArrayList<>();
        for (ConsumerRecord<String, String> e : concat(events, audit)) {
            assertThat(asyncApi.checkEvent(e)).as(e.key() + ": " + e.value()).isEmpty();
            // as a subscriber that validates reads them: the CloudEvents Java SDK's Kafka deserializer
            assertThat(CloudEventsSdk.check(e)).as(e.key() + ": " + e.value()).isEmpty();
            read.add(CloudEventsSdk.read(e));
        }
        // and the JavaScript SDK, in strict mode, on the same events in structured JSON
        assertThat(CloudEventsSdk.checkWithJavaScriptSdk(read, Path.of("target", "cloudevents")))
                .isEmpty();
        for (ConsumerRecord<String, String> r : kafka.records(ConciergeTopics.REQUESTS)) {
            assertThat(asyncApi.checkRecord("requestCommand", r)).as(r.value()).isEmpty();
        }
        List<ConsumerRecord<String, String>> clusters = kafka.records(ConciergeTopics.CLUSTERS);
        assertThat(clusters).isNotEmpty();
        for (ConsumerRecord<String, String> r : clusters) {
            assertThat(asyncApi.checkRecord("clusterInfo", r))
                    .as(r.key() + ": " + r.value())
                    .isEmpty();
        }
    }

    @Test
    @Order(6)
    void shouldLoseNoAcceptedRequestWhenTheProvisionerIsKilled() throws Exception {
        suite.kill(Suite.PROVISIONER);
        List<String> ids = new ArrayList<>();
        List<String> names = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            String name = "while.down." + i + "." + UUID.randomUUID();
            names.add(name);
            ids.add(accepted(post(topic(name, 1))));
        }
        given().baseUri(api()).get("/api/v1/requests/" + ids.get(0)).then().body("state", equalTo("ACCEPTED"));

        suite.start(Suite.PROVISIONER);
        ids.forEach(id -> awaitState(id, "READY"));
        assertThat(admin.listTopics().names().get()).containsAll(names);
        Map<String, Set<String>> outcomes = kafka.records(ConciergeTopics.EVENTS).stream()
                .map(r -> KafkaTestClient.header(r, CloudEvents.H_ID))
                .filter(id -> id.endsWith(".ready") || id.endsWith(".failed") || id.endsWith(".deleted"))
                .collect(Collectors.groupingBy(
                        id -> id.substring(0, id.lastIndexOf('.')),
                        Collectors.mapping(id -> id.substring(id.lastIndexOf('.') + 1), Collectors.toSet())));
        assertThat(outcomes.values()).as("one kind of outcome per request").allMatch(s -> s.size() == 1);
    }

    @Test
    @Order(7)
    void shouldDeliverAfterRestartWhenTheNotifierIsKilledMidRetry() throws Exception {
        String name = "flaky.endpoint." + UUID.randomUUID();
        receiver.respond(d -> d.body().contains(name) ? 503 : 200);
        String id = accepted(post(topic(name, 1)));
        await().atMost(WAIT)
                .untilAsserted(() -> assertThat(receiver.deliveries().stream()
                                .filter(d -> (id + ".accepted").equals(d.id()))
                                .count())
                        .isGreaterThanOrEqualTo(2));

        suite.kill(Suite.NOTIFIER);
        receiver.respond(d -> 200);
        suite.start(Suite.NOTIFIER);

        await().atMost(WAIT)
                .untilAsserted(() -> assertThat(
                                receiver.accepted().stream().map(Delivery::id).filter(i -> i.startsWith(id)))
                        .containsExactly(id + ".accepted", id + ".provisioning", id + ".ready"));
        assertThat(receiver.deliveries().stream().filter(d -> d.id().startsWith(id)))
                .allMatch(d -> d.verifies(SECRET));
    }

    @Test
    @Order(8)
    void shouldRebuildTheSameViewAfterARestartAndOnASecondReplica() throws Exception {
        String before = given().baseUri(api())
                .queryParam("size", 500)
                .get("/api/v1/topics")
                .asString();
        suite.kill(Suite.API);
        suite.start(Suite.API);
        suite.start(Suite.API, "concierge-api-2");

        assertThat(given().baseUri(api())
                        .queryParam("size", 500)
                        .get("/api/v1/topics")
                        .asString())
                .isEqualTo(before);
        assertThat(given().baseUri(suite.url("concierge-api-2"))
                        .queryParam("size", 500)
                        .get("/api/v1/topics")
                        .asString())
                .isEqualTo(before);
    }

    @Test
    @Order(99)
    void shouldAnswer503AndAcceptNothingWhenKafkaCannotTakeTheRequest() {
        suite.stopKafka();
        Response response = post(topic("no.kafka." + UUID.randomUUID(), 1));
        assertThat(response.statusCode()).as(response.asString()).isEqualTo(503);
        assertThat(response.header("Retry-After")).isNotBlank();
        assertThat(response.contentType()).startsWith("application/problem+json");
    }

    private static <T> List<T> concat(List<T> a, List<T> b) {
        List<T> all = new ArrayList<>(a);
        all.addAll(b);
        return all;
    }
}
