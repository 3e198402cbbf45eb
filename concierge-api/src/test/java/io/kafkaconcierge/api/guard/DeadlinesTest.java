package io.kafkaconcierge.api.guard;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import io.kafkaconcierge.api.rest.ApiKafkaResource;
import io.kafkaconcierge.contracts.CloudEvents;
import io.kafkaconcierge.contracts.ConciergeTopics;
import io.kafkaconcierge.contracts.FailureReason;
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
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Deadlines with no provisioner running (nothing ever answers a command): a topic request ends FAILED with reason
 * TIMEOUT saying where it stuck, its FAILED event is written once, a late outcome does not change its end, and of two
 * replicas' decisions only the first on the ledger counts.
 */
@QuarkusTest
@TestProfile(DeadlinesTest.ShortDeadlines.class)
@QuarkusTestResource(value = ApiKafkaResource.class, restrictToAnnotatedClass = true)
class DeadlinesTest {

    public static class ShortDeadlines implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of(
                    "concierge.api.deadlines.topics",
                    "3s",
                    "concierge.api.deadlines.check-every",
                    "1s",
                    "concierge.api.guard.repair-after",
                    "2s");
        }
    }

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

    private static String create(String name) {
        return given().contentType(ContentType.JSON)
                .body("""
                {"cluster": "local", "name": "%s", "partitions": 1, "replicationFactor": 1,
                 "config": {}, "owner": "payments", "description": "deadline test"}""".formatted(name))
                .post("/api/v1/topics")
                .then()
                .statusCode(202)
                .extract()
                .path("requestId");
    }

    private static String unique(String prefix) {
        return prefix + "." + UUID.randomUUID().toString().substring(0, 8);
    }

    private List<ConsumerRecord<String, String>> failedEvents(String name, String requestId) {
        return kafka.records(ConciergeTopics.EVENTS, "local/" + name).stream()
                .filter(r -> (requestId + ".failed").equals(KafkaTestClient.header(r, CloudEvents.H_ID)))
                .toList();
    }

    /** Writes a terminal event of another request on the same resource and waits until the view has it. */
    private void awaitViewPast(String name) {
        String marker = "marker-" + UUID.randomUUID();
        kafka.sendEvent(new StatusEvent(
                marker,
                Operation.CREATE,
                ResourceRef.topic("local", name),
                RequestState.FAILED,
                null,
                FailureReason.INTERNAL,
                "marker",
                Instant.now()));
        await().atMost(Duration.ofSeconds(30))
                .until(() -> given().get("/api/v1/requests/" + marker).statusCode() == 200);
    }

    @Test
    void shouldFailARequestNobodyFinishesWithTimeoutOnceAndKeepThatEndAgainstALateOutcome() {
        String name = unique("stuck");
        String id = create(name);

        await().atMost(Duration.ofSeconds(60))
                .untilAsserted(() -> given().get("/api/v1/requests/" + id)
                        .then()
                        .statusCode(200)
                        .body("state", equalTo("FAILED")));
        given().get("/api/v1/requests/" + id)
                .then()
                .body("reason", equalTo("TIMEOUT"))
                .body("message", containsString("stuck in ACCEPTED"))
                .body("message", containsString("provisioner never reported taking it up"));

        // a provisioner that comes back late and reports READY changes nothing: the first end stays
        kafka.sendEvent(new StatusEvent(
                id,
                Operation.CREATE,
                ResourceRef.topic("local", name),
                RequestState.READY,
                null,
                null,
                null,
                Instant.now()));
        awaitViewPast(name);
        given().get("/api/v1/requests/" + id)
                .then()
                .body("state", equalTo("FAILED"))
                .body("reason", equalTo("TIMEOUT"));
        given().get("/api/v1/topics/local/" + name).then().body("state", equalTo("FAILED"));

        List<ConsumerRecord<String, String>> failed = failedEvents(name, id);
        assertThat(failed).singleElement().satisfies(r -> {
            StatusEvent event = Json.read(r.value().getBytes(), StatusEvent.class);
            assertThat(event.reason()).isEqualTo(FailureReason.TIMEOUT);
            assertThat(KafkaTestClient.header(r, CloudEvents.H_SOURCE)).isEqualTo("/kafka-concierge/concierge-api");
        });
    }

    @Test
    void shouldCountOnlyTheFirstTimeoutDecisionOfARequest() {
        String name = unique("raced");
        String id = create(name);
        // another replica decided first (and stopped before it published the event)
        LedgerRecord.Timeout other = new LedgerRecord.Timeout(
                "other-replica", id, "payments", "ACCEPTED", "decided by the other replica", Instant.now());
        kafka.send(ConciergeTopics.LEDGER, "payments", new String(Json.write(other)), Map.of());

        await().atMost(Duration.ofSeconds(60))
                .untilAsserted(() -> given().get("/api/v1/requests/" + id)
                        .then()
                        .statusCode(200)
                        .body("state", equalTo("FAILED")));
        given().get("/api/v1/requests/" + id)
                .then()
                .body("reason", equalTo("TIMEOUT"))
                .body("message", equalTo("decided by the other replica"));
        awaitViewPast(name);
        assertThat(failedEvents(name, id)).hasSize(1);
        long decisions = kafka.records(ConciergeTopics.LEDGER, "payments").stream()
                .filter(r -> r.value().contains("\"timeout\"") && r.value().contains(id))
                .count();
        assertThat(decisions).as("timeout records of the request on the ledger").isBetween(1L, 2L);
    }
}
