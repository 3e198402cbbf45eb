package io.kafkaconcierge.e2e;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;

import io.kafkaconcierge.contracts.ConciergeTopics;
import io.kafkaconcierge.contracts.Json;
import io.kafkaconcierge.testing.EmbeddedKafka;
import io.kafkaconcierge.testing.KafkaTestClient;
import io.kafkaconcierge.testing.TestIdentity;
import io.restassured.http.ContentType;
import io.restassured.specification.RequestSpecification;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.apache.kafka.clients.admin.Admin;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The guard rails with the services as separate processes and two API replicas: a quota holds exactly under
 * concurrent requests spread over both replicas, and a prod request waits for two approvers (on either replica),
 * is then provisioned for real, while a rejected one never reaches the provisioner.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class GuardRailsIT {

    private static final Duration WAIT = Duration.ofSeconds(60);
    private static final String PROD = "prod-local";

    private Suite suite;
    private Admin admin;

    @BeforeAll
    void startSuite() throws Exception {
        EmbeddedKafka kafka = EmbeddedKafka.start();
        // a second registered cluster, of the prod class, on the same broker
        suite = new Suite(
                kafka,
                Map.of(
                        "concierge.provisioner.clusters." + PROD + ".bootstrap-servers",
                        kafka.bootstrapServers(),
                        "concierge.provisioner.clusters." + PROD + ".environment",
                        "prod"));
        admin = kafka.admin();
        suite.start(Suite.PROVISIONER);
        suite.start(Suite.API, "api-1");
        suite.start(Suite.API, "api-2");
        for (String api : List.of("api-1", "api-2")) {
            await().atMost(WAIT)
                    .until(() -> !given().baseUri(suite.url(api))
                            .contentType(ContentType.JSON)
                            .body(topic(PROD, "probe." + UUID.randomUUID(), "probe", 1))
                            .post("/api/v1/topics?dryRun=true")
                            .asString()
                            .contains("unknown cluster"));
        }
        // one broker here: the prod class's replication factor 3 cannot be placed; the cluster's own policy keeps the
        // prod approvals
        given().baseUri(suite.url("api-1"))
                .contentType(ContentType.JSON)
                .body("""
                {"partitions": {"min": 1, "max": 50}, "unclaimedNames": true,
                 "approval": {"required": 2, "approvers": "admins", "expiry": "P1D", "instanceDeletion": 2}}""")
                .put("/api/v1/clusters/" + PROD + "/policy")
                .then()
                .statusCode(200);
    }

    @AfterAll
    void stopSuite() throws Exception {
        admin.close();
        suite.close();
    }

    private RequestSpecification on(String api, String subject, String... groups) {
        return given().baseUri(suite.url(api))
                .header("Authorization", TestIdentity.bearer(TestIdentity.member(subject, groups)))
                .contentType(ContentType.JSON);
    }

    private static String topic(String cluster, String name, String owner, int partitions) {
        return new String(Json.write(Map.of(
                "cluster", cluster, "name", name, "owner", owner, "partitions", partitions, "replicationFactor", 1)));
    }

    @Test
    void twentyConcurrentRequestsAgainstAQuotaOfTenOnTwoReplicasGiveExactlyTen() throws Exception {
        String team = "quota" + UUID.randomUUID().toString().substring(0, 6);
        on("api-2", "root", TestIdentity.ADMIN_GROUP)
                .body(Map.of("topics", 10))
                .put("/api/v1/teams/" + team + "/quota")
                .then()
                .statusCode(200);
        // the other replica reads the quota from the governance topic: wait until it answers with it
        await().atMost(WAIT)
                .untilAsserted(() -> on("api-1", "root", TestIdentity.ADMIN_GROUP)
                        .get("/api/v1/teams/" + team + "/usage")
                        .then()
                        .body("quota.topics", equalTo(10)));
        ExecutorService pool = Executors.newFixedThreadPool(20);
        List<Future<Integer>> answers = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            String api = i % 2 == 0 ? "api-1" : "api-2";
            String name = team + ".t" + i;
            answers.add(pool.submit((Callable<Integer>) () -> on(api, "quinn", team)
                    .body(topic("local", name, team, 1))
                    .post("/api/v1/topics")
                    .statusCode()));
        }
        List<Integer> statuses = new ArrayList<>();
        for (Future<Integer> answer : answers) {
            statuses.add(answer.get());
        }
        pool.shutdown();
        assertThat(statuses).filteredOn(s -> s == 202).hasSize(10);
        assertThat(statuses).filteredOn(s -> s == 422).hasSize(10);
        // the ten are provisioned, and both replicas count them as the team's usage
        await().atMost(WAIT)
                .until(() -> admin.listTopics().names().get().stream()
                                .filter(n -> n.startsWith(team + "."))
                                .count()
                        == 10);
        for (String api : List.of("api-1", "api-2")) {
            await().atMost(WAIT)
                    .untilAsserted(() -> on(api, "quinn", team)
                            .get("/api/v1/teams/" + team + "/usage")
                            .then()
                            .body("usage.topics", equalTo(10))
                            .body("resources.topics", equalTo(10)));
        }
        assertThat(admin.listTopics().names().get().stream()
                        .filter(n -> n.startsWith(team + "."))
                        .count())
                .isEqualTo(10);
    }

    @Test
    void aProdRequestWaitsForTwoApproversOnEitherReplicaAndIsThenProvisioned() {
        String name = "ops.orders." + UUID.randomUUID().toString().substring(0, 6);
        String id = on("api-1", "ada", "ops", TestIdentity.ADMIN_GROUP)
                .body(topic(PROD, name, "ops", 3))
                .post("/api/v1/topics")
                .then()
                .statusCode(202)
                .body("state", equalTo("AWAITING_APPROVAL"))
                .extract()
                .path("requestId");
        on("api-2", "ada", "ops", TestIdentity.ADMIN_GROUP)
                .body(Map.of())
                .post("/api/v1/requests/" + id + "/approve")
                .then()
                .statusCode(403);
        await().atMost(WAIT)
                .untilAsserted(() -> on("api-2", "ben", TestIdentity.ADMIN_GROUP)
                        .body(Map.of("comment", "ok"))
                        .post("/api/v1/requests/" + id + "/approve")
                        .then()
                        .statusCode(200)
                        .body("state", equalTo("AWAITING_APPROVAL")));
        on("api-1", "cy", TestIdentity.ADMIN_GROUP)
                .body(Map.of("comment", "fine"))
                .post("/api/v1/requests/" + id + "/approve")
                .then()
                .statusCode(200)
                .body("state", equalTo("ACCEPTED"));
        for (String api : List.of("api-1", "api-2")) {
            await().atMost(WAIT)
                    .untilAsserted(() -> on(api, "ada", "ops")
                            .get("/api/v1/requests/" + id)
                            .then()
                            .body("state", equalTo("READY")));
        }
        await().atMost(WAIT).until(() -> admin.listTopics().names().get().contains(name));
    }

    @Test
    void aRejectedProdRequestNeverReachesTheProvisioner() throws Exception {
        String name = "ops.rejected." + UUID.randomUUID().toString().substring(0, 6);
        String id = on("api-2", "ada", "ops")
                .body(topic(PROD, name, "ops", 3))
                .post("/api/v1/topics")
                .then()
                .statusCode(202)
                .extract()
                .path("requestId");
        await().atMost(WAIT)
                .untilAsserted(() -> on("api-1", "ben", TestIdentity.ADMIN_GROUP)
                        .body(Map.of("comment", "not now"))
                        .post("/api/v1/requests/" + id + "/reject")
                        .then()
                        .statusCode(200));
        for (String api : List.of("api-1", "api-2")) {
            await().atMost(WAIT)
                    .untilAsserted(() -> on(api, "ada", "ops")
                            .get("/api/v1/requests/" + id)
                            .then()
                            .body("state", equalTo("FAILED"))
                            .body("reason", equalTo("APPROVAL_REJECTED")));
        }
        // its command was never written for the provisioner, and so the topic was never made
        assertThat(new KafkaTestClient(suite.kafka().bootstrapServers()).records(ConciergeTopics.REQUESTS))
                .noneMatch(r -> r.value().contains(id));
        assertThat(admin.listTopics().names().get()).doesNotContain(name);
    }
}
