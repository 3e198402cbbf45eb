package io.kafkaconcierge.notifier;

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
import io.kafkaconcierge.testing.WebhookReceiver;
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
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import java.util.regex.Pattern;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

/**
 * Every endpoint of the notifier against hostile requests (see {@code ApiFuzzTest} in concierge-api for what is sent
 * and checked). One real subscription exists; a request that could change it if it were valid (a DELETE, a test, a
 * rotation without a body) is sent with a credential that may not, and every body is invalid by construction.
 * {@code -Dfuzz.seed} repeats a run, {@code -Dfuzz.perEndpoint} sets its size.
 */
@QuarkusTest
@QuarkusTestResource(SubscriptionsTestResource.class)
class NotifierFuzzTest {

    static {
        TestIdentity.restAssuredAsAdmin();
    }

    private static final String TEAM = "fuzzteam";
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
        try (WebhookReceiver receiver = new WebhookReceiver()) {
            String id = given().contentType(ContentType.JSON)
                    .body(Map.of(
                            "owner",
                            TEAM,
                            "channel",
                            Map.of("type", "webhook", "url", receiver.url()),
                            "filter",
                            Map.of("owners", List.of(TEAM))))
                    .post("/api/v1/subscriptions")
                    .then()
                    .statusCode(201)
                    .extract()
                    .path("id");
            try {
                fuzz(id);
            } finally {
                given().delete("/api/v1/subscriptions/" + id);
            }
        }
    }

    private void fuzz(String id) throws Exception {
        audit.flush();
        Map<String, Set<String>> before = new HashMap<>();
        for (String topic : List.of(
                ConciergeTopics.REQUESTS,
                ConciergeTopics.EVENTS,
                ConciergeTopics.SUBSCRIPTIONS,
                ConciergeTopics.TOKENS,
                ConciergeTopics.AUDIT)) {
            before.put(topic, positions(kafka.records(topic)));
        }

        long seed = Fuzz.seedFromProperty();
        System.out.println("NotifierFuzzTest seed " + seed + " (repeat with -Dfuzz.seed=" + seed + ")");
        Fuzz fuzz = new Fuzz(seed);
        int perEndpoint = Integer.getInteger("fuzz.perEndpoint", 1000);

        Set<String> secrets = new java.util.HashSet<>();
        List<Credential> credentials = FuzzEndpoint.credentials(TEAM, secrets);
        Credential cannotChange = credentials.get(FuzzEndpoint.OTHER_TEAM);

        JsonNode create = Fuzz.json("""
                {"owner": "fuzzteam", "description": "d",
                 "filter": {"types": ["io.kafkaconcierge.topic.ready"], "kinds": ["topic"], "owners": ["fuzzteam"]},
                 "channel": {"type": "webhook", "url": "http://127.0.0.1:1/hook"}}""");
        JsonNode patch = Fuzz.json("""
                {"description": "d", "filter": {"kinds": ["topic"]}, "url": "http://127.0.0.1:1/x", "state": "ACTIVE"}""");
        JsonNode rotation = Fuzz.json("{\"overlap\": \"PT1H\"}");
        Consumer<ObjectNode> unknownField = o -> o.put("fuzzPoison", 1);
        BodyMaker createBody = f -> f.body(
                create,
                f.pick(
                        unknownField,
                        o -> o.put("owner", "bad owner!"),
                        o -> o.set("channel", Fuzz.json("{\"type\": \"pigeon\"}")),
                        o -> o.set("filter", Fuzz.json("{\"kinds\": [\"nothing-of-that-kind\"]}"))));
        BodyMaker patchBody = f -> f.body(patch, f.pick(unknownField, o -> o.put("state", "SLEEPING")));
        BodyMaker rotationBody = f -> f.body(rotation, o -> o.put("overlap", f.pick("PT-1S", "forever", "P999D")));

        List<FuzzEndpoint> endpoints = List.of(
                new FuzzEndpoint(
                        "/api/v1/subscriptions",
                        List.of("GET", "POST"),
                        f -> new Target("/api/v1/subscriptions", false),
                        new String[] {"owner"},
                        Map.of("POST", createBody)),
                new FuzzEndpoint(
                        "/api/v1/subscriptions/{id}",
                        List.of("GET", "PATCH", "DELETE"),
                        f -> target(f, id, ""),
                        new String[] {},
                        Map.of("PATCH", patchBody)),
                new FuzzEndpoint(
                        "/api/v1/subscriptions/{id}/secret/rotate",
                        List.of("POST"),
                        f -> target(f, id, "/secret/rotate"),
                        new String[] {},
                        Map.of("POST", rotationBody)),
                new FuzzEndpoint(
                        "/api/v1/subscriptions/{id}/deliveries",
                        List.of("GET"),
                        f -> target(f, id, "/deliveries"),
                        new String[] {"limit"},
                        Map.of()),
                new FuzzEndpoint(
                        "/api/v1/subscriptions/{id}/deliveries/{deliveryId}/redeliver",
                        List.of("POST"),
                        f -> target(
                                f,
                                id,
                                "/deliveries/" + f.segment("0-0", "00000000-0000-0000-0000-000000000000")
                                        + "/redeliver"),
                        new String[] {},
                        Map.of()),
                new FuzzEndpoint(
                        "/api/v1/subscriptions/{id}/test",
                        List.of("POST"),
                        f -> target(f, id, "/test"),
                        new String[] {},
                        Map.of()));

        FuzzRun run = new FuzzRun(RestAssured.port, secrets, Duration.ofSeconds(15), Duration.ofMillis(250));
        int[] index = {0};
        long start = System.nanoTime();
        run.run(perEndpoint * endpoints.size(), 4, () -> {
            int i = index[0]++;
            FuzzEndpoint endpoint = endpoints.get(i % endpoints.size());
            return request(fuzz, run, endpoint, credentials, cannotChange, i);
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
            AuditRecord record = Json.read(r.value().getBytes(StandardCharsets.UTF_8), AuditRecord.class);
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

    private static Target target(Fuzz f, String id, String rest) {
        String segment = f.segment(id, id, "sub-aaaaaaaaaaaaaaaaaaaa");
        return new Target("/api/v1/subscriptions/" + segment + rest, segment.equals(id));
    }

    private static FuzzRun.Request request(
            Fuzz f, FuzzRun run, FuzzEndpoint endpoint, List<Credential> credentials, Credential cannotChange, int i) {
        String method = f.chance(0.8) ? f.pick(endpoint.methods()) : f.pick(OTHER_METHODS);
        Target target = endpoint.path().make(f);
        String query = f.query(endpoint.queryNames());
        Credential credential = f.pick(credentials);
        List<String[]> headers = new ArrayList<>(f.extraHeaders());
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
        String note = credential.name();
        boolean write = !method.equals("GET") && !method.equals("HEAD") && !method.equals("OPTIONS");
        if (target.real() && credential.mayChange() && write) {
            // whatever else is wrong with it, this request must not be a valid change of the real subscription
            headers.removeIf(h -> h[0].startsWith("X-HTTP-Method"));
            boolean patch = method.equals("PATCH") && endpoint.name().endsWith("{id}");
            boolean rotate = method.equals("POST") && endpoint.name().endsWith("/rotate");
            if (rotate && f.chance(0.5)) {
                body = new Fuzz.Body(
                        "{\"overlap\": \"PT-1S\"}".getBytes(StandardCharsets.UTF_8), "invalid overlap", false);
                length = FuzzRun.Length.EXACT;
                contentType = "application/json";
                note += ", invalid overlap";
            } else if (!patch) {
                credential = cannotChange;
                note = credential.name() + " (instead of " + note + ")";
            }
        }
        return run.request(
                endpoint.name(),
                method,
                target.path() + query,
                credential.header(),
                contentType,
                headers,
                body.bytes(),
                length,
                note + ", body " + body.kind() + ", type " + contentType);
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
