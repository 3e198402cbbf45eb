package io.kafkaconcierge.api.guard;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;

import io.kafkaconcierge.api.rest.ApiKafkaResource;
import io.kafkaconcierge.contracts.CloudEvents;
import io.kafkaconcierge.contracts.ConciergeTopics;
import io.kafkaconcierge.contracts.Json;
import io.kafkaconcierge.contracts.RequestCommand;
import io.kafkaconcierge.contracts.RequestState;
import io.kafkaconcierge.contracts.StatusEvent;
import io.kafkaconcierge.contracts.secrets.SecretBox;
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
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Kafka users under the guard rails, over the real API and broker: names under the team's claims, grants' groups
 * under its group claims, quotas within the policy, the environment's approvers, another team's consent to a grant
 * to its topic, and dry runs; nothing held reaches concierge.requests (what the provisioner reads).
 */
@QuarkusTest
@QuarkusTestResource(value = ApiKafkaResource.class, restrictToAnnotatedClass = true)
class UserGuardRailsTest {

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
        EnvironmentClusters.awaitKnown(UserGuardRailsTest::known);
    }

    private static boolean known(String cluster) {
        return !given().contentType(ContentType.JSON)
                .body(user(cluster, "probe-x", "probe", "[]", null))
                .post("/api/v1/users?dryRun=true")
                .asString()
                .contains("unknown cluster");
    }

    private static RequestSpecification as(String subject, String... groups) {
        return given().header("Authorization", TestIdentity.bearer(TestIdentity.member(subject, groups)))
                .header(TestIdentity.NO_DEFAULT_TOKEN, "true")
                .contentType(ContentType.JSON);
    }

    private static String user(String cluster, String name, String owner, String grants, String quotas) {
        return """
                {"cluster": "%s", "name": "%s", "owner": "%s", "grants": %s%s}""".formatted(cluster, name, owner, grants, quotas == null ? "" : ", \"quotas\": " + quotas);
    }

    private static String unique() {
        return UUID.randomUUID().toString().substring(0, 8);
    }

    private static void claim(String team, String type, String prefix) {
        given().contentType(ContentType.JSON)
                .body(Map.of("resourceType", type, "prefix", prefix))
                .post("/api/v1/teams/" + team + "/claims")
                .then()
                .statusCode(201);
    }

    private static List<RequestCommand> commands(String requestId) {
        return KAFKA.records(ConciergeTopics.REQUESTS).stream()
                .filter(r -> r.value().contains(requestId))
                .map(r -> Json.read(r.value().getBytes(), RequestCommand.class))
                .toList();
    }

    /**
     * Records on every concierge topic; on the topics that work in the background also writes (the ledger, events and
     * audit: deadlines and expiries of the requests that earlier tests in this JVM left open), only those of the team.
     */
    private static Map<String, Long> written(String team) {
        Set<String> background = Set.of(ConciergeTopics.LEDGER, ConciergeTopics.EVENTS, ConciergeTopics.AUDIT);
        Map<String, Long> counts = new java.util.TreeMap<>();
        for (ConciergeTopics.Layout layout : ConciergeTopics.LAYOUT) {
            if (background.contains(layout.name())) {
                counts.put(
                        layout.name() + " of " + team,
                        KAFKA.records(layout.name()).stream()
                                .filter(r -> team.equals(r.key())
                                        || (r.value() != null && r.value().contains(team)))
                                .count());
            } else {
                counts.put(layout.name(), KAFKA.written(layout.name()));
            }
        }
        return counts;
    }

    @Test
    void takesUserNamesAndGroupsOnlyUnderTheTeamsClaimsWhereThePolicyRequiresThem() {
        String team = "tq" + unique();
        // test requires claimed names: the team's name alone is not enough there
        as("tia", team)
                .body(user("test-main", team + "-app", team, "[]", null))
                .post("/api/v1/users")
                .then()
                .statusCode(422)
                .body("errors.rule", hasItem("policy.test.unclaimedNames"))
                .body("errors.field", hasItem("name"));
        claim(team, Claim.USER, team + "-svc-");
        claim(team, Claim.TOPIC, team + ".");
        String grants = "[{\"topic\": \"" + team + ".orders\", \"operations\": [\"consume\"], \"group\": \"" + team
                + "-billing\"}]";
        as("tia", team)
                .body(user("test-main", team + "-svc-app", team, grants, null))
                .post("/api/v1/users")
                .then()
                .statusCode(422)
                .body("errors.field", equalTo(List.of("grants[0].group")))
                .body("errors.rule", hasItem("policy.test.unclaimedNames"));
        claim(team, Claim.GROUP, team + "-");
        // now every name is claimed: the test policy's one approver of the team is all it waits for
        as("tia", team)
                .body(user("test-main", team + "-svc-app", team, grants, null))
                .post("/api/v1/users")
                .then()
                .statusCode(202)
                .body("state", equalTo("AWAITING_APPROVAL"));

        // another team's user claim is refused everywhere, dev included
        String other = "oq" + unique();
        claim(other, Claim.USER, other + "-");
        as("tia", team)
                .body(user("local", other + "-spy", team, "[]", null))
                .post("/api/v1/users")
                .then()
                .statusCode(422)
                .body("errors.rule", hasItem("claims.user"));
        // in dev, an unclaimed group must still be under the team's name
        as("tia", team)
                .body(user(
                        "local",
                        team + "-dev",
                        team,
                        "[{\"topic\": \"" + team + ".x\", \"operations\": "
                                + "[\"consume\"], \"group\": \"shared-group\"}]",
                        null))
                .post("/api/v1/users")
                .then()
                .statusCode(422)
                .body("errors.rule", hasItem("names.group"));
    }

    @Test
    void aProdUserWaitsForTwoAdminsWithinThePolicysQuotaBoundsAndADryRunWritesNothing() {
        String team = "pq" + unique();
        claim(team, Claim.USER, team + "-");
        claim(team, Claim.TOPIC, team + ".");
        String name = team + "-writer";
        String grants = "[{\"topic\": \"" + team + ".orders\", \"operations\": [\"produce\"]}]";
        as("pam", team)
                .body(user("prod-main", name, team, grants, "{\"requestPercentage\": 80}"))
                .post("/api/v1/users")
                .then()
                .statusCode(422)
                .body("errors.find { it.rule == 'policy.prod.users.maxRequestPercentage' }.bound", equalTo(50.0f));

        Map<String, Long> before = written(team);
        as("pam", team)
                .body(user("prod-main", name, team, grants, "{\"requestPercentage\": 25}"))
                .post("/api/v1/users?dryRun=true")
                .then()
                .statusCode(200)
                .body("dryRun", equalTo(true))
                .body("state", equalTo("AWAITING_APPROVAL"))
                .body("plan.environment", equalTo("prod"))
                .body("plan.approval.required", equalTo(2))
                .body("plan.approval.approvers", equalTo("admins"));
        assertThat(written(team))
                .as("records on every concierge topic after a dry run")
                .isEqualTo(before);

        String id = as("pam", team)
                .body(user("prod-main", name, team, grants, "{\"requestPercentage\": 25}"))
                .post("/api/v1/users")
                .then()
                .statusCode(202)
                .body("state", equalTo("AWAITING_APPROVAL"))
                .extract()
                .path("requestId");
        as("ben", TestIdentity.ADMIN_GROUP)
                .body(Map.of("comment", "ok"))
                .post("/api/v1/requests/" + id + "/approve")
                .then()
                .statusCode(200)
                .body("state", equalTo("AWAITING_APPROVAL"));
        assertThat(commands(id))
                .as("nothing for the provisioner after one approval")
                .isEmpty();
        as("cy", TestIdentity.ADMIN_GROUP)
                .body(Map.of("comment", "fine"))
                .post("/api/v1/requests/" + id + "/approve")
                .then()
                .statusCode(200)
                .body("state", equalTo("ACCEPTED"));
        await().atMost(Duration.ofSeconds(20)).until(() -> commands(id).size() == 1);
        RequestCommand command = commands(id).get(0);
        assertThat(command.user().quotas().requestPercentage()).isEqualTo(25.0);
        assertThat(command.credential()).startsWith("aesgcm:");
        String password = new SecretBox(Optional.of(ApiKafkaResource.SECRETS_KEY), "test").open(command.credential());
        assertThat(KAFKA.records(ConciergeTopics.LEDGER))
                .as("the ledger holds the command sealed only")
                .allSatisfy(r -> assertThat(String.valueOf(r.value())).doesNotContain(password));

        // the delete of a prod user waits too; its dry run says so and writes nothing
        KAFKA.sendEvent(StatusEvent.of(command, RequestState.READY, Instant.now()));
        await().atMost(Duration.ofSeconds(10))
                .untilAsserted(() ->
                        given().get("/api/v1/users/prod-main/" + name).then().body("state", equalTo("READY")));
        // the guard rails settle the finished request on the ledger in the background (every 2 s): let them first
        await().atMost(Duration.ofSeconds(20))
                .until(() -> KAFKA.records(ConciergeTopics.LEDGER, team).stream()
                        .anyMatch(r ->
                                r.value().contains("\"settle\"") && r.value().contains(command.requestId())));
        Map<String, Long> beforeDelete = written(team);
        as("pam", team)
                .delete("/api/v1/users/prod-main/" + name + "?dryRun=true")
                .then()
                .statusCode(200)
                .body("state", equalTo("AWAITING_APPROVAL"));
        as("pam", team)
                .body("{\"quotas\": {\"requestPercentage\": 90}}")
                .patch("/api/v1/users/prod-main/" + name + "?dryRun=true")
                .then()
                .statusCode(422)
                .body("errors.rule", hasItem("policy.prod.users.maxRequestPercentage"));
        assertThat(written(team)).isEqualTo(beforeDelete);
    }

    @Test
    void aProdTopicThatGivesAccessWaitsForOneApprovalOfBothAndReachesTheProvisionerAsOneCommand() {
        String team = "aq" + unique();
        claim(team, Claim.USER, team + "-");
        claim(team, Claim.TOPIC, team + ".");
        claim(team, Claim.GROUP, team + "-");
        String reader = team + "-reader";
        String userId = as("amy", team)
                .body(user("prod-main", reader, team, "[]", null))
                .post("/api/v1/users")
                .then()
                .statusCode(202)
                .extract()
                .path("requestId");
        for (String admin : List.of("ben", "cy")) {
            as(admin, TestIdentity.ADMIN_GROUP)
                    .body(Map.of("comment", "ok"))
                    .post("/api/v1/requests/" + userId + "/approve")
                    .then()
                    .statusCode(200);
        }
        await().atMost(Duration.ofSeconds(20)).until(() -> commands(userId).size() == 1);

        String topic = team + ".orders";
        String body = new String(Json.write(Map.of(
                "cluster",
                "prod-main",
                "name",
                topic,
                "owner",
                team,
                "partitions",
                3,
                "replicationFactor",
                3,
                "config",
                Map.of("min.insync.replicas", "2", "retention.ms", "86400000", "retention.bytes", "1073741824"),
                "access",
                List.of(Map.of("user", reader, "operations", List.of("consume"), "group", team + "-billing")))));
        String id = as("amy", team)
                .body(body)
                .post("/api/v1/topics")
                .then()
                .statusCode(202)
                .body("state", equalTo("AWAITING_APPROVAL"))
                .extract()
                .path("requestId");
        // one request for the approvers: the topic, and the access that comes with it
        as("ben", TestIdentity.ADMIN_GROUP)
                .get("/api/v1/approvals")
                .then()
                .statusCode(200)
                .body(
                        "find { it.requestId == '" + id + "' }.summary",
                        org.hamcrest.Matchers.containsString("[consume] for user " + reader));
        as("ben", TestIdentity.ADMIN_GROUP)
                .body(Map.of("comment", "ok"))
                .post("/api/v1/requests/" + id + "/approve")
                .then()
                .statusCode(200)
                .body("state", equalTo("AWAITING_APPROVAL"));
        assertThat(commands(id)).isEmpty();
        as("cy", TestIdentity.ADMIN_GROUP)
                .body(Map.of("comment", "ok"))
                .post("/api/v1/requests/" + id + "/approve")
                .then()
                .statusCode(200)
                .body("state", equalTo("ACCEPTED"));
        await().atMost(Duration.ofSeconds(20)).until(() -> commands(id).size() == 1);
        RequestCommand command = commands(id).get(0);
        assertThat(command.spec().access()).singleElement().satisfies(a -> {
            assertThat(a.user()).isEqualTo(reader);
            assertThat(a.group()).isEqualTo(team + "-billing");
        });
        // and no request of the user was made for it: the topic's READY covers both
        assertThat(KAFKA.records(ConciergeTopics.REQUESTS, "user:prod-main/" + reader))
                .hasSize(1);
    }

    @Test
    void aGrantToAnotherTeamsTopicWaitsForThatTeamsConsentNotAnAdminsNorTheOwnersMembers() {
        String topic = "analytics.clicks-" + unique();
        given().contentType(ContentType.JSON)
                .body("""
                {"cluster": "local", "name": "%s", "partitions": 1, "replicationFactor": 1, "owner": "analytics"}""".formatted(topic))
                .post("/api/v1/topics")
                .then()
                .statusCode(202);
        String name = "payments-reader-" + unique();
        String grants = "[{\"topic\": \"" + topic + "\", \"operations\": [\"consume\"], \"group\": \"payments-g\"}]";
        as("pat", "payments")
                .body(user("local", name, "payments", grants, null))
                .post("/api/v1/users?dryRun=true")
                .then()
                .statusCode(200)
                .body("state", equalTo("AWAITING_APPROVAL"))
                .body("plan.approval.required", equalTo(0))
                .body("plan.approval.consents", equalTo(List.of("analytics")));
        String id = as("pat", "payments")
                .body(user("local", name, "payments", grants, null))
                .post("/api/v1/users")
                .then()
                .statusCode(202)
                .body("state", equalTo("AWAITING_APPROVAL"))
                .extract()
                .path("requestId");

        as("ana", "analytics")
                .get("/api/v1/approvals")
                .then()
                .statusCode(200)
                .body("find { it.requestId == '" + id + "' }.consents", equalTo(List.of("analytics")));
        as("ben", TestIdentity.ADMIN_GROUP)
                .body(Map.of())
                .post("/api/v1/requests/" + id + "/approve")
                .then()
                .statusCode(403);
        as("pia", "payments")
                .body(Map.of())
                .post("/api/v1/requests/" + id + "/approve")
                .then()
                .statusCode(403);
        assertThat(commands(id)).isEmpty();
        as("ana", "analytics")
                .body(Map.of("comment", "yes, billing may read clicks"))
                .post("/api/v1/requests/" + id + "/approve")
                .then()
                .statusCode(200)
                .body("state", equalTo("ACCEPTED"));
        await().atMost(Duration.ofSeconds(20)).until(() -> commands(id).size() == 1);
        assertThat(KAFKA.records(ConciergeTopics.EVENTS).stream()
                        .filter(r -> r.value().contains(id))
                        .map(r -> KafkaTestClient.header(r, CloudEvents.H_TYPE)))
                .contains("io.kafkaconcierge.user.awaiting_approval", CloudEvents.APPROVAL_REQUESTED);

        // consent once given is not asked again: a change of quotas alone goes through at once
        KAFKA.sendEvent(StatusEvent.of(commands(id).get(0), RequestState.READY, Instant.now()));
        await().atMost(Duration.ofSeconds(10))
                .untilAsserted(
                        () -> given().get("/api/v1/users/local/" + name).then().body("state", equalTo("READY")));
        as("pat", "payments")
                .body("{\"quotas\": {\"consumerByteRate\": 4096}}")
                .patch("/api/v1/users/local/" + name)
                .then()
                .statusCode(202)
                .body("state", equalTo("ACCEPTED"));
    }
}
