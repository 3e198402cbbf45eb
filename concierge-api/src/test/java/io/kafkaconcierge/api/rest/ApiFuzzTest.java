package io.kafkaconcierge.api.rest;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kafkaconcierge.contracts.AuditRecord;
import io.kafkaconcierge.contracts.ConciergeTopics;
import io.kafkaconcierge.contracts.Json;
import io.kafkaconcierge.security.audit.Audit;
import io.kafkaconcierge.testing.EmbeddedKafka;
import io.kafkaconcierge.testing.KafkaTestClient;
import io.kafkaconcierge.testing.TestIdentity;
import io.kafkaconcierge.testing.fuzz.Fuzz;
import io.kafkaconcierge.testing.fuzz.FuzzEndpoint;
import io.kafkaconcierge.testing.fuzz.FuzzEndpoint.BodyMaker;
import io.kafkaconcierge.testing.fuzz.FuzzEndpoint.Credential;
import io.kafkaconcierge.testing.fuzz.FuzzEndpoint.Target;
import io.kafkaconcierge.testing.fuzz.FuzzRun;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.restassured.http.ContentType;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import java.util.regex.Pattern;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

/**
 * Every endpoint of the API against hostile requests: malformed, truncated, huge and deep bodies, wrong types,
 * unicode and NUL, bad paths and queries, bad headers, every kind of bad (and good) credential. No answer may be a
 * 5xx, show a stack trace or a class name, or be an error other than problem+json; and nothing may be written but
 * audit records of refusals. Every fuzz body is invalid by construction (see {@link Fuzz#body}), and a change of
 * the one real topic by someone allowed to make it always carries an invalid Idempotency-Key. {@code -Dfuzz.seed}
 * repeats a run, {@code -Dfuzz.perEndpoint} sets its size.
 */
@QuarkusTest
@QuarkusTestResource(value = ApiKafkaResource.class, restrictToAnnotatedClass = true)
class ApiFuzzTest {

    static {
        TestIdentity.restAssuredAsAdmin();
    }

    private static final String TEAM = "fuzzteam";
    private static final String TOPIC = "fuzz.target";
    private static final String USER = "fuzzteam-target";
    private static final List<String> OTHER_METHODS = List.of(
            "PUT", "PATCH", "DELETE", "POST", "GET", "HEAD", "OPTIONS", "TRACE", "FOO", "get", "PROPFIND", "CONNECT");
    private static final Pattern TOKEN_LIKE = Pattern.compile("eyJ[A-Za-z0-9_-]{10,}|kct_|Bearer\\s+[A-Za-z0-9._~+/-]");

    private final KafkaTestClient kafka =
            new KafkaTestClient(EmbeddedKafka.shared().bootstrapServers());

    @Inject
    Audit audit;

    @Test
    void shouldAnswerEveryHostileRequestWithoutA5xxOrATraceAndWriteNothing() throws Exception {
        await().atMost(Duration.ofSeconds(30))
                .until(() -> given().get("/q/health/ready").statusCode() == 200);
        // the one real thing fuzz paths may hit: a topic of TEAM (written before the run, not counted)
        String requestId = given().contentType(ContentType.JSON)
                .body("""
                {"cluster": "local", "name": "%s", "partitions": 1, "replicationFactor": 1, "owner": "%s"}""".formatted(TOPIC, TEAM))
                .post("/api/v1/topics")
                .then()
                .statusCode(202)
                .extract()
                .path("requestId");
        // and a user of TEAM, so that fuzzed changes of users meet a real one
        given().contentType(ContentType.JSON)
                .body("""
                {"cluster": "local", "name": "%s", "owner": "%s", "grants": []}""".formatted(USER, TEAM))
                .post("/api/v1/users")
                .then()
                .statusCode(202);
        await().atMost(Duration.ofSeconds(10))
                .until(() -> given().get("/api/v1/users/local/" + USER).statusCode() == 200);
        audit.flush();

        Map<String, Set<String>> before = new java.util.HashMap<>();
        for (String topic : List.of(
                ConciergeTopics.REQUESTS,
                ConciergeTopics.EVENTS,
                ConciergeTopics.SUBSCRIPTIONS,
                ConciergeTopics.TOKENS,
                ConciergeTopics.AUDIT)) {
            before.put(topic, positions(kafka.records(topic)));
        }

        long seed = Fuzz.seedFromProperty();
        System.out.println("ApiFuzzTest seed " + seed + " (repeat with -Dfuzz.seed=" + seed + ")");
        Fuzz fuzz = new Fuzz(seed);
        int perEndpoint = Integer.getInteger("fuzz.perEndpoint", 1000);

        Set<String> secrets = new java.util.HashSet<>();
        List<Credential> credentials = FuzzEndpoint.credentials(TEAM, secrets);

        JsonNode topicCreate = Fuzz.json("""
                {"cluster": "local", "name": "fuzz.valid", "partitions": 1, "replicationFactor": 1,
                 "config": {"retention.ms": "86400000", "cleanup.policy": "delete"}, "owner": "fuzzteam",
                 "description": "a topic"}""");
        JsonNode topicPatch = Fuzz.json("""
                {"partitions": 3, "config": {"retention.ms": "1000", "max.message.bytes": null}, "description": "d"}""");
        JsonNode instanceCreate = Fuzz.json("""
                {"name": "fuzzinst", "owner": "fuzzteam", "brokers": 1, "kafkaVersion": "4.1.1",
                 "config": {"num.partitions": 3}, "storage": {"type": "ephemeral"},
                 "listeners": [{"name": "plain", "port": 9092, "type": "internal", "tls": false}],
                 "resources": {"requests": {"cpu": "1"}}, "deletionProtection": false, "description": "d"}""");
        JsonNode instancePatch = Fuzz.json("""
                {"brokers": 2, "config": {"log.retention.hours": 72}, "deletionProtection": false, "description": "d"}""");
        JsonNode userCreate = Fuzz.json("""
                {"cluster": "local", "name": "fuzzteam-writer", "owner": "fuzzteam",
                 "grants": [{"topic": "fuzz.target", "operations": ["produce", "consume"], "group": "fuzzteam-g",
                             "transactionalId": "fuzzteam-tx", "idempotent": true}],
                 "quotas": {"producerByteRate": 1024, "consumerByteRate": 2048, "requestPercentage": 10.5},
                 "description": "d"}""");
        JsonNode userPatch = Fuzz.json("""
                {"grants": [{"topic": "fuzz.", "patternType": "prefixed", "operations": ["describe"]}],
                 "quotas": {"producerByteRate": 1}, "description": "d"}""");
        JsonNode tokenCreate = Fuzz.json("""
                {"name": "ci", "scope": "read", "expiresIn": "P1D"}""");

        Consumer<ObjectNode> unknownField = o -> o.put("fuzzPoison", 1);
        BodyMaker topicCreateBody = f -> f.body(
                topicCreate,
                f.pick(
                        unknownField,
                        o -> o.put("partitions", -1),
                        o -> o.put("name", "bad name!"),
                        o -> o.put("replicationFactor", 0),
                        o -> o.set("config", Fuzz.json("{\"retention.ms\": \"soon\"}")),
                        o -> o.set("access", Fuzz.json("[{\"user\": \"fuzzteam-nobody\", \"operations\": [\"own\"]}]")),
                        o -> o.set(
                                "access",
                                Fuzz.json("[{\"user\": \"fuzzteam-nobody\", \"operations\": [\"consume\"]}]"))));
        BodyMaker topicPatchBody = f -> f.body(
                topicPatch,
                f.pick(
                        unknownField,
                        o -> o.put("partitions", -7),
                        o -> o.set("config", Fuzz.json("{\"no.such.config\": 1}"))));
        BodyMaker instanceCreateBody = f -> f.body(
                instanceCreate,
                f.pick(
                        unknownField,
                        o -> o.put("brokers", -3),
                        o -> o.put("name", "Bad_Name"),
                        o -> o.set("storage", Fuzz.json("{\"type\": \"marble\"}"))));
        BodyMaker instancePatchBody = f -> f.body(instancePatch, f.pick(unknownField, o -> o.put("brokers", -1)));
        BodyMaker userCreateBody = f -> f.body(
                userCreate,
                f.pick(
                        unknownField,
                        o -> o.put("name", "Bad Name"),
                        o -> o.set("grants", Fuzz.json("[{\"topic\": \"x\", \"operations\": [\"own\"]}]")),
                        o -> o.set("quotas", Fuzz.json("{\"requestPercentage\": -1}")),
                        o -> o.put("grants", 7)));
        BodyMaker userPatchBody = f -> f.body(
                userPatch,
                f.pick(
                        unknownField,
                        o -> o.set("quotas", Fuzz.json("{\"producerByteRate\": 0}")),
                        o -> o.set("grants", Fuzz.json("[{\"topic\": \"fuzz.x\", \"operations\": [\"consume\"]}]"))));
        BodyMaker tokenCreateBody = f -> f.body(
                tokenCreate,
                f.pick(
                        unknownField,
                        o -> o.put("scope", "superuser"),
                        o -> o.put("expiresIn", "P9999D"),
                        o -> o.put("name", "Bad Name")));

        List<FuzzEndpoint> endpoints = List.of(
                new FuzzEndpoint(
                        "/api/v1/topics",
                        List.of("GET", "POST"),
                        f -> new Target("/api/v1/topics", false),
                        new String[] {"cluster", "owner", "state", "page", "size"},
                        Map.of("POST", topicCreateBody)),
                new FuzzEndpoint(
                        "/api/v1/topics/{cluster}/{name}",
                        List.of("GET", "PATCH", "DELETE"),
                        f -> {
                            String cluster = f.segment("local");
                            String name = f.segment(TOPIC);
                            return new Target(
                                    "/api/v1/topics/" + cluster + "/" + name,
                                    cluster.equals("local") && name.equals(TOPIC));
                        },
                        new String[] {},
                        Map.of("PATCH", topicPatchBody)),
                new FuzzEndpoint(
                        "/api/v1/instances",
                        List.of("GET", "POST"),
                        f -> new Target("/api/v1/instances", false),
                        new String[] {"owner", "state", "page", "size"},
                        Map.of("POST", instanceCreateBody)),
                new FuzzEndpoint(
                        "/api/v1/instances/{name}",
                        List.of("GET", "PATCH", "DELETE"),
                        f -> new Target("/api/v1/instances/" + f.segment("fuzzinst", "local"), false),
                        new String[] {},
                        Map.of("PATCH", instancePatchBody)),
                new FuzzEndpoint(
                        "/api/v1/users",
                        List.of("GET", "POST"),
                        f -> new Target("/api/v1/users", false),
                        new String[] {"cluster", "owner", "state", "page", "size", "dryRun"},
                        Map.of("POST", userCreateBody)),
                new FuzzEndpoint(
                        "/api/v1/users/{cluster}/{name}",
                        List.of("GET", "PATCH", "DELETE"),
                        f -> userTarget(f, ""),
                        new String[] {"dryRun"},
                        Map.of("PATCH", userPatchBody)),
                new FuzzEndpoint(
                        "/api/v1/users/{cluster}/{name}/credentials/rotate",
                        List.of("POST"),
                        f -> userTarget(f, "/credentials/rotate"),
                        new String[] {"dryRun"},
                        Map.of()),
                new FuzzEndpoint(
                        "/api/v1/requests/{id}",
                        List.of("GET"),
                        f -> new Target("/api/v1/requests/" + f.segment(requestId), false),
                        new String[] {},
                        Map.of()),
                new FuzzEndpoint(
                        "/api/v1/events/stream",
                        List.of("GET"),
                        f -> new Target("/api/v1/events/stream", false),
                        new String[] {"type", "kind", "cluster", "owner", "requestId", "from"},
                        Map.of()),
                new FuzzEndpoint(
                        "/api/v1/me", List.of("GET"), f -> new Target("/api/v1/me", false), new String[] {}, Map.of()),
                new FuzzEndpoint(
                        "/api/v1/teams/{team}/tokens",
                        List.of("GET", "POST"),
                        f -> new Target("/api/v1/teams/" + f.segment(TEAM, "payments") + "/tokens", false),
                        new String[] {},
                        Map.of("POST", tokenCreateBody)),
                new FuzzEndpoint(
                        "/api/v1/teams/{team}/tokens/{id}",
                        List.of("DELETE"),
                        f -> new Target(
                                "/api/v1/teams/" + f.segment(TEAM, "payments") + "/tokens/"
                                        + f.segment("aaaaaaaaaaaaaaaa"),
                                false),
                        new String[] {},
                        Map.of()),
                new FuzzEndpoint(
                        "/api/v1/audit",
                        List.of("GET"),
                        f -> new Target("/api/v1/audit", false),
                        new String[] {"team", "subject", "type", "from", "to", "page", "size"},
                        Map.of()),
                new FuzzEndpoint(
                        "/api/v1/clusters/{cluster}/acls/drift",
                        List.of("GET"),
                        f -> new Target("/api/v1/clusters/" + f.segment("local") + "/acls/drift", false),
                        new String[] {},
                        Map.of()));

        FuzzRun run = new FuzzRun(RestAssured.port, secrets, Duration.ofSeconds(10), Duration.ofMillis(250));
        int total = perEndpoint * endpoints.size();
        int[] index = {0};
        long start = System.nanoTime();
        run.run(total, 4, () -> {
            int i = index[0]++;
            FuzzEndpoint endpoint = endpoints.get(i % endpoints.size());
            return request(fuzz, run, endpoint, credentials, i);
        });
        Duration took = Duration.ofNanos(System.nanoTime() - start);
        System.out.println(run.summary(seed, took));
        run.failures().forEach(f -> System.out.println("FAILURE " + f));

        audit.flush();
        assertThat(newRecords(ConciergeTopics.REQUESTS, before))
                .as("commands written by the fuzz")
                .isEmpty();
        assertThat(newRecords(ConciergeTopics.EVENTS, before))
                .as("events written by the fuzz")
                .isEmpty();
        assertThat(newRecords(ConciergeTopics.SUBSCRIPTIONS, before))
                .as("subscriptions written")
                .isEmpty();
        assertThat(newRecords(ConciergeTopics.TOKENS, before))
                .as("tokens written by the fuzz")
                .isEmpty();
        List<ConsumerRecord<String, String>> audited = newRecords(ConciergeTopics.AUDIT, before);
        System.out.println("audit records written during the run: " + audited.size());
        List<String> wrongAudit = new ArrayList<>();
        for (ConsumerRecord<String, String> r : audited) {
            AuditRecord record =
                    Json.read(r.value().getBytes(java.nio.charset.StandardCharsets.UTF_8), AuditRecord.class);
            if (record.decision() != AuditRecord.Decision.REFUSED) {
                wrongAudit.add("decision " + record.decision() + ": " + r.value());
            }
            if (TOKEN_LIKE.matcher(r.value()).find() || secrets.stream().anyMatch(r.value()::contains)) {
                wrongAudit.add("a credential in: " + r.value());
            }
        }
        wrongAudit.stream().limit(10).forEach(w -> System.out.println("AUDIT " + w));
        assertThat(wrongAudit)
                .as("audit records that are not refusals or carry a credential")
                .isEmpty();
        assertThat(run.failures()).as("fuzz failures (seed " + seed + ")").isEmpty();
        assertThat(run.sent()).isGreaterThanOrEqualTo(1000);
        assertThat(run.perEndpoint()).hasSize(endpoints.size());
    }

    /** A path under a user: the real one of TEAM (then marked real) or hostile segments. */
    private static Target userTarget(Fuzz f, String suffix) {
        String cluster = f.segment("local");
        String name = f.segment(USER);
        return new Target(
                "/api/v1/users/" + cluster + "/" + name + suffix, cluster.equals("local") && name.equals(USER));
    }

    private static FuzzRun.Request request(
            Fuzz f, FuzzRun run, FuzzEndpoint endpoint, List<Credential> credentials, int i) {
        String method = f.chance(0.8) ? f.pick(endpoint.methods()) : f.pick(OTHER_METHODS);
        Target target = endpoint.path().make(f);
        String query = f.query(endpoint.queryNames());
        Credential credential = f.pick(credentials);
        List<String[]> headers = new ArrayList<>(f.extraHeaders());
        String key = f.idempotencyKey();
        String note = credential.name();
        boolean changesRealTopic =
                target.real() && credential.mayChange() && !method.equals("GET") && !method.equals("HEAD");
        if (changesRealTopic) {
            // whatever else is wrong with it, this request must not be a valid change of the real topic
            key = "fuzz key " + i;
            headers.removeIf(h -> h[0].startsWith("X-HTTP-Method"));
            note += ", invalid Idempotency-Key";
        }
        if (key != null) {
            headers.add(new String[] {"Idempotency-Key", key});
        }
        if (endpoint.name().endsWith("/stream")) {
            String last = f.lastEventId();
            if (last != null) {
                headers.add(new String[] {"Last-Event-ID", last});
            }
        }
        Fuzz.Body body = Fuzz.Body.NONE;
        BodyMaker maker = endpoint.bodies().get(method);
        if (i % 250 == 7) {
            body = f.mega();
        } else if (maker != null) {
            body = maker.make(f);
        } else if (!method.equals("GET") && !method.equals("HEAD") && f.chance(0.3)) {
            body = f.body(Fuzz.json("{\"a\": 1}"), o -> o.put("fuzzPoison", 1));
        } else if (f.chance(0.05)) {
            body = f.body(Fuzz.json("{\"a\": 1}"), o -> o.put("fuzzPoison", 1));
        }
        FuzzRun.Length length = FuzzRun.Length.EXACT;
        if (body.chunked()) {
            length = FuzzRun.Length.NONE_CHUNKED;
        } else if (body.bytes() != null && f.chance(0.06)) {
            length = f.pick(FuzzRun.Length.SHORTER, FuzzRun.Length.NOT_A_NUMBER, FuzzRun.Length.TWICE);
        }
        String contentType = body.bytes() == null && f.chance(0.7) ? null : f.contentType();
        return run.request(
                endpoint.name(),
                method,
                target.path() + query,
                credential.header(),
                contentType,
                headers,
                body.bytes(),
                length,
                note + ", body " + body.kind() + ", type " + contentType
                        + (key == null ? "" : ", key " + key.length() + " chars"));
    }

    private static Set<String> positions(List<ConsumerRecord<String, String>> records) {
        Set<String> out = new HashSet<>();
        records.forEach(r -> out.add(r.partition() + ":" + r.offset()));
        return out;
    }

    private List<ConsumerRecord<String, String>> newRecords(String topic, Map<String, Set<String>> before) {
        return kafka.records(topic).stream()
                .filter(r -> !before.get(topic).contains(r.partition() + ":" + r.offset()))
                .toList();
    }
}
