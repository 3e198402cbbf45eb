package io.kafkaconcierge.e2e;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;

import com.fasterxml.jackson.databind.JsonNode;
import io.kafkaconcierge.contracts.ConciergeTopics;
import io.kafkaconcierge.contracts.Json;
import io.kafkaconcierge.contracts.secrets.SecretBox;
import io.kafkaconcierge.testing.AsyncApi;
import io.kafkaconcierge.testing.KafkaTestClient;
import io.kafkaconcierge.testing.TestIdentity;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.stream.Stream;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.acl.AccessControlEntryFilter;
import org.apache.kafka.common.acl.AclBindingFilter;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.acl.AclPermissionType;
import org.apache.kafka.common.config.SaslConfigs;
import org.apache.kafka.common.errors.SaslAuthenticationException;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.errors.TopicAuthorizationException;
import org.apache.kafka.common.resource.ResourcePatternFilter;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * A local instance with security on: one real broker process started by the provisioner with a SASL/SCRAM-SHA-512
 * listener and the StandardAuthorizer; a Kafka user of the concierge with a produce grant there, used by a real
 * Kafka client with the password the API shows once; rotation, deletion, and no password in any log.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class SecuredLocalInstanceIT {

    private static final Duration WAIT = Duration.ofSeconds(90);
    private static final String TEAM = "data-platform";
    private static final String NAME = "safe-" + UUID.randomUUID().toString().substring(0, 6);
    private static final String USER =
            TEAM + "-writer-" + UUID.randomUUID().toString().substring(0, 4);
    private static final String MEMBER = TestIdentity.bearer(TestIdentity.member("alice", TEAM));

    private final Path root =
            Path.of("target", "instances-" + UUID.randomUUID()).toAbsolutePath();
    /** Every password this test saw: none of them may be in a log. */
    private final List<String> passwords = new ArrayList<>();

    private Suite suite;
    private KafkaTestClient kafka;

    @BeforeAll
    void startSuite() throws Exception {
        Path apps = Path.of(System.getProperty("concierge.apps.dir", ".."));
        Path launcher;
        try (Stream<Path> jars = Files.list(apps.resolve("local-kafka/target"))) {
            launcher = jars.filter(p -> p.getFileName().toString().matches("local-kafka-.*\\.jar"))
                    .findFirst()
                    .orElseThrow(
                            () -> new IllegalStateException("local-kafka's jar is missing: ./mvnw verify builds it"));
        }
        String classpath = launcher.toAbsolutePath() + ":"
                + Files.readString(apps.resolve("local-kafka/target/broker.classpath"))
                        .trim();
        suite = new Suite(Map.of(
                "concierge.provisioner.instances.backend",
                "local",
                "concierge.provisioner.instances.local.root",
                root.toString(),
                "concierge.provisioner.instances.local.broker-classpath",
                classpath));
        kafka = new KafkaTestClient(suite.kafka().bootstrapServers());
        suite.start(Suite.PROVISIONER, "secured-provisioner");
        suite.start(Suite.API, "secured-api");
    }

    @AfterAll
    void stopSuite() throws Exception {
        // the provisioner first, so that it does not restart what is stopped next
        if (suite != null) {
            suite.close();
        }
        ProcessHandle.allProcesses()
                .filter(h -> commandLine(h).contains(root.toString())
                        && commandLine(h).contains("io.kafkaconcierge.localkafka.BrokerMain"))
                .forEach(ProcessHandle::destroyForcibly);
        if (Files.exists(root)) {
            try (Stream<Path> paths = Files.walk(root)) {
                paths.sorted(java.util.Comparator.reverseOrder())
                        .forEach(p -> p.toFile().delete());
            }
        }
    }

    private String api() {
        return suite.url("secured-api");
    }

    private static String commandLine(ProcessHandle h) {
        try {
            return new String(
                            Files.readAllBytes(Path.of("/proc", String.valueOf(h.pid()), "cmdline")),
                            StandardCharsets.UTF_8)
                    .replace('\0', ' ');
        } catch (IOException e) {
            return "";
        }
    }

    private static String accepted(Response response) {
        assertThat(response.statusCode()).as(response.asString()).isEqualTo(202);
        return response.path("requestId");
    }

    private void awaitRequest(String requestId, String state) {
        await().atMost(WAIT)
                .untilAsserted(() -> given().baseUri(api())
                        .get("/api/v1/requests/" + requestId)
                        .then()
                        .statusCode(200)
                        .body("state", equalTo(state)));
    }

    private String bootstrap() {
        return given().baseUri(api()).get("/api/v1/instances/" + NAME).path("listeners[0].bootstrapServers");
    }

    /** The concierge's super user's password, opened from the local backend's record with the tests' key. */
    private String adminPassword() throws IOException {
        JsonNode state =
                Json.MAPPER.readTree(root.resolve(NAME).resolve("instance.json").toFile());
        return new SecretBox(Optional.of(Suite.TEST_SECRETS_KEY), "test")
                .open(state.path("adminCredential").asText());
    }

    private Map<String, Object> login(String user, String password) {
        Map<String, Object> props = new HashMap<>();
        props.put(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, bootstrap());
        props.put(CommonClientConfigs.SECURITY_PROTOCOL_CONFIG, "SASL_PLAINTEXT");
        props.put(SaslConfigs.SASL_MECHANISM, "SCRAM-SHA-512");
        props.put(
                SaslConfigs.SASL_JAAS_CONFIG,
                "org.apache.kafka.common.security.scram.ScramLoginModule required " + "username=\"" + user
                        + "\" password=\"" + password + "\";");
        return props;
    }

    /** Produces one record to {@code topic} as the user; the error it met, or null. */
    private Throwable produce(Map<String, Object> settings, String topic) {
        Map<String, Object> props = new HashMap<>(settings);
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        props.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, 10_000);
        props.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 10_000);
        props.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, 5_000);
        try (KafkaProducer<String, String> producer =
                new KafkaProducer<>(props, new StringSerializer(), new StringSerializer())) {
            producer.send(new ProducerRecord<>(topic, "order-1", "placed")).get();
            return null;
        } catch (ExecutionException e) {
            return e.getCause();
        } catch (org.apache.kafka.common.KafkaException e) {
            return e;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return e;
        }
    }

    /** The password shown once to the owner team, after READY. */
    private String revealedPassword(String requestId) {
        awaitRequest(requestId, "READY");
        String password = given().baseUri(api())
                .header("Authorization", MEMBER)
                .header(TestIdentity.NO_DEFAULT_TOKEN, "true")
                .get("/api/v1/requests/" + requestId)
                .then()
                .statusCode(200)
                .body("credential.username", equalTo(USER))
                .body("credential.mechanism", equalTo("SCRAM-SHA-512"))
                .extract()
                .path("credential.password");
        assertThat(password).isNotBlank();
        passwords.add(password);
        return password;
    }

    private void createTopic(String topic) {
        awaitRequest(
                accepted(given().baseUri(api())
                        .contentType(ContentType.JSON)
                        .body("""
                {"cluster": "%s", "name": "%s", "partitions": 1, "replicationFactor": 1, "owner": "%s"}""".formatted(NAME, topic, TEAM))
                        .post("/api/v1/topics")),
                "READY");
    }

    @Test
    @Order(1)
    void shouldRefuseAnAuthenticationTheConciergeDoesNotOfferAndUnknownSecurityFields() {
        given().baseUri(api())
                .contentType(ContentType.JSON)
                .body("""
                {"name": "%s", "owner": "%s", "brokers": 1, "security": {"authentication": "kerberos"}}""".formatted(NAME, TEAM))
                .post("/api/v1/instances")
                .then()
                .statusCode(422)
                .contentType("application/problem+json")
                .body("errors.field", hasItem("security.authentication"));
        given().baseUri(api())
                .contentType(ContentType.JSON)
                .body("""
                {"name": "%s", "owner": "%s", "brokers": 1, "security": {"authentication": "scram-sha-512",
                 "tls": true}}""".formatted(NAME, TEAM))
                .post("/api/v1/instances")
                .then()
                .statusCode(400)
                .contentType("application/problem+json")
                .body("errors.field", hasItem("tls"));
    }

    @Test
    @Order(2)
    void shouldComeUpReadyWithAScramListenerAndSayHowToConnectWithoutAPassword() throws Exception {
        String id = accepted(given().baseUri(api())
                .contentType(ContentType.JSON)
                .body("""
                {"name": "%s", "owner": "%s", "brokers": 1,
                 "security": {"authentication": "scram-sha-512", "authorization": true}}""".formatted(NAME, TEAM))
                .post("/api/v1/instances"));
        awaitRequest(id, "READY");
        given().baseUri(api())
                .get("/api/v1/instances/" + NAME)
                .then()
                .statusCode(200)
                .body("spec.security.authentication", equalTo("scram-sha-512"))
                .body("spec.security.authorization", equalTo(true))
                .body("listeners[0].securityProtocol", equalTo("SASL_PLAINTEXT"))
                .body("listeners[0].saslMechanism", equalTo("SCRAM-SHA-512"))
                .body(
                        "listeners[0].saslJaasConfig",
                        equalTo("org.apache.kafka.common.security.scram.ScramLoginModule"
                                + " required username=\"<username>\" password=\"<password>\";"));
        List<ConsumerRecord<String, String>> events = kafka.records(ConciergeTopics.EVENTS, "instance:" + NAME);
        JsonNode ready = Json.MAPPER.readTree(events.get(events.size() - 1).value());
        assertThat(ready.path("state").asText()).isEqualTo("READY");
        assertThat(ready.path("instanceStatus")
                        .path("listeners")
                        .get(0)
                        .path("securityProtocol")
                        .asText())
                .isEqualTo("SASL_PLAINTEXT");
        AsyncApi asyncApi = AsyncApi.load();
        for (ConsumerRecord<String, String> e : events) {
            assertThat(asyncApi.checkEvent(e)).as(e.value()).isEmpty();
        }
        for (ConsumerRecord<String, String> r : kafka.records(ConciergeTopics.REQUESTS, "instance:" + NAME)) {
            assertThat(asyncApi.checkRecord("requestCommand", r)).as(r.value()).isEmpty();
        }

        // the broker: SASL for clients, the authorizer, and the super user's password only in files of mode 600
        Path node = root.resolve(NAME).resolve("node-1");
        String properties = Files.readString(node.resolve("server.properties"));
        assertThat(properties)
                .contains(
                        "authorizer.class.name=org.apache.kafka.metadata.authorizer.StandardAuthorizer",
                        "allow.everyone.if.no.acl.found=false",
                        "super.users=User:concierge-admin",
                        ":SASL_PLAINTEXT");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(node.resolve("server.properties"))))
                .isEqualTo("rw-------");
        assertThat(node.resolve("scram-bootstrap.properties"))
                .as("removed once the storage is formatted")
                .doesNotExist();
        passwords.add(adminPassword());
    }

    @Test
    @Order(3)
    void shouldRefuseAClientWithoutCredentialsOrWithAWrongPassword() throws Exception {
        Map<String, Object> plain = Map.of(
                AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG,
                bootstrap(),
                AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG,
                3000,
                AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG,
                2000);
        try (Admin admin = Admin.create(plain)) {
            // a client that does not log in never gets an answer: the broker drops its connection
            assertThatThrownBy(() -> admin.listTopics().names().get()).hasCauseInstanceOf(TimeoutException.class);
        }
        assertThat(produce(login("concierge-admin", "not-the-password"), "anything"))
                .isInstanceOf(SaslAuthenticationException.class);
    }

    @Test
    @Order(4)
    void shouldLetAUserProduceWhereItsGrantAllowsRotateItsPasswordAndLeaveNoAclWhenDeleted() throws Exception {
        createTopic("orders");
        createTopic("payments");
        String created = accepted(given().baseUri(api())
                .header("Authorization", MEMBER)
                .header(TestIdentity.NO_DEFAULT_TOKEN, "true")
                .contentType(ContentType.JSON)
                .body("""
                        {"cluster": "%s", "name": "%s", "owner": "%s",
                         "grants": [{"topic": "orders", "operations": ["produce"]}]}""".formatted(NAME, USER, TEAM))
                .post("/api/v1/users"));
        String first = revealedPassword(created);

        assertThat(produce(login(USER, first), "orders")).as("its grant").isNull();
        assertThat(produce(login(USER, first), "payments"))
                .as("no grant")
                .isInstanceOf(TopicAuthorizationException.class);

        String rotation = accepted(given().baseUri(api())
                .header("Authorization", MEMBER)
                .header(TestIdentity.NO_DEFAULT_TOKEN, "true")
                .post("/api/v1/users/" + NAME + "/" + USER + "/credentials/rotate"));
        String second = revealedPassword(rotation);
        assertThat(second).isNotEqualTo(first);
        assertThat(produce(login(USER, first), "orders"))
                .as("the old password")
                .isInstanceOf(SaslAuthenticationException.class);
        assertThat(produce(login(USER, second), "orders"))
                .as("the new password")
                .isNull();

        try (Admin admin = Admin.create(login("concierge-admin", adminPassword()))) {
            AclBindingFilter ofUser = new AclBindingFilter(
                    ResourcePatternFilter.ANY,
                    new AccessControlEntryFilter("User:" + USER, null, AclOperation.ANY, AclPermissionType.ANY));
            assertThat(admin.describeAcls(ofUser).values().get()).isNotEmpty();
            awaitRequest(
                    accepted(given().baseUri(api())
                            .header("Authorization", MEMBER)
                            .header(TestIdentity.NO_DEFAULT_TOKEN, "true")
                            .delete("/api/v1/users/" + NAME + "/" + USER)),
                    "DELETED");
            assertThat(admin.describeAcls(ofUser).values().get()).isEmpty();
            assertThat(admin.describeUserScramCredentials().all().get()).doesNotContainKey(USER);
        }
        assertThat(produce(login(USER, second), "orders"))
                .as("a deleted user")
                .isInstanceOf(SaslAuthenticationException.class);
    }

    @Test
    @Order(5)
    void shouldWriteNoPasswordToAnyLogOrCommandLine() throws Exception {
        assertThat(passwords).hasSize(3); // the super user's, the user's first and its rotated one
        List<Path> logs = new ArrayList<>(List.of(
                Path.of("target", "e2e-logs", "secured-provisioner.log"),
                Path.of("target", "e2e-logs", "secured-api.log")));
        // the processes' logs: each node's output and Kafka's own log folder (not the data folder's segment files)
        try (Stream<Path> files = Files.walk(root)) {
            files.filter(p -> p.getFileName().toString().equals("node.log")
                            || p.getParent().getFileName().toString().equals("logs"))
                    .forEach(logs::add);
        }
        assertThat(logs).anyMatch(p -> p.toString().endsWith("node.log"));
        for (Path log : logs) {
            String text = Files.readString(log);
            for (String password : passwords) {
                assertThat(text).as(log.toString()).doesNotContain(password);
            }
        }
        List<String> commandLines = ProcessHandle.allProcesses()
                .map(SecuredLocalInstanceIT::commandLine)
                .filter(c -> c.contains(root.toString()))
                .toList();
        assertThat(commandLines).anyMatch(c -> c.contains("io.kafkaconcierge.localkafka.BrokerMain"));
        for (String c : commandLines) {
            for (String password : passwords) {
                assertThat(c).doesNotContain(password);
            }
        }
    }
}
