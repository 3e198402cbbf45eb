package io.kafkaconcierge.api.rest;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.kafkaconcierge.contracts.ConciergeTopics;
import io.kafkaconcierge.testing.EmbeddedKafka;
import io.kafkaconcierge.testing.KafkaTestClient;
import io.kafkaconcierge.testing.SseClient;
import io.kafkaconcierge.testing.Tally;
import io.kafkaconcierge.testing.TestIdentity;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Function;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Every endpoint of concierge-api, called by every kind of caller: none, an expired token, a token for another
 * audience, a member of the owning team, a member of another team, an admin, and the owning team's read-only API
 * token. Each answer is checked, and that a refused call wrote nothing to the concierge's topics.
 */
@QuarkusTest
@QuarkusTestResource(value = ApiKafkaResource.class, restrictToAnnotatedClass = true)
class AccessMatrixTest {

    static {
        TestIdentity.restAssuredAsAdmin();
    }

    private static final String OWNER_TEAM = "payments";

    /** Who calls, and the Authorization header it sends (null: none). */
    enum Caller {
        NONE,
        EXPIRED,
        WRONG_AUDIENCE,
        OWNER,
        OTHER,
        ADMIN,
        READ_TOKEN
    }

    private final KafkaTestClient kafka =
            new KafkaTestClient(EmbeddedKafka.shared().bootstrapServers());
    private final Map<Caller, String> authorization = new LinkedHashMap<>();

    @jakarta.inject.Inject
    io.kafkaconcierge.security.tokens.VerifiedTokens verified;

    @TestHTTPResource("/api/v1/events/stream")
    String stream;

    @BeforeEach
    void callers() {
        await().atMost(Duration.ofSeconds(30))
                .until(() -> given().get("/q/health/ready").statusCode() == 200);
        authorization.put(Caller.NONE, null);
        authorization.put(Caller.EXPIRED, TestIdentity.bearer(TestIdentity.expired("alice", OWNER_TEAM)));
        authorization.put(Caller.WRONG_AUDIENCE, TestIdentity.bearer(TestIdentity.wrongAudience("alice", OWNER_TEAM)));
        authorization.put(Caller.OWNER, TestIdentity.bearer(TestIdentity.member("alice", OWNER_TEAM)));
        authorization.put(Caller.OTHER, TestIdentity.bearer(TestIdentity.member("bob", "analytics")));
        authorization.put(Caller.ADMIN, TestIdentity.bearer(TestIdentity.admin()));
        String read = as(Caller.OWNER)
                .contentType(ContentType.JSON)
                .body("{\"name\": \"reader-" + unique() + "\", \"scope\": \"read\", \"expiresIn\": \"PT1H\"}")
                .post("/api/v1/teams/" + OWNER_TEAM + "/tokens")
                .then()
                .statusCode(201)
                .extract()
                .path("token");
        authorization.put(Caller.READ_TOKEN, TestIdentity.bearer(read));
    }

    private RequestSpecification as(Caller caller) {
        String header = authorization.get(caller);
        return header == null
                ? given().header(TestIdentity.NO_DEFAULT_TOKEN, "1")
                : given().header("Authorization", header);
    }

    private static String unique() {
        return UUID.randomUUID().toString().substring(0, 8);
    }

    private static String topic(String name) {
        return "{\"cluster\": \"local\", \"name\": \"" + name + "\", \"partitions\": 1, \"replicationFactor\": 1, "
                + "\"owner\": \"" + OWNER_TEAM + "\"}";
    }

    private static String instance(String name) {
        return "{\"name\": \"" + name + "\", \"owner\": \"" + OWNER_TEAM + "\", \"brokers\": 1}";
    }

    private static String user(String name) {
        return "{\"cluster\": \"local\", \"name\": \"" + name + "\", \"owner\": \"" + OWNER_TEAM
                + "\", \"grants\": [{\"topic\": \"" + OWNER_TEAM + ".m\", \"operations\": [\"produce\"]}]}";
    }

    /** A topic, an instance and a Kafka user of the owning team, made by its member. */
    private record Fixture(String topic, String instance, String requestId, String user) {}

    private Fixture fixture() {
        String topic = "payments.m-" + unique();
        String requestId = as(Caller.OWNER)
                .contentType(ContentType.JSON)
                .body(topic(topic))
                .post("/api/v1/topics")
                .then()
                .statusCode(202)
                .extract()
                .path("requestId");
        String instance = "m-" + unique();
        as(Caller.OWNER)
                .contentType(ContentType.JSON)
                .body(instance(instance))
                .post("/api/v1/instances")
                .then()
                .statusCode(202);
        String user = OWNER_TEAM + "-m-" + unique();
        as(Caller.OWNER)
                .contentType(ContentType.JSON)
                .body(user(user))
                .post("/api/v1/users")
                .then()
                .statusCode(202);
        return new Fixture(topic, instance, requestId, user);
    }

    private record Case(String what, Function<RequestSpecification, Response> call, Map<Caller, Integer> expected) {}

    private static Map<Caller, Integer> expect(int none, int owner, int other, int admin, int readToken) {
        Map<Caller, Integer> m = new LinkedHashMap<>();
        m.put(Caller.NONE, none);
        m.put(Caller.EXPIRED, 401);
        m.put(Caller.WRONG_AUDIENCE, 401);
        m.put(Caller.OWNER, owner);
        m.put(Caller.OTHER, other);
        m.put(Caller.ADMIN, admin);
        m.put(Caller.READ_TOKEN, readToken);
        return m;
    }

    @Test
    void shouldAnswerEveryEndpointForEveryCallerAsTheirTeamsAllowAndWriteNothingWhenRefused() throws Exception {
        Fixture f = fixture();
        String token = as(Caller.OWNER)
                .contentType(ContentType.JSON)
                .body("{\"name\": \"victim-" + unique() + "\", \"scope\": \"write\", \"expiresIn\": \"PT1H\"}")
                .post("/api/v1/teams/" + OWNER_TEAM + "/tokens")
                .then()
                .statusCode(201)
                .extract()
                .path("id");
        List<Case> cases = List.of(
                new Case(
                        "POST /topics",
                        r -> r.contentType(ContentType.JSON)
                                .body(topic("payments.n-" + unique()))
                                .post("/api/v1/topics"),
                        expect(401, 202, 403, 202, 403)),
                new Case(
                        "GET /topics/{c}/{n}",
                        r -> r.get("/api/v1/topics/local/" + f.topic()),
                        expect(401, 200, 404, 200, 200)),
                new Case(
                        "PATCH /topics/{c}/{n}",
                        r -> r.contentType(ContentType.JSON)
                                .body("{\"description\": \"changed " + unique() + "\"}")
                                .patch("/api/v1/topics/local/" + f.topic()),
                        expect(401, 202, 404, 202, 403)),
                new Case(
                        "GET /requests/{id}",
                        r -> r.get("/api/v1/requests/" + f.requestId()),
                        expect(401, 200, 404, 200, 200)),
                new Case(
                        "POST /instances",
                        r -> r.contentType(ContentType.JSON)
                                .body(instance("n-" + unique()))
                                .post("/api/v1/instances"),
                        expect(401, 202, 403, 202, 403)),
                new Case(
                        "GET /instances/{n}",
                        r -> r.get("/api/v1/instances/" + f.instance()),
                        expect(401, 200, 404, 200, 200)),
                // the instance is still being created (no provisioner here): its team is told to wait
                new Case(
                        "PATCH /instances/{n}",
                        r -> r.contentType(ContentType.JSON)
                                .body("{\"description\": \"x\"}")
                                .patch("/api/v1/instances/" + f.instance()),
                        expect(401, 409, 404, 409, 403)),
                new Case(
                        "DELETE /instances/{n}",
                        r -> r.delete("/api/v1/instances/" + f.instance()),
                        expect(401, 409, 404, 409, 403)),
                new Case(
                        "POST /users",
                        r -> r.contentType(ContentType.JSON)
                                .body(user(OWNER_TEAM + "-n-" + unique()))
                                .post("/api/v1/users"),
                        expect(401, 202, 403, 202, 403)),
                new Case(
                        "POST /users?dryRun",
                        r -> r.contentType(ContentType.JSON)
                                .body(user(OWNER_TEAM + "-d-" + unique()))
                                .post("/api/v1/users?dryRun=true"),
                        expect(401, 200, 403, 200, 403)),
                new Case(
                        "GET /users", r -> r.get("/api/v1/users?owner=" + OWNER_TEAM), expect(401, 200, 200, 200, 200)),
                new Case(
                        "GET /users/{c}/{n}",
                        r -> r.get("/api/v1/users/local/" + f.user()),
                        expect(401, 200, 404, 200, 200)),
                new Case(
                        "PATCH /users/{c}/{n}",
                        r -> r.contentType(ContentType.JSON)
                                .body("{\"description\": \"changed " + unique() + "\"}")
                                .patch("/api/v1/users/local/" + f.user()),
                        expect(401, 202, 404, 202, 403)),
                new Case(
                        "POST /users/{c}/{n}/credentials/rotate",
                        r -> r.post("/api/v1/users/local/" + f.user() + "/credentials/rotate"),
                        expect(401, 202, 404, 202, 403)),
                new Case(
                        "DELETE /users/{c}/{n}?dryRun",
                        r -> r.delete("/api/v1/users/local/" + f.user() + "?dryRun=true"),
                        expect(401, 200, 404, 200, 403)),
                // the owner's deletion is under way when the admin asks: no longer live, as for topics
                new Case(
                        "DELETE /users/{c}/{n}",
                        r -> r.delete("/api/v1/users/local/" + f.user()),
                        expect(401, 202, 404, 404, 403)),
                new Case("GET /me", r -> r.get("/api/v1/me"), expect(401, 200, 200, 200, 200)),
                // the guard rails: members read their team's claims and usage, only admins change them
                new Case(
                        "GET /teams/{t}/claims",
                        r -> r.get("/api/v1/teams/" + OWNER_TEAM + "/claims"),
                        expect(401, 200, 403, 200, 200)),
                new Case(
                        "POST /teams/{t}/claims",
                        r -> r.contentType(ContentType.JSON)
                                .body("{\"resourceType\": " + "\"group\", \"prefix\": \"matrix-" + unique() + ".\"}")
                                .post("/api/v1/teams/" + OWNER_TEAM + "/claims"),
                        expect(401, 403, 403, 201, 403)),
                new Case("GET /policies/{e}", r -> r.get("/api/v1/policies/prod"), expect(401, 200, 200, 200, 200)),
                new Case("GET /clusters", r -> r.get("/api/v1/clusters"), expect(401, 200, 200, 200, 200)),
                new Case(
                        "PUT /clusters/{c}/policy",
                        r -> r.contentType(ContentType.JSON)
                                .body("{\"unclaimedNames\": true}")
                                .put("/api/v1/clusters/matrix-" + unique() + "/policy"),
                        expect(401, 403, 403, 200, 403)),
                new Case(
                        "GET /teams/{t}/usage",
                        r -> r.get("/api/v1/teams/" + OWNER_TEAM + "/usage"),
                        expect(401, 200, 403, 200, 200)),
                new Case(
                        "PUT /teams/{t}/quota",
                        r -> r.contentType(ContentType.JSON)
                                .body("{\"topics\": 100000}")
                                .put("/api/v1/teams/matrix-" + unique() + "/quota"),
                        expect(401, 403, 403, 200, 403)),
                new Case("GET /approvals", r -> r.get("/api/v1/approvals"), expect(401, 200, 200, 200, 200)),
                // the drift report: admins only; the test broker has no authorizer, which the admin is told
                new Case(
                        "GET /clusters/{c}/acls/drift",
                        r -> r.get("/api/v1/clusters/local/acls/drift"),
                        expect(401, 403, 403, 409, 403)),
                // the fixture's request went through at once: nothing waits to be approved
                new Case(
                        "POST /requests/{id}/approve",
                        r -> r.contentType(ContentType.JSON)
                                .body("{}")
                                .post("/api/v1/requests/" + f.requestId() + "/approve"),
                        expect(401, 404, 404, 404, 403)),
                new Case(
                        "POST /teams/{t}/tokens",
                        r -> r.contentType(ContentType.JSON)
                                .body("{\"name\": \"t-" + unique()
                                        + "\", \"scope\": \"read\", \"expiresIn\": \"PT1H\"}")
                                .post("/api/v1/teams/" + OWNER_TEAM + "/tokens"),
                        expect(401, 201, 403, 201, 403)),
                new Case(
                        "GET /teams/{t}/tokens",
                        r -> r.get("/api/v1/teams/" + OWNER_TEAM + "/tokens"),
                        expect(401, 200, 403, 200, 200)),
                new Case(
                        "GET /audit?team",
                        r -> r.get("/api/v1/audit?team=" + OWNER_TEAM),
                        expect(401, 200, 403, 200, 200)),
                // the owner deletes it first; after that it is gone for the admin too
                new Case(
                        "DELETE /topics/{c}/{n}",
                        r -> r.delete("/api/v1/topics/local/" + f.topic()),
                        expect(401, 202, 404, 404, 403)),
                // revoking: the others first, the owner last (the token is gone after)
                new Case(
                        "DELETE /teams/{t}/tokens/{id}",
                        r -> r.delete("/api/v1/teams/" + OWNER_TEAM + "/tokens/" + token),
                        expect(401, 204, 403, 404, 403)));

        List<String> wrong = new ArrayList<>();
        // tokens written, not the last-used records each replica writes in the background (keyed <id>#used)
        try (Tally commands = kafka.tally(ConciergeTopics.REQUESTS, r -> true);
                Tally tokenRecords =
                        kafka.tally(ConciergeTopics.TOKENS, r -> !r.key().endsWith("#used"))) {
            for (Case c : cases) {
                for (Caller caller : order(c)) {
                    long requests = commands.count();
                    long tokens = tokenRecords.count();
                    Response answer = c.call().apply(as(caller));
                    int expected = c.expected().get(caller);
                    if (answer.statusCode() != expected) {
                        wrong.add(c.what() + " as " + caller + ": " + answer.statusCode() + ", expected " + expected
                                + " " + answer.asString());
                    }
                    if (answer.statusCode() >= 400) {
                        assertThat(answer.contentType())
                                .as(c.what() + " as " + caller)
                                .startsWith("application/problem+json");
                        assertThat(commands.count())
                                .as(c.what() + " as " + caller + " wrote a command")
                                .isEqualTo(requests);
                        assertThat(tokenRecords.count())
                                .as(c.what() + " as " + caller + " wrote a token")
                                .isEqualTo(tokens);
                    }
                    if (answer.statusCode() == 401) {
                        assertThat(answer.header("WWW-Authenticate")).isEqualTo("Bearer");
                    }
                }
            }
        }
        assertThat(wrong).isEmpty();
    }

    /** A token is revoked by the owner last, after the admin's second revocation finds it gone. */
    private static List<Caller> order(Case c) {
        List<Caller> callers = new ArrayList<>(List.of(Caller.values()));
        if (c.what().startsWith("DELETE /teams")) {
            callers.remove(Caller.OWNER);
            callers.remove(Caller.ADMIN);
            callers.add(Caller.OWNER);
            callers.add(Caller.ADMIN);
        }
        return callers;
    }

    @Test
    void shouldListOnlyWhatTheCallersTeamsOwn() {
        Fixture f = fixture();
        List<String> asOwner = as(Caller.OWNER)
                .get("/api/v1/topics?size=500")
                .then()
                .statusCode(200)
                .extract()
                .path("items.name");
        List<String> asOther = as(Caller.OTHER)
                .get("/api/v1/topics?size=500")
                .then()
                .statusCode(200)
                .extract()
                .path("items.name");
        List<String> instancesAsOther = as(Caller.OTHER)
                .get("/api/v1/instances?size=500")
                .then()
                .statusCode(200)
                .extract()
                .path("items.name");
        List<String> asOtherNamingTheTeam = as(Caller.OTHER)
                .get("/api/v1/topics?owner=" + OWNER_TEAM)
                .then()
                .statusCode(200)
                .extract()
                .path("items.name");
        assertThat(asOwner).contains(f.topic());
        assertThat(asOther).doesNotContain(f.topic());
        assertThat(asOtherNamingTheTeam).isEmpty();
        assertThat(instancesAsOther).doesNotContain(f.instance());
        assertThat(as(Caller.ADMIN)
                        .get("/api/v1/topics?size=500")
                        .then()
                        .extract()
                        .<List<String>>path("items.name"))
                .contains(f.topic());
    }

    @Test
    void shouldStreamOnlyTheCallersTeamsEvents() throws Exception {
        String theirs = "payments.s-" + unique();
        try (SseClient owner = SseClient.connect(stream, null, authorization.get(Caller.OWNER));
                SseClient other = SseClient.connect(stream, null, authorization.get(Caller.OTHER))) {
            assertThat(owner.status()).isEqualTo(200);
            assertThat(other.status()).isEqualTo(200);
            kafka.sendEvent(io.kafkaconcierge.contracts.StatusEvent.of(
                    new io.kafkaconcierge.contracts.RequestCommand(
                            UUID.randomUUID().toString(),
                            io.kafkaconcierge.contracts.Operation.CREATE,
                            io.kafkaconcierge.contracts.ResourceRef.topic("local", theirs),
                            new io.kafkaconcierge.contracts.TopicSpec(
                                    "local", theirs, 1, (short) 1, Map.of(), OWNER_TEAM, null),
                            null,
                            null,
                            "0".repeat(64),
                            java.time.Instant.now()),
                    io.kafkaconcierge.contracts.RequestState.ACCEPTED,
                    java.time.Instant.now()));
            await().atMost(Duration.ofSeconds(20))
                    .until(() -> owner.events().stream().anyMatch(e -> e.data().contains(theirs)));
            // the other team's stream was open all along and got nothing of it
            assertThat(other.events()).noneMatch(e -> e.data().contains(theirs));
        }
        try (SseClient none = SseClient.connect(stream, null, null)) {
            assertThat(none.status()).isEqualTo(401);
        }
    }

    @Test
    void shouldAnswerARepeatedTokenAsTheSameCallerUntilItExpires() {
        String token = TestIdentity.identity()
                .token(
                        "frank",
                        List.of(OWNER_TEAM),
                        java.time.Instant.now().plusSeconds(3),
                        io.kafkaconcierge.contracts.identity.DevIdentity.AUDIENCE,
                        TestIdentity.ISSUER);
        assertThat(verified.find(token)).isEmpty();
        for (int i = 0; i < 2; i++) {
            given().header("Authorization", TestIdentity.bearer(token))
                    .get("/api/v1/me")
                    .then()
                    .statusCode(200)
                    .body("name", org.hamcrest.Matchers.equalTo("frank"))
                    .body("teams", org.hamcrest.Matchers.contains(OWNER_TEAM));
            // verified once by OIDC, then answered from the verified tokens
            assertThat(verified.find(token)).isPresent();
        }
        // a remembered token is refused once it expires, as a token verified afresh would be
        await().atMost(Duration.ofSeconds(15))
                .pollInterval(Duration.ofMillis(250))
                .until(() -> given().header("Authorization", TestIdentity.bearer(token))
                                .get("/api/v1/me")
                                .statusCode()
                        == 401);
        assertThat(verified.find(token)).isEmpty();
    }
}
