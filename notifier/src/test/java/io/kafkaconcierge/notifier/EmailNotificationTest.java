package io.kafkaconcierge.notifier;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.kafkaconcierge.contracts.ApprovalRequested;
import io.kafkaconcierge.contracts.CloudEvents;
import io.kafkaconcierge.contracts.ClusterInfo;
import io.kafkaconcierge.contracts.ConciergeTopics;
import io.kafkaconcierge.contracts.FailureReason;
import io.kafkaconcierge.contracts.InstanceSpec;
import io.kafkaconcierge.contracts.InstanceStatus;
import io.kafkaconcierge.contracts.Json;
import io.kafkaconcierge.contracts.Operation;
import io.kafkaconcierge.contracts.RequestCommand;
import io.kafkaconcierge.contracts.RequestState;
import io.kafkaconcierge.contracts.Requester;
import io.kafkaconcierge.contracts.StatusEvent;
import io.kafkaconcierge.contracts.TopicSpec;
import io.kafkaconcierge.testing.EmbeddedKafka;
import io.kafkaconcierge.testing.KafkaTestClient;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import jakarta.mail.Address;
import jakarta.mail.BodyPart;
import jakarta.mail.Multipart;
import jakarta.mail.internet.MimeMessage;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

@QuarkusTest
@QuarkusTestResource(value = SmtpTestResource.class, restrictToAnnotatedClass = true)
class EmailNotificationTest {

    static {
        io.kafkaconcierge.testing.TestIdentity.restAssuredAsAdmin();
    }

    private static final Duration WAIT = Duration.ofSeconds(20);
    private static final String BOOTSTRAP = "kafka-1.example.com:9092";
    private final KafkaTestClient kafka =
            new KafkaTestClient(EmbeddedKafka.shared().bootstrapServers());

    @BeforeAll
    static void publishTheCluster() {
        new KafkaTestClient(EmbeddedKafka.shared().bootstrapServers())
                .send(
                        ConciergeTopics.CLUSTERS,
                        "mail-cluster",
                        new String(
                                Json.write(new ClusterInfo("mail-cluster", BOOTSTRAP, 3, true, null, Instant.now()))),
                        Map.of());
    }

    private RequestCommand command(String topic) {
        TopicSpec spec = new TopicSpec(
                "mail-cluster", topic, 6, (short) 3, Map.of("retention.ms", "604800000"), "payments", "Orders");
        return new RequestCommand(
                UUID.randomUUID().toString(),
                Operation.CREATE,
                spec.ref(),
                spec,
                null,
                null,
                "0".repeat(64),
                Instant.now());
    }

    private void publish(StatusEvent e) {
        kafka.sendEvent(e);
    }

    private static List<MimeMessage> mailsAbout(String topic) throws Exception {
        return Arrays.stream(SmtpTestResource.smtp.getReceivedMessages())
                .filter(m -> {
                    try {
                        return m.getSubject().contains(topic);
                    } catch (Exception e) {
                        return false;
                    }
                })
                .toList();
    }

    private static String part(MimeMessage mail, String type) throws Exception {
        Multipart multipart = (Multipart) mail.getContent();
        for (int i = 0; i < multipart.getCount(); i++) {
            BodyPart p = multipart.getBodyPart(i);
            if (p.isMimeType("multipart/*")) {
                Multipart inner = (Multipart) p.getContent();
                for (int j = 0; j < inner.getCount(); j++) {
                    if (inner.getBodyPart(j).isMimeType(type)) {
                        return inner.getBodyPart(j).getContent().toString();
                    }
                }
            } else if (p.isMimeType(type)) {
                return p.getContent().toString();
            }
        }
        throw new AssertionError("no " + type + " part");
    }

    @Test
    void shouldMailTheTeamHowToConnectWhenATopicIsReady() throws Exception {
        String topic = "orders." + UUID.randomUUID().toString().substring(0, 8);
        RequestCommand c = command(topic);
        publish(StatusEvent.of(c, RequestState.ACCEPTED, Instant.now()));
        publish(StatusEvent.of(c, RequestState.READY, Instant.now()));

        // one mail, sent to each of the two addresses
        await().atMost(WAIT).untilAsserted(() -> assertThat(mailsAbout(topic)).hasSize(2));
        MimeMessage mail = mailsAbout(topic).get(0);
        assertThat(mail.getSubject()).isEqualTo("[Kafka Concierge] Topic " + topic + " on mail-cluster is ready");
        assertThat(Arrays.stream(mail.getRecipients(MimeMessage.RecipientType.TO))
                        .map(Address::toString))
                .containsExactlyInAnyOrder("payments-team@example.com", "oncall@example.com");
        String text = part(mail, "text/plain");
        assertThat(text)
                .contains("Bootstrap servers   " + BOOTSTRAP)
                .contains("kcat -b " + BOOTSTRAP + " -t " + topic + " -C")
                .contains("Partitions          6")
                .contains("retention.ms = 604800000")
                .contains("Request " + c.requestId());
        assertThat(part(mail, "text/html")).contains("<code>" + BOOTSTRAP + "</code>");
    }

    @Test
    void shouldMailWhyARequestFailedAndWhatToDoNext() throws Exception {
        String topic = "clash." + UUID.randomUUID().toString().substring(0, 8);
        publish(StatusEvent.failed(
                command(topic),
                FailureReason.CONFLICT,
                "Topic already exists with another spec: partitions 3 (asked 6).",
                Instant.now()));

        await().atMost(WAIT).untilAsserted(() -> assertThat(mailsAbout(topic)).hasSize(2));
        MimeMessage mail = mailsAbout(topic).get(0);
        assertThat(mail.getSubject()).contains("request failed (CONFLICT)");
        assertThat(part(mail, "text/plain"))
                .contains("partitions 3 (asked 6)")
                .contains("PATCH /api/v1/topics/mail-cluster/" + topic);
    }

    @Test
    void shouldMailTheTeamTheBootstrapServersOfAReadyInstanceWithAKcatExample() throws Exception {
        String name = "inst-" + UUID.randomUUID().toString().substring(0, 8);
        InstanceSpec spec = new InstanceSpec(
                name,
                "data-platform",
                3,
                "4.1.1",
                Map.of("num.partitions", "6"),
                new InstanceSpec.Storage("ephemeral", null),
                List.of(new InstanceSpec.Listener("plain", 9092, "internal", false)),
                null,
                false,
                null);
        RequestCommand c = new RequestCommand(
                UUID.randomUUID().toString(),
                Operation.CREATE,
                spec.ref(),
                null,
                null,
                null,
                "0".repeat(64),
                Instant.now(),
                spec,
                null);
        InstanceStatus status = new InstanceStatus(
                "local",
                "4.1.1",
                3,
                List.of(new InstanceStatus.ListenerAddress("plain", "127.0.0.1:40001,127.0.0.1:40002,127.0.0.1:40003")),
                List.of());
        publish(StatusEvent.of(c, RequestState.READY, Instant.now()).withStatus(status));

        await().atMost(WAIT).untilAsserted(() -> assertThat(mailsAbout(name)).hasSize(2));
        MimeMessage mail = mailsAbout(name).get(0);
        assertThat(mail.getSubject()).isEqualTo("[Kafka Concierge] Kafka instance " + name + " is ready");
        assertThat(part(mail, "text/plain"))
                .contains("Bootstrap servers (plain)  127.0.0.1:40001,127.0.0.1:40002,127.0.0.1:40003")
                .contains("kcat -b 127.0.0.1:40001,127.0.0.1:40002,127.0.0.1:40003 -L")
                .contains("3 broker(s), on local")
                .contains("num.partitions = 6")
                .contains("\"cluster\": \"" + name + "\"");
        assertThat(part(mail, "text/html")).contains("<code>127.0.0.1:40001,127.0.0.1:40002,127.0.0.1:40003</code>");
    }

    @Test
    void shouldMailHowToLogInToAReadyInstanceWithSecurityWithoutAPassword() throws Exception {
        String name = "safe-" + UUID.randomUUID().toString().substring(0, 8);
        InstanceSpec spec = new InstanceSpec(
                name,
                "data-platform",
                1,
                "4.1.1",
                Map.of(),
                new InstanceSpec.Storage("ephemeral", null),
                List.of(new InstanceSpec.Listener("plain", 9092, "internal", false)),
                null,
                false,
                null,
                null,
                new InstanceSpec.Security(InstanceSpec.Security.SCRAM_SHA_512, true));
        RequestCommand c = new RequestCommand(
                UUID.randomUUID().toString(),
                Operation.CREATE,
                spec.ref(),
                null,
                null,
                null,
                "0".repeat(64),
                Instant.now(),
                spec,
                null);
        InstanceStatus status = new InstanceStatus(
                "local",
                "4.1.1",
                1,
                List.of(InstanceStatus.ListenerAddress.scram("plain", "127.0.0.1:40011")),
                List.of());
        publish(StatusEvent.of(c, RequestState.READY, Instant.now()).withStatus(status));

        await().atMost(WAIT).untilAsserted(() -> assertThat(mailsAbout(name)).hasSize(2));
        MimeMessage mail = mailsAbout(name).get(0);
        assertThat(part(mail, "text/plain"))
                .contains("security.protocol=SASL_PLAINTEXT")
                .contains("sasl.mechanism=SCRAM-SHA-512")
                .contains("sasl.jaas.config=org.apache.kafka.common.security.scram.ScramLoginModule required "
                        + "username=\"<username>\" password=\"<password>\";")
                .contains("-X sasl.username=<username> -X sasl.password=<password>")
                .contains("POST /api/v1/users");
        assertThat(part(mail, "text/html"))
                .contains("security.protocol=SASL_PLAINTEXT")
                .contains("password=&quot;&lt;password&gt;&quot;");
    }

    @Test
    void shouldNotMailTheStepsInBetween() throws Exception {
        String quiet = "quiet." + UUID.randomUUID().toString().substring(0, 8);
        String marker = "marker." + UUID.randomUUID().toString().substring(0, 8);
        RequestCommand c = command(quiet);
        publish(StatusEvent.of(c, RequestState.ACCEPTED, Instant.now()));
        publish(StatusEvent.of(c, RequestState.PROVISIONING, Instant.now()));
        publish(StatusEvent.of(command(marker), RequestState.READY, Instant.now()));

        await().atMost(WAIT).untilAsserted(() -> assertThat(mailsAbout(marker)).isNotEmpty());
        assertThat(mailsAbout(quiet)).isEmpty();
    }

    @Test
    void shouldMailTheAddressesOfAnEmailSubscriptionOnlyTheEventsItsFilterWants() throws Exception {
        String topic = "subscribed." + UUID.randomUUID().toString().substring(0, 8);
        String id = given().contentType(ContentType.JSON)
                .body(Map.of(
                        "owner",
                        "payments",
                        "channel",
                        Map.of("type", "email", "to", List.of("subscriber@example.com")),
                        "filter",
                        Map.of("types", List.of("io.kafkaconcierge.topic.failed"))))
                .post("/api/v1/subscriptions")
                .then()
                .statusCode(201)
                .body("filter.types", org.hamcrest.Matchers.contains("io.kafkaconcierge.topic.failed"))
                .body("$", org.hamcrest.Matchers.not(org.hamcrest.Matchers.hasKey("secret")))
                .extract()
                .path("id");
        try {
            given().post("/api/v1/subscriptions/" + id + "/test")
                    .then()
                    .statusCode(200)
                    .body("outcome", org.hamcrest.Matchers.equalTo("delivered"));
            RequestCommand c = command(topic);
            publish(StatusEvent.of(c, RequestState.READY, Instant.now()));
            publish(StatusEvent.failed(command(topic), FailureReason.CONFLICT, "exists already", Instant.now()));

            await().atMost(WAIT)
                    .untilAsserted(() -> assertThat(mailsAbout(topic).stream()
                                    .filter(m -> {
                                        try {
                                            return Arrays.stream(m.getRecipients(MimeMessage.RecipientType.TO))
                                                    .map(Address::toString)
                                                    .anyMatch("subscriber@example.com"::equals);
                                        } catch (Exception e) {
                                            return false;
                                        }
                                    })
                                    .map(m -> {
                                        try {
                                            return m.getSubject();
                                        } catch (Exception e) {
                                            return "";
                                        }
                                    }))
                            .containsExactly("[Kafka Concierge] Topic " + topic
                                    + " on mail-cluster: request failed (CONFLICT)"));
            assertThat(Arrays.stream(SmtpTestResource.smtp.getReceivedMessages())
                            .map(m -> {
                                try {
                                    return m.getSubject();
                                } catch (Exception e) {
                                    return "";
                                }
                            }))
                    .contains("[Kafka Concierge] Test of subscription " + id);
        } finally {
            given().delete("/api/v1/subscriptions/" + id).then().statusCode(204);
        }
    }

    @Test
    void shouldMailApproversWhatWaitsAndWhereToApproveIt() throws Exception {
        String topic = "approve." + UUID.randomUUID().toString().substring(0, 8);
        String id = given().contentType(ContentType.JSON)
                .body(Map.of(
                        "owner",
                        "payments",
                        "channel",
                        Map.of("type", "email", "to", List.of("approvers@example.com")),
                        "filter",
                        Map.of("types", List.of(CloudEvents.APPROVAL_REQUESTED))))
                .post("/api/v1/subscriptions")
                .then()
                .statusCode(201)
                .extract()
                .path("id");
        try {
            RequestCommand c = command(topic);
            ApprovalRequested call = new ApprovalRequested(
                    c.requestId(),
                    c.operation(),
                    c.resource(),
                    "payments",
                    "prod",
                    new Requester("u-1", "ada", null),
                    Instant.now(),
                    Instant.now().plusSeconds(3600),
                    2,
                    "admins",
                    "create topic mail-cluster/" + topic + ": 6 partitions (team payments, prod)",
                    "a".repeat(64),
                    "/api/v1/requests/" + c.requestId() + "/approve",
                    List.of("policy.prod.approval: 2 approver(s) from admins"),
                    List.of());
            kafka.send(
                    ConciergeTopics.EVENTS,
                    c.resource().key(),
                    new String(Json.write(call)),
                    Map.of(
                            CloudEvents.H_SPECVERSION,
                            "1.0",
                            CloudEvents.H_ID,
                            call.eventId(),
                            CloudEvents.H_SOURCE,
                            "/kafka-concierge/concierge-api",
                            CloudEvents.H_TYPE,
                            CloudEvents.APPROVAL_REQUESTED,
                            CloudEvents.H_TIME,
                            Instant.now().toString(),
                            CloudEvents.H_CONTENT_TYPE,
                            "application/json"));
            await().atMost(WAIT)
                    .untilAsserted(() -> assertThat(mailsAbout(topic)).isNotEmpty());
            MimeMessage mail = mailsAbout(topic).get(0);
            assertThat(mail.getSubject()).startsWith("[Kafka Concierge] Approval requested: create topic");
            assertThat(part(mail, "text/plain"))
                    .contains("POST /api/v1/requests/" + c.requestId() + "/approve")
                    .contains("a".repeat(64))
                    .contains("2 approval(s) from platform admins")
                    .contains("ada");
        } finally {
            given().delete("/api/v1/subscriptions/" + id).then().statusCode(204);
        }
    }
}
