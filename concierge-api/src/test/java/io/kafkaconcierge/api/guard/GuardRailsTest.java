package io.kafkaconcierge.api.guard;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;

import io.kafkaconcierge.api.rest.ApiKafkaResource;
import io.kafkaconcierge.contracts.CloudEvents;
import io.kafkaconcierge.contracts.ClusterInfo;
import io.kafkaconcierge.contracts.ConciergeTopics;
import io.kafkaconcierge.contracts.Json;
import io.kafkaconcierge.testing.EmbeddedKafka;
import io.kafkaconcierge.testing.KafkaTestClient;
import io.kafkaconcierge.testing.TestIdentity;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.ValidatableResponse;
import io.restassured.specification.RequestSpecification;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The guard rails over the real API and broker: claims, policy rules, quotas, dry runs, and four-eyes approvals of a
 * prod request, rejected or expired ones never reaching concierge.requests (what the provisioner reads).
 */
@QuarkusTest
@QuarkusTestResource(value = ApiKafkaResource.class, restrictToAnnotatedClass = true)
class GuardRailsTest {

    static {
        TestIdentity.restAssuredAsAdmin();
    }

    private static final KafkaTestClient KAFKA =
            new KafkaTestClient(EmbeddedKafka.shared().bootstrapServers());

    @BeforeAll
    static void clusters() {
        EnvironmentClusters.publish(KAFKA);
    }

    @BeforeEach
    void ready() {
        EnvironmentClusters.awaitKnown(GuardRailsTest::clusterKnown);
    }

    private static boolean clusterKnown(String cluster) {
        String body = given().contentType(ContentType.JSON)
                .body(topic(cluster, "probe.x", "t", 1))
                .post("/api/v1/topics?dryRun=true")
                .asString();
        return !body.contains("unknown cluster");
    }

    private static RequestSpecification as(String subject, String... groups) {
        return given().header("Authorization", TestIdentity.bearer(TestIdentity.member(subject, groups)))
                .contentType(ContentType.JSON);
    }

    private static String topic(String cluster, String name, String owner, int partitions) {
        return topic(cluster, name, owner, partitions, 1, Map.of());
    }

    private static String topic(
            String cluster, String name, String owner, int partitions, int rf, Map<String, String> config) {
        return new String(Json.write(Map.of(
                "cluster",
                cluster,
                "name",
                name,
                "owner",
                owner,
                "partitions",
                partitions,
                "replicationFactor",
                rf,
                "config",
                config)));
    }

    private static String unique() {
        return UUID.randomUUID().toString().substring(0, 8);
    }

    private static final Map<String, String> PROD_CONFIG =
            Map.of("min.insync.replicas", "2", "retention.ms", "86400000", "retention.bytes", "1073741824");

    @Test
    void showsEveryMemberTheRegisteredClustersWithTheirEnvironmentAndBootstrapServers() {
        String bootstrap = EmbeddedKafka.shared().bootstrapServers();
        as("sam", "shop")
                .get("/api/v1/clusters")
                .then()
                .statusCode(200)
                .body("find { it.name == 'prod-main' }.environment", equalTo("prod"))
                .body("find { it.name == 'prod-main' }.bootstrapServers", equalTo(bootstrap))
                .body("find { it.name == 'test-main' }.environment", equalTo("test"))
                .body("find { it.name == 'prod-main' }.brokers", equalTo(3));
        given().header(TestIdentity.NO_DEFAULT_TOKEN, "1")
                .get("/api/v1/clusters")
                .then()
                .statusCode(401);
    }

    @Test
    void refusesATopicUnderAnotherTeamsClaim() {
        String prefix = "pay" + unique() + ".";
        given().contentType(ContentType.JSON)
                .body(Map.of("resourceType", "topic", "prefix", prefix))
                .post("/api/v1/teams/payments/claims")
                .then()
                .statusCode(201);
        as("sam", "shop")
                .body(topic("local", prefix + "orders", "shop", 1))
                .post("/api/v1/topics")
                .then()
                .statusCode(422)
                .body("type", equalTo("https://kafkaconcierge.io/problems/policy"))
                .body("errors.rule", hasItem("claims.topic"));
        as("pia", "payments")
                .body(topic("local", prefix + "orders", "payments", 1))
                .post("/api/v1/topics")
                .then()
                .statusCode(202);
    }

    @Test
    void refusesAnOverlappingClaimOfAnotherTeamAndLetsOnlyAdminsClaim() {
        String base = "ov" + unique();
        given().contentType(ContentType.JSON)
                .body(Map.of("resourceType", "topic", "prefix", base + "."))
                .post("/api/v1/teams/alpha/claims")
                .then()
                .statusCode(201);
        // '_' and '.' collide in Kafka's metrics: the same prefix to the guard rails
        given().contentType(ContentType.JSON)
                .body(Map.of("resourceType", "topic", "prefix", base + "_x."))
                .post("/api/v1/teams/beta/claims")
                .then()
                .statusCode(409);
        as("bea", "beta")
                .body(Map.of("resourceType", "topic", "prefix", "mine" + unique() + "."))
                .post("/api/v1/teams/beta/claims")
                .then()
                .statusCode(403);
        given().contentType(ContentType.JSON)
                .body(Map.of("resourceType", "topic", "prefix", "nodelimiter"))
                .post("/api/v1/teams/beta/claims")
                .then()
                .statusCode(422);
    }

    @Test
    void requiresClaimedNamesInTestAndNamesTheRule() {
        as("tom", "testers")
                .body(topic("test-main", "free" + unique(), "testers", 1))
                .post("/api/v1/topics")
                .then()
                .statusCode(422)
                .body("errors.rule", hasItem("policy.test.unclaimedNames"));
    }

    @Test
    void refusesPartitionsOverThePolicyNamingTheRuleTheValueAndTheBound() {
        ValidatableResponse refused = as("pat", "platform")
                .body(topic("prod-main", "big" + unique(), "platform", 500, 3, PROD_CONFIG))
                .post("/api/v1/topics")
                .then()
                .statusCode(422);
        refused.body("errors.find { it.rule == 'policy.prod.partitions' }.asked", equalTo(500))
                .body("errors.find { it.rule == 'policy.prod.partitions' }.bound", equalTo("1..200"))
                .body("errors.rule", hasItem("policy.prod.unclaimedNames"));
        as("pat", "platform")
                .body(topic("prod-main", "big" + unique(), "platform", 6, 1, Map.of()))
                .post("/api/v1/topics")
                .then()
                .statusCode(422)
                .body("errors.rule", hasItem("policy.prod.replicationFactors"))
                .body("errors.rule", hasItem("policy.prod.minInsyncReplicas"));
    }

    @Test
    void refusesATeamAtItsTopicQuotaWhileAnotherTeamGoesOn() {
        String full = "full" + unique();
        String free = "free" + unique();
        given().contentType(ContentType.JSON)
                .body(Map.of("topics", 2))
                .put("/api/v1/teams/" + full + "/quota")
                .then()
                .statusCode(200)
                .body("quota.topics", equalTo(2));
        for (int i = 0; i < 2; i++) {
            as("fay", full)
                    .body(topic("local", full + ".t" + i, full, 1))
                    .post("/api/v1/topics")
                    .then()
                    .statusCode(202);
        }
        as("fay", full)
                .body(topic("local", full + ".t2", full, 1))
                .post("/api/v1/topics")
                .then()
                .statusCode(422)
                .body("type", equalTo("https://kafkaconcierge.io/problems/quota-exceeded"))
                .body("errors[0].rule", equalTo("quota.topics"))
                .body("errors[0].usage", equalTo(2))
                .body("errors[0].asked", equalTo(1))
                .body("errors[0].bound", equalTo(2));
        as("fred", free)
                .body(topic("local", free + ".t0", free, 1))
                .post("/api/v1/topics")
                .then()
                .statusCode(202);
        as("fay", full)
                .get("/api/v1/teams/" + full + "/usage")
                .then()
                .statusCode(200)
                .body("usage.topics", equalTo(2))
                .body("quota.topics", equalTo(2));
    }

    @Test
    void chargesATopicMadeWithoutAReservationToItsTeamWithinARound() {
        // a topic the ledger never reserved (made before the ledger existed): its READY event alone charges it,
        // found among the resources that changed since the last round, not only by the periodic full sweep
        String team = "old" + unique();
        String name = team + ".made-before";
        var command = new io.kafkaconcierge.contracts.RequestCommand(
                UUID.randomUUID().toString(),
                io.kafkaconcierge.contracts.Operation.CREATE,
                io.kafkaconcierge.contracts.ResourceRef.topic("local", name),
                new io.kafkaconcierge.contracts.TopicSpec("local", name, 3, (short) 1, Map.of(), team, null),
                null,
                null,
                "0".repeat(64),
                Instant.now());
        KAFKA.send(
                ConciergeTopics.REQUESTS,
                command.resource().key(),
                new String(Json.write(command), java.nio.charset.StandardCharsets.UTF_8),
                Map.of());
        KAFKA.sendEvent(io.kafkaconcierge.contracts.StatusEvent.of(
                command, io.kafkaconcierge.contracts.RequestState.READY, Instant.now()));
        await().atMost(Duration.ofSeconds(20))
                .untilAsserted(() -> as("olga", team)
                        .get("/api/v1/teams/" + team + "/usage")
                        .then()
                        .statusCode(200)
                        .body("usage.topics", equalTo(1))
                        .body("usage.partitions", equalTo(3)));
    }

    @Test
    void refusesAnUnboundedRetentionToATeamWithAStorageQuota() {
        String team = "store" + unique();
        given().contentType(ContentType.JSON)
                .body(Map.of("storageBytes", 1_000_000_000L))
                .put("/api/v1/teams/" + team + "/quota")
                .then()
                .statusCode(200);
        as("sue", team)
                .body(topic("local", team + ".a", team, 2))
                .post("/api/v1/topics")
                .then()
                .statusCode(422)
                .body("errors.rule", hasItem("quota.storageBytes"));
        as("sue", team)
                .body(topic("local", team + ".b", team, 2, 1, Map.of("retention.bytes", "100000000")))
                .post("/api/v1/topics")
                .then()
                .statusCode(202);
        as("sue", team)
                .body(topic("local", team + ".c", team, 10, 1, Map.of("retention.bytes", "100000000")))
                .post("/api/v1/topics")
                .then()
                .statusCode(422)
                .body("errors[0].rule", equalTo("quota.storageBytes"));
    }

    @Test
    void aDryRunDecidesEverythingAndWritesNothingAnywhere() {
        String team = "dry" + unique();
        String prefix = opsPrefix();
        Map<String, Long> before = written();
        as("dan", team)
                .body(topic("local", team + ".x", team, 3))
                .post("/api/v1/topics?dryRun=true")
                .then()
                .statusCode(200)
                .body("dryRun", equalTo(true))
                .body("state", equalTo("ACCEPTED"))
                .body("plan.environment", equalTo("dev"))
                .body("plan.quota.adding.partitions", equalTo(3))
                .body("plan.cluster.checked", equalTo(true))
                .body("plan.cluster.valid", equalTo(true));
        // the cluster's own opinion: prod-main is published with 3 brokers, but its broker is alone
        as("ada", "ops")
                .body(topic("prod-main", prefix + "dry", "ops", 3, 3, PROD_CONFIG))
                .post("/api/v1/topics?dryRun=true")
                .then()
                .statusCode(200)
                .body("state", equalTo("AWAITING_APPROVAL"))
                .body("plan.approval.required", equalTo(2))
                .body("plan.cluster.valid", equalTo(false))
                .body("plan.cluster.message", org.hamcrest.Matchers.containsStringIgnoringCase("replication"));
        as("dan", "platform")
                .body(topic("prod-main", "dry" + unique(), "platform", 500, 3, PROD_CONFIG))
                .post("/api/v1/topics?dryRun=true")
                .then()
                .statusCode(422);
        given().body(topic("prod-main", "dry" + unique(), "platform", 500, 3, PROD_CONFIG))
                .contentType(ContentType.JSON)
                .post("/api/v1/topics?dryRun=true")
                .then()
                .statusCode(422);
        assertThat(written()).as("records on every concierge topic").isEqualTo(before);
    }

    private static Map<String, Long> written() {
        Map<String, Long> counts = new java.util.TreeMap<>();
        for (ConciergeTopics.Layout layout : ConciergeTopics.LAYOUT) {
            counts.put(layout.name(), KAFKA.written(layout.name()));
        }
        return counts;
    }

    /** An admin-claimed prefix of team ops for prod names. */
    private static String opsPrefix() {
        String prefix = "ops" + unique() + ".";
        given().contentType(ContentType.JSON)
                .body(Map.of("resourceType", "topic", "prefix", prefix))
                .post("/api/v1/teams/ops/claims")
                .then()
                .statusCode(201);
        return prefix;
    }

    @Test
    void aProdRequestWaitsForTwoDistinctApproversNeverItsRequesterThenReachesTheProvisioner() {
        String name = opsPrefix() + "orders";
        // the requester is an admin of team ops: four eyes hold for admins too
        RequestSpecification requester = as("ada", "ops", TestIdentity.ADMIN_GROUP);
        String id = requester
                .body(topic("prod-main", name, "ops", 6, 3, PROD_CONFIG))
                .post("/api/v1/topics")
                .then()
                .statusCode(202)
                .body("state", equalTo("AWAITING_APPROVAL"))
                .extract()
                .path("requestId");
        given().get("/api/v1/requests/" + id).then().statusCode(200).body("state", equalTo("AWAITING_APPROVAL"));
        as("ada", "ops", TestIdentity.ADMIN_GROUP)
                .body(Map.of("comment", "mine"))
                .post("/api/v1/requests/" + id + "/approve")
                .then()
                .statusCode(403);
        String hash = as("ben", TestIdentity.ADMIN_GROUP)
                .get("/api/v1/approvals")
                .then()
                .statusCode(200)
                .extract()
                .path("find { it.requestId == '" + id + "' }.contentHash");
        assertThat(hash).isNotNull();
        as("ben", TestIdentity.ADMIN_GROUP)
                .body(Map.of("comment", "ok", "contentHash", "0".repeat(64)))
                .post("/api/v1/requests/" + id + "/approve")
                .then()
                .statusCode(409);
        as("ben", TestIdentity.ADMIN_GROUP)
                .body(Map.of("comment", "ok", "contentHash", hash))
                .post("/api/v1/requests/" + id + "/approve")
                .then()
                .statusCode(200)
                .body("state", equalTo("AWAITING_APPROVAL"));
        assertThat(commands(id))
                .as("nothing for the provisioner after one approval")
                .isEmpty();
        as("ben", TestIdentity.ADMIN_GROUP)
                .body(Map.of("comment", "again"))
                .post("/api/v1/requests/" + id + "/approve")
                .then()
                .statusCode(409);
        as("cy", TestIdentity.ADMIN_GROUP)
                .body(Map.of("comment", "fine"))
                .post("/api/v1/requests/" + id + "/approve")
                .then()
                .statusCode(200)
                .body("state", equalTo("ACCEPTED"));
        await().atMost(Duration.ofSeconds(20)).until(() -> commands(id).size() == 1);
        given().get("/api/v1/requests/" + id).then().statusCode(200).body("state", equalTo("ACCEPTED"));
        assertThat(events(id))
                .contains(
                        CloudEvents.type(
                                io.kafkaconcierge.contracts.ResourceKind.TOPIC,
                                io.kafkaconcierge.contracts.RequestState.AWAITING_APPROVAL),
                        CloudEvents.APPROVAL_REQUESTED);
    }

    @Test
    void aRejectedRequestFailsWithItsReasonAndNeverReachesTheProvisioner() {
        String id = as("ada", "ops")
                .body(topic("prod-main", opsPrefix() + "rejected", "ops", 6, 3, PROD_CONFIG))
                .post("/api/v1/topics")
                .then()
                .statusCode(202)
                .extract()
                .path("requestId");
        as("ben", TestIdentity.ADMIN_GROUP)
                .body(Map.of("comment", "not in prod"))
                .post("/api/v1/requests/" + id + "/reject")
                .then()
                .statusCode(200)
                .body("state", equalTo("FAILED"));
        given().get("/api/v1/requests/" + id)
                .then()
                .statusCode(200)
                .body("state", equalTo("FAILED"))
                .body("reason", equalTo("APPROVAL_REJECTED"));
        as("cy", TestIdentity.ADMIN_GROUP)
                .body(Map.of())
                .post("/api/v1/requests/" + id + "/approve")
                .then()
                .statusCode(409);
        assertThat(commands(id)).isEmpty();
    }

    @Test
    void aRequestNobodyDecidesExpiresWithItsReason() {
        String cluster = "expiring" + unique();
        KAFKA.send(
                ConciergeTopics.CLUSTERS,
                cluster,
                new String(Json.write(new ClusterInfo(
                        cluster, EmbeddedKafka.shared().bootstrapServers(), 1, true, null, Instant.now(), "dev"))),
                Map.of());
        await().atMost(Duration.ofSeconds(20)).until(() -> clusterKnown(cluster));
        String policy = """
                {"partitions": {"min": 1, "max": 10}, "unclaimedNames": true,
                 "approval": {"required": 1, "approvers": "admins", "expiry": "PT1S", "instanceDeletion": 1}}""";
        given().contentType(ContentType.JSON)
                .body(policy)
                .put("/api/v1/clusters/" + cluster + "/policy")
                .then()
                .statusCode(200)
                .body("version", equalTo(1));
        String id = as("eve", "late")
                .body(topic(cluster, "late.t", "late", 1))
                .post("/api/v1/topics")
                .then()
                .statusCode(202)
                .body("state", equalTo("AWAITING_APPROVAL"))
                .extract()
                .path("requestId");
        await().atMost(Duration.ofSeconds(30))
                .untilAsserted(() -> given().get("/api/v1/requests/" + id)
                        .then()
                        .body("state", equalTo("FAILED"))
                        .body("reason", equalTo("APPROVAL_EXPIRED")));
        assertThat(commands(id)).isEmpty();
        given().contentType(ContentType.JSON)
                .body(policy)
                .header("If-Match", "0")
                .put("/api/v1/clusters/" + cluster + "/policy")
                .then()
                .statusCode(412);
    }

    private static List<String> commands(String requestId) {
        return KAFKA.records(ConciergeTopics.REQUESTS).stream()
                .filter(r -> r.value().contains(requestId))
                .map(r -> r.value())
                .toList();
    }

    private static List<String> events(String requestId) {
        return KAFKA.records(ConciergeTopics.EVENTS).stream()
                .filter(r -> r.value().contains(requestId))
                .map(r -> KafkaTestClient.header(r, CloudEvents.H_TYPE))
                .toList();
    }

    @Test
    void aTeamOverItsPolicysRateWithoutApproversIsToldToWait() {
        String cluster = "rated" + unique();
        KAFKA.send(
                ConciergeTopics.CLUSTERS,
                cluster,
                new String(Json.write(new ClusterInfo(
                        cluster, EmbeddedKafka.shared().bootstrapServers(), 1, true, null, Instant.now(), "dev"))),
                Map.of());
        await().atMost(Duration.ofSeconds(20)).until(() -> clusterKnown(cluster));
        given().contentType(ContentType.JSON)
                .body("""
                {"partitions": {"min": 1, "max": 10}, "unclaimedNames": true,
                 "approval": {"required": 0, "approvers": "admins", "expiry": "P1D", "instanceDeletion": 0,
                              "autoPerMinute": 2}}""")
                .put("/api/v1/clusters/" + cluster + "/policy")
                .then()
                .statusCode(200)
                .body("policy.approval.expiry", org.hamcrest.Matchers.equalTo("PT24H"));
        String team = "busy" + unique();
        List<io.restassured.response.Response> answers = new java.util.ArrayList<>();
        for (int i = 0; i < 5; i++) {
            // five within a second span at most two minutes of the limiter: one of them sees three
            answers.add(as("bo", team)
                    .body(topic(cluster, team + ".t" + i, team, 1))
                    .post("/api/v1/topics"));
        }
        assertThat(answers).filteredOn(a -> a.statusCode() == 202).hasSizeBetween(2, 4);
        assertThat(answers)
                .filteredOn(a -> a.statusCode() == 429)
                .allSatisfy(a -> {
                    assertThat(a.header("Retry-After")).isNotNull();
                    assertThat(a.asString()).contains("autoPerMinute");
                })
                .isNotEmpty();
    }
}
