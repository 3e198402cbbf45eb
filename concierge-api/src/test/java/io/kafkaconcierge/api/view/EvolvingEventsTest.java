package io.kafkaconcierge.api.view;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kafkaconcierge.api.rest.ApiKafkaResource;
import io.kafkaconcierge.contracts.CloudEvents;
import io.kafkaconcierge.contracts.ConciergeTopics;
import io.kafkaconcierge.contracts.Json;
import io.kafkaconcierge.contracts.Operation;
import io.kafkaconcierge.contracts.RequestState;
import io.kafkaconcierge.contracts.ResourceRef;
import io.kafkaconcierge.contracts.StatusEvent;
import io.kafkaconcierge.testing.EmbeddedKafka;
import io.kafkaconcierge.testing.KafkaTestClient;
import io.kafkaconcierge.testing.TestIdentity;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Events written by a newer version: a type the API does not know is passed by, fields it does not know are
 * ignored, and neither counts as unreadable; a malformed record is counted (the alert's metric) and the reader goes
 * on.
 */
@QuarkusTest
@QuarkusTestResource(value = ApiKafkaResource.class, restrictToAnnotatedClass = true)
class EvolvingEventsTest {

    static {
        TestIdentity.restAssuredAsAdmin();
    }

    private final KafkaTestClient kafka =
            new KafkaTestClient(EmbeddedKafka.shared().bootstrapServers());

    @BeforeEach
    void waitUntilReady() {
        await().atMost(Duration.ofSeconds(30))
                .until(() -> given().get("/q/health/ready").statusCode() == 200);
    }

    /**
     * The records the view's reader passed, as the service's liveness check reports them. (Its meter
     * {@code concierge_unreadable_records_total} reads the same counter; in this test JVM, after other applications
     * ran, /q/metrics did not show it, while this test alone saw it there: not understood yet, see the session note.)
     */
    private static double unreadable() {
        String reader = given().get("/q/health/live")
                .then()
                .extract()
                .path("checks.find { it.name == 'topic-readers' }.data.'request-view-loader'");
        java.util.regex.Matcher m =
                java.util.regex.Pattern.compile("(\\d+) record\\(s\\) passed").matcher(reader);
        assertThat(m.find()).as(reader).isTrue();
        return Double.parseDouble(m.group(1));
    }

    private void sendEvent(String key, String id, String type, String data) {
        kafka.send(
                ConciergeTopics.EVENTS,
                key,
                data,
                Map.of(
                        CloudEvents.H_SPECVERSION,
                        CloudEvents.SPEC_VERSION,
                        CloudEvents.H_ID,
                        id,
                        CloudEvents.H_TYPE,
                        type,
                        CloudEvents.H_SOURCE,
                        "/a-newer-version",
                        CloudEvents.H_TIME,
                        Instant.now().toString(),
                        CloudEvents.H_CONTENT_TYPE,
                        CloudEvents.CONTENT_TYPE_JSON));
    }

    @Test
    void shouldPassByUnknownTypesAndIgnoreUnknownFieldsWithoutCountingThemUnreadable() {
        String name = "newer." + UUID.randomUUID().toString().substring(0, 8);
        String id = given().contentType(ContentType.JSON)
                .body("""
                {"cluster": "local", "name": "%s", "partitions": 1, "replicationFactor": 1,
                 "config": {}, "owner": "payments"}""".formatted(name))
                .post("/api/v1/topics")
                .then()
                .statusCode(202)
                .extract()
                .path("requestId");
        double before = unreadable();
        String key = ResourceRef.topic("local", name).key();

        // a state and a kind this version does not know
        sendEvent(
                key,
                id + ".archived",
                "io.kafkaconcierge.topic.archived",
                "{\"requestId\": \"" + id + "\", \"state\": \"ARCHIVED\", \"archiveTier\": \"cold\"}");
        sendEvent(key, "q-1", "io.kafkaconcierge.quota.exceeded", "{\"team\": \"payments\", \"by\": 3}");
        // a known event with fields added later
        ObjectNode ready = (ObjectNode) Json.MAPPER.valueToTree(new StatusEvent(
                id,
                Operation.CREATE,
                ResourceRef.topic("local", name),
                RequestState.READY,
                null,
                null,
                null,
                Instant.now()));
        ready.put("region", "eu-west-1");
        ready.putObject("costs").put("monthly", 12.5);
        sendEvent(key, id + ".ready", "io.kafkaconcierge.topic.ready", ready.toString());

        await().atMost(Duration.ofSeconds(30))
                .untilAsserted(() -> given().get("/api/v1/requests/" + id)
                        .then()
                        .statusCode(200)
                        .body("state", equalTo("READY")));
        given().get("/api/v1/requests/" + id)
                .then()
                .body("history.state", equalTo(java.util.List.of("ACCEPTED", "READY")));
        assertThat(unreadable()).isEqualTo(before);

        // a malformed one of a known type is counted, and the reader goes on
        sendEvent(key, id + ".deleted", "io.kafkaconcierge.topic.deleted", "{not json");
        String marker = "marker-" + UUID.randomUUID();
        kafka.sendEvent(new StatusEvent(
                marker,
                Operation.CREATE,
                ResourceRef.topic("local", name),
                RequestState.READY,
                null,
                null,
                null,
                Instant.now()));
        await().atMost(Duration.ofSeconds(30))
                .until(() -> given().get("/api/v1/requests/" + marker).statusCode() == 200);
        assertThat(unreadable()).isEqualTo(before + 1);
        given().get("/q/health/live").then().statusCode(200);
    }
}
