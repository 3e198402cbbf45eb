package io.kafkaconcierge.e2e;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;

import com.fasterxml.jackson.databind.JsonNode;
import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.GreenMailUtil;
import com.icegreen.greenmail.util.ServerSetup;
import io.kafkaconcierge.contracts.ConciergeTopics;
import io.kafkaconcierge.testing.KafkaTestClient;
import io.kafkaconcierge.testing.KeycloakServer;
import io.kafkaconcierge.testing.TestIdentity;
import io.kafkaconcierge.testing.WebhookReceiver;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import jakarta.mail.internet.MimeMessage;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Identity end to end, with a real identity provider: Keycloak as a process with the realm of
 * {@code keycloak/concierge-realm.json} (teams payments and analytics, an admin, a CI bot), and the three packaged
 * services in their production profile trusting it by OIDC discovery. Real users' tokens (password grant), a service
 * account's (client credentials), a team's API tokens, and every secret made along the way searched for afterwards
 * in every log, every record on every concierge topic, and every e-mail.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class IdentityIT {

    private static final Duration WAIT = Duration.ofSeconds(60);

    private static KeycloakServer keycloak;
    private static GreenMail smtp;
    private static WebhookReceiver receiver;
    private static Suite suite;
    /** Every credential and secret this test saw: none may appear anywhere the concierge writes. */
    private static final List<String> secrets = new ArrayList<>();

    private static String alice;
    private static String bob;
    private static String carol;
    private static String ciBot;

    @BeforeAll
    static void start() throws Exception {
        Path realm = Path.of(
                IdentityIT.class.getResource("/keycloak/concierge-realm.json").toURI());
        keycloak = KeycloakServer.start(Path.of(System.getProperty("keycloak.home")), "concierge", realm);
        System.out.printf(
                "Keycloak ready in %d ms, resident %s KiB%n",
                keycloak.startupTime().toMillis(), keycloak.residentKiB().orElse(-1));
        int smtpPort;
        try (ServerSocket s = new ServerSocket(0)) {
            smtpPort = s.getLocalPort();
        }
        smtp = new GreenMail(new ServerSetup(smtpPort, "127.0.0.1", ServerSetup.PROTOCOL_SMTP));
        smtp.start();
        receiver = new WebhookReceiver();
        suite = new Suite(Map.of(
                "quarkus.oidc.auth-server-url", keycloak.issuer(),
                "quarkus.mailer.host", "127.0.0.1",
                "quarkus.mailer.port", String.valueOf(smtpPort),
                "notifier.email.retry-schedule", "200ms,400ms",
                // the production profile refuses to store webhook secrets unencrypted
                "notifier.subscriptions.secret-key",
                        java.util.Base64.getEncoder()
                                .encodeToString(UUID.randomUUID()
                                        .toString()
                                        .substring(0, 32)
                                        .getBytes(StandardCharsets.US_ASCII))));
        suite.start(Suite.PROVISIONER);
        suite.start(Suite.NOTIFIER);
        suite.start(Suite.API);
        alice = secret(keycloak.passwordToken("concierge-cli", "alice", "alice-pass"));
        bob = secret(keycloak.passwordToken("concierge-cli", "bob", "bob-pass"));
        carol = secret(keycloak.passwordToken("concierge-cli", "carol", "carol-pass"));
        ciBot = secret(keycloak.clientCredentialsToken("ci-bot", "ci-bot-secret"));
    }

    @AfterAll
    static void stop() throws Exception {
        if (suite != null) {
            suite.close();
        }
        if (receiver != null) {
            receiver.close();
        }
        if (smtp != null) {
            smtp.stop();
        }
        if (keycloak != null) {
            keycloak.close();
        }
    }

    private static String secret(String value) {
        secrets.add(value);
        return value;
    }

    private static String api() {
        return suite.url(Suite.API);
    }

    private static String notifier() {
        return suite.url(Suite.NOTIFIER);
    }

    private static io.restassured.specification.RequestSpecification as(String token) {
        return given().header("Authorization", "Bearer " + token);
    }

    private static String topicBody(String name, String owner) {
        return """
                {"cluster": "local", "name": "%s", "partitions": 2, "replicationFactor": 1, "owner": "%s"}""".formatted(name, owner);
    }

    private static String awaitReady(String token, String requestId) {
        await().atMost(WAIT)
                .untilAsserted(() -> as(token)
                        .get(api() + "/api/v1/requests/" + requestId)
                        .then()
                        .statusCode(200)
                        .body("state", equalTo("READY")));
        return requestId;
    }

    @Test
    @Order(1)
    void shouldKnowRealUsersAndTheCiBotByTheirKeycloakGroups() {
        JsonNode claims = KeycloakServer.claims(alice);
        assertThat(claims.path("iss").asText()).isEqualTo(keycloak.issuer());

        as(alice)
                .get(api() + "/api/v1/me")
                .then()
                .statusCode(200)
                .body("name", equalTo("alice"))
                .body("teams", equalTo(List.of("payments")))
                .body("roles", equalTo(List.of()))
                .body("scope", equalTo("write"));
        as(carol)
                .get(api() + "/api/v1/me")
                .then()
                .statusCode(200)
                .body("teams", equalTo(List.of()))
                .body("roles", equalTo(List.of("admin")));
        as(ciBot)
                .get(api() + "/api/v1/me")
                .then()
                .statusCode(200)
                .body("name", equalTo("service-account-ci-bot"))
                .body("teams", equalTo(List.of("payments")));
        as(bob).get(notifier() + "/api/v1/subscriptions").then().statusCode(200);
    }

    @Test
    @Order(2)
    void shouldRefuseCallersKeycloakDidNotVouchFor() {
        for (String url : List.of(api() + "/api/v1/topics", notifier() + "/api/v1/subscriptions")) {
            given().header(TestIdentity.NO_DEFAULT_TOKEN, "1")
                    .get(url)
                    .then()
                    .statusCode(401)
                    .header("WWW-Authenticate", "Bearer")
                    .contentType("application/problem+json");
            // signed by another key (the tests' own), a tampered payload, and garbage
            as(TestIdentity.member("mallory", "payments")).get(url).then().statusCode(401);
            String[] parts = alice.split("\\.");
            String forged = parts[0] + "."
                    + java.util.Base64.getUrlEncoder()
                            .withoutPadding()
                            .encodeToString(new String(
                                            java.util.Base64.getUrlDecoder().decode(parts[1]), StandardCharsets.UTF_8)
                                    .replace("\"payments\"", "\"analytics\"")
                                    .getBytes(StandardCharsets.UTF_8))
                    + "."
                    + parts[2];
            as(forged).get(url).then().statusCode(401);
            as("kct_aaaaaaaaaaaaaaaa_" + "A".repeat(43)).get(url).then().statusCode(401);
        }
        // probes and metrics need no token
        given().header(TestIdentity.NO_DEFAULT_TOKEN, "1")
                .get(api() + "/q/health/ready")
                .then()
                .statusCode(200);
        given().header(TestIdentity.NO_DEFAULT_TOKEN, "1")
                .get(api() + "/q/metrics")
                .then()
                .statusCode(200);
    }

    @Test
    @Order(3)
    void shouldKeepEachTeamsTopicsToItself() {
        String name = "payments.orders-" + UUID.randomUUID().toString().substring(0, 6);
        String requestId = as(alice)
                .contentType(ContentType.JSON)
                .body(topicBody(name, "payments"))
                .post(api() + "/api/v1/topics")
                .then()
                .statusCode(202)
                .extract()
                .path("requestId");
        awaitReady(alice, requestId);
        as(alice).get(api() + "/api/v1/requests/" + requestId).then().body("requestedBy.name", equalTo("alice"));

        // bob (analytics) sees nothing of it, exactly as if it did not exist
        as(bob).get(api() + "/api/v1/topics/local/" + name).then().statusCode(404);
        as(bob).get(api() + "/api/v1/requests/" + requestId).then().statusCode(404);
        as(bob).contentType(ContentType.JSON)
                .body("{\"partitions\": 4}")
                .patch(api() + "/api/v1/topics/local/" + name)
                .then()
                .statusCode(404);
        as(bob).delete(api() + "/api/v1/topics/local/" + name).then().statusCode(404);
        assertThat(as(bob).get(api() + "/api/v1/topics?size=500")
                        .then()
                        .statusCode(200)
                        .extract()
                        .<List<String>>path("items.name"))
                .doesNotContain(name);
        // ... and may not act for payments
        as(bob).contentType(ContentType.JSON)
                .body(topicBody(name + "-b", "payments"))
                .post(api() + "/api/v1/topics")
                .then()
                .statusCode(403);
        as(bob).get(api() + "/api/v1/audit?team=payments").then().statusCode(403);

        // the admin and payments' CI bot see it; the bot may change it
        as(carol)
                .get(api() + "/api/v1/topics/local/" + name)
                .then()
                .statusCode(200)
                .body("owner", equalTo("payments"));
        String patch = as(ciBot)
                .contentType(ContentType.JSON)
                .body("{\"partitions\": 3}")
                .patch(api() + "/api/v1/topics/local/" + name)
                .then()
                .statusCode(202)
                .extract()
                .path("requestId");
        awaitReady(alice, patch);
        as(alice).get(api() + "/api/v1/requests/" + patch).then().body("spec.partitions", equalTo(3));

        // who did what is on record: alice's create and the bot's change, bob's refusal in payments' audit
        await().atMost(WAIT).untilAsserted(() -> {
            List<Map<String, Object>> audit = as(alice)
                    .get(api() + "/api/v1/audit?team=payments&size=500")
                    .then()
                    .statusCode(200)
                    .extract()
                    .path("items");
            assertThat(audit)
                    .anySatisfy(r -> assertThat(r)
                            .containsEntry("name", "alice")
                            .containsEntry("action", "topic.create")
                            .containsEntry("decision", "ACCEPTED")
                            .containsEntry("requestId", requestId));
            assertThat(audit)
                    .anySatisfy(r -> assertThat(r)
                            .containsEntry("name", "service-account-ci-bot")
                            .containsEntry("action", "topic.update"));
            assertThat(audit)
                    .anySatisfy(r -> assertThat(r)
                            .containsEntry("name", "bob")
                            .containsEntry("decision", "REFUSED")
                            .containsEntry("reason", "forbidden"));
            assertThat(audit)
                    .anySatisfy(r -> assertThat(r)
                            .containsEntry("decision", "PROVISIONED")
                            .containsEntry("requestId", requestId));
        });
    }

    @Test
    @Order(4)
    void shouldLetAutomationActForItsTeamWithATokenThatIsRevokedEverywhere() {
        Response made = as(alice)
                .contentType(ContentType.JSON)
                .body("{\"name\": \"deploy-bot\", \"scope\": \"write\", \"expiresIn\": \"P7D\"}")
                .post(api() + "/api/v1/teams/payments/tokens");
        made.then().statusCode(201).header("Cache-Control", "no-store");
        String token = secret(made.path("token"));
        String id = made.path("id");
        String reader = secret(as(alice)
                .contentType(ContentType.JSON)
                .body("{\"name\": \"dashboard\", \"scope\": \"read\", \"expiresIn\": \"P1D\"}")
                .post(api() + "/api/v1/teams/payments/tokens")
                .then()
                .statusCode(201)
                .extract()
                .path("token"));
        // bob cannot make tokens for payments, and a token cannot make tokens
        as(bob).contentType(ContentType.JSON)
                .body("{\"name\": \"x\", \"scope\": \"read\", \"expiresIn\": \"P1D\"}")
                .post(api() + "/api/v1/teams/payments/tokens")
                .then()
                .statusCode(403);
        as(token)
                .contentType(ContentType.JSON)
                .body("{\"name\": \"y\", \"scope\": \"read\", \"expiresIn\": \"P1D\"}")
                .post(api() + "/api/v1/teams/payments/tokens")
                .then()
                .statusCode(403);

        String name = "payments.bot-" + UUID.randomUUID().toString().substring(0, 6);
        as(token)
                .contentType(ContentType.JSON)
                .body(topicBody(name, "payments"))
                .post(api() + "/api/v1/topics")
                .then()
                .statusCode(202);
        as(token).get(notifier() + "/api/v1/subscriptions").then().statusCode(200);
        as(reader).get(api() + "/api/v1/topics/local/" + name).then().statusCode(200);
        as(reader).delete(api() + "/api/v1/topics/local/" + name).then().statusCode(403);
        List<Map<String, Object>> listed = as(alice)
                .get(api() + "/api/v1/teams/payments/tokens")
                .then()
                .statusCode(200)
                .extract()
                .path("$");
        assertThat(listed).extracting(t -> t.get("name")).contains("deploy-bot", "dashboard");
        assertThat(listed).allSatisfy(t -> assertThat(t).doesNotContainKey("token"));

        as(alice).delete(api() + "/api/v1/teams/payments/tokens/" + id).then().statusCode(204);
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            as(token).get(api() + "/api/v1/me").then().statusCode(401);
            as(token).get(notifier() + "/api/v1/subscriptions").then().statusCode(401);
        });
    }

    @Test
    @Order(5)
    void shouldNeverWriteASecretToALogAnEventTheAuditOrAnEmail() throws Exception {
        Response hook = as(alice)
                .contentType(ContentType.JSON)
                .body("""
                {"owner": "payments", "channel": {"type": "webhook", "url": "%s"}}""".formatted(receiver.url()))
                .post(notifier() + "/api/v1/subscriptions");
        hook.then().statusCode(201);
        String first = secret(hook.path("secret"));
        String rotated = secret(as(alice)
                .contentType(ContentType.JSON)
                .body("{\"overlap\": \"PT1H\"}")
                .post(notifier() + "/api/v1/subscriptions/" + hook.path("id") + "/secret/rotate")
                .then()
                .statusCode(200)
                .extract()
                .path("secret"));
        as(alice)
                .contentType(ContentType.JSON)
                .body("""
                {"owner": "payments", "channel": {"type": "email", "to": ["payments-team@example.com"]}}""")
                .post(notifier() + "/api/v1/subscriptions")
                .then()
                .statusCode(201);

        await().atMost(WAIT)
                .untilAsserted(() -> assertThat(as(alice)
                                .get(api() + "/api/v1/audit?team=payments&type=subscription&size=500")
                                .then()
                                .statusCode(200)
                                .extract()
                                .<List<Map<String, Object>>>path("items"))
                        .anySatisfy(r -> assertThat(r)
                                .containsEntry("action", "subscription.create")
                                .containsEntry("decision", "CREATED")
                                .containsEntry("service", "notifier"))
                        .anySatisfy(r -> assertThat(r)
                                .containsEntry("action", "subscription.rotate-secret")
                                .containsEntry("name", "alice")));
        String name = "payments.mailed-" + UUID.randomUUID().toString().substring(0, 6);
        String requestId = as(alice)
                .contentType(ContentType.JSON)
                .body(topicBody(name, "payments"))
                .post(api() + "/api/v1/topics")
                .then()
                .statusCode(202)
                .extract()
                .path("requestId");
        awaitReady(alice, requestId);
        await().atMost(WAIT)
                .until(() -> receiver.deliveries().stream()
                        .anyMatch(d -> d.body().contains(requestId) && d.verifies(rotated) && d.verifies(first)));
        await().atMost(WAIT)
                .until(() -> Stream.of(smtp.getReceivedMessages())
                        .anyMatch(m -> GreenMailUtil.getWholeMessage(m).contains(name)));

        List<String> needles = new ArrayList<>();
        for (String s : secrets) {
            needles.add(s);
            if (s.startsWith("whsec_")) {
                needles.add(s.substring("whsec_".length())); // the key itself, as the signer holds it
            }
            if (s.startsWith("ey")) {
                needles.add(s.substring(s.lastIndexOf('.') + 1)); // a JWT's signature alone
            }
        }
        needles.add("Bearer ey");
        needles.add("Bearer kct_");

        List<String> places = new ArrayList<>();
        try (Stream<Path> logs = Files.list(Path.of("target", "e2e-logs"))) {
            for (Path log : logs.toList()) {
                places.add("log " + log.getFileName() + "\n" + Files.readString(log, StandardCharsets.ISO_8859_1));
            }
        }
        KafkaTestClient kafka = new KafkaTestClient(suite.kafka().bootstrapServers());
        for (ConciergeTopics.Layout topic : ConciergeTopics.LAYOUT) {
            StringBuilder all = new StringBuilder("topic " + topic.name() + "\n");
            for (ConsumerRecord<String, String> r : kafka.records(topic.name())) {
                all.append(r.key()).append(' ').append(r.value()).append(' ');
                for (Header h : r.headers()) {
                    all.append(h.key())
                            .append('=')
                            .append(h.value() == null ? "" : new String(h.value(), StandardCharsets.UTF_8))
                            .append(' ');
                }
                all.append('\n');
            }
            places.add(all.toString());
        }
        for (MimeMessage m : smtp.getReceivedMessages()) {
            places.add("mail " + m.getSubject() + "\n" + GreenMailUtil.getWholeMessage(m));
        }
        places.add("audit\n" + as(carol).get(api() + "/api/v1/audit?size=500").asString());
        assertThat(places).hasSizeGreaterThan(ConciergeTopics.LAYOUT.size());
        assertThat(smtp.getReceivedMessages()).isNotEmpty();

        for (String place : places) {
            for (String needle : needles) {
                assertThat(place.contains(needle))
                        .as("a secret (" + needle.substring(0, Math.min(12, needle.length())) + "...) in "
                                + place.lines().findFirst().orElse(""))
                        .isFalse();
            }
        }
    }
}
