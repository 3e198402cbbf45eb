package io.kafkaconcierge.e2e;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;

import io.kafkaconcierge.contracts.CloudEvents;
import io.kafkaconcierge.contracts.ConciergeTopics;
import io.kafkaconcierge.contracts.Json;
import io.kafkaconcierge.testing.AsyncApi;
import io.kafkaconcierge.testing.KafkaTestClient;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Dedicated instances on the local backend: real broker processes started by the provisioner, checked with
 * Kafka's own Admin API and clients, killed with SIGKILL, adopted by a restarted provisioner, and deleted without
 * a trace.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class LocalInstancesIT {

    private static final Duration WAIT = Duration.ofSeconds(90);
    private static final String ONE = "solo-" + UUID.randomUUID().toString().substring(0, 6);
    private static final String THREE = "trio-" + UUID.randomUUID().toString().substring(0, 6);
    private static final String LATE = "late-" + UUID.randomUUID().toString().substring(0, 6);

    private final Path root =
            Path.of("target", "instances-" + UUID.randomUUID()).toAbsolutePath();
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
                classpath,
                "concierge.provisioner.instances.local.check-interval",
                "500ms"));
        kafka = new KafkaTestClient(suite.kafka().bootstrapServers());
        suite.start(Suite.PROVISIONER);
        suite.start(Suite.API);
    }

    @AfterAll
    void stopSuite() throws Exception {
        // whatever a failed test left running goes, so that nothing outlives the build
        processesUnderRoot().forEach(ProcessHandle::destroyForcibly);
        if (suite != null) {
            suite.close();
        }
        if (Files.exists(root)) {
            try (Stream<Path> paths = Files.walk(root)) {
                paths.sorted(java.util.Comparator.reverseOrder())
                        .forEach(p -> p.toFile().delete());
            }
        }
    }

    private String api() {
        return suite.url(Suite.API);
    }

    private Response postInstance(String body) {
        return given().baseUri(api()).contentType(ContentType.JSON).body(body).post("/api/v1/instances");
    }

    private static String accepted(Response response) {
        assertThat(response.statusCode()).as(response.asString()).isEqualTo(202);
        return response.path("requestId");
    }

    private void awaitInstance(String name, String state) {
        await().atMost(WAIT)
                .untilAsserted(() -> given().baseUri(api())
                        .get("/api/v1/instances/" + name)
                        .then()
                        .statusCode(200)
                        .body("state", equalTo(state)));
    }

    private String bootstrap(String name) {
        return given().baseUri(api()).get("/api/v1/instances/" + name).path("listeners[0].bootstrapServers");
    }

    private List<String> eventTypes(String name) {
        return kafka.records(ConciergeTopics.EVENTS, "instance:" + name).stream()
                .map(r -> KafkaTestClient.header(r, CloudEvents.H_TYPE))
                .toList();
    }

    /** The broker and controller processes of this test's instances (the services' own command lines name the
     * root too, so the launcher class tells them apart). */
    private List<ProcessHandle> processesUnderRoot() {
        return ProcessHandle.allProcesses()
                .filter(h -> {
                    String c = commandLine(h);
                    return c.contains(root.toString()) && c.contains("io.kafkaconcierge.localkafka.BrokerMain");
                })
                .toList();
    }

    /** The whole command line, from /proc (the JDK's view of it is cut short for a long classpath). */
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

    private List<ProcessHandle> processesOf(String instance) {
        return processesUnderRoot().stream()
                .filter(h -> commandLine(h).contains(root.resolve(instance).toString() + "/"))
                .toList();
    }

    private static Admin admin(String bootstrap) {
        return Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap));
    }

    private static Config brokerConfig(Admin admin, Node broker) throws Exception {
        ConfigResource r = new ConfigResource(ConfigResource.Type.BROKER, broker.idString());
        return admin.describeConfigs(List.of(r)).all().get().get(r);
    }

    @Test
    @Order(1)
    void shouldStartAOneBrokerInstanceWithTheAskedConfigsAndServeATopicRequestedOnIt() throws Exception {
        String id = accepted(postInstance("""
                {"name": "%s", "owner": "data-platform", "brokers": 1,
                 "config": {"num.partitions": 3, "log.retention.hours": 72, "message.max.bytes": 2097152,
                            "compression.type": "zstd", "auto.create.topics.enable": false},
                 "description": "one broker"}""".formatted(ONE)));
        awaitInstance(ONE, "READY");
        given().baseUri(api())
                .get("/api/v1/instances/" + ONE)
                .then()
                .body("backend", equalTo("local"))
                .body("readyBrokers", equalTo(1))
                .body("conditions[0].type", equalTo("Ready"))
                .body("conditions[0].status", equalTo("True"));
        assertThat(eventTypes(ONE))
                .containsExactly(
                        "io.kafkaconcierge.instance.accepted",
                        "io.kafkaconcierge.instance.provisioning",
                        "io.kafkaconcierge.instance.ready");
        ConsumerRecord<String, String> ready =
                kafka.records(ConciergeTopics.EVENTS, "instance:" + ONE).get(2);
        assertThat(Json.MAPPER
                        .readTree(ready.value())
                        .path("instanceStatus")
                        .path("listeners")
                        .get(0)
                        .path("bootstrapServers")
                        .asText())
                .isEqualTo(bootstrap(ONE));
        assertThat(KafkaTestClient.header(ready, CloudEvents.H_ID)).isEqualTo(id + ".ready");

        try (Admin admin = admin(bootstrap(ONE))) {
            List<Node> nodes = new ArrayList<>(admin.describeCluster().nodes().get());
            assertThat(nodes).hasSize(1);
            Config config = brokerConfig(admin, nodes.get(0));
            assertThat(config.get("num.partitions").value()).isEqualTo("3");
            assertThat(config.get("log.retention.hours").value()).isEqualTo("72");
            assertThat(config.get("message.max.bytes").value()).isEqualTo("2097152");
            assertThat(config.get("compression.type").value()).isEqualTo("zstd");
        }

        // the instance is a cluster now: a topic requested on it through the API, then used
        Response topic = given().baseUri(api())
                .contentType(ContentType.JSON)
                .body("""
                {"cluster": "%s", "name": "clicks", "partitions": 2, "replicationFactor": 1, "owner": "data-platform"}""".formatted(ONE))
                .post("/api/v1/topics");
        await().atMost(WAIT)
                .untilAsserted(() -> given().baseUri(api())
                        .get("/api/v1/requests/" + accepted(topic))
                        .then()
                        .body("state", equalTo("READY")));
        String bootstrap = bootstrap(ONE);
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(
                Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap, ProducerConfig.ACKS_CONFIG, "all"),
                new StringSerializer(),
                new StringSerializer())) {
            producer.send(new ProducerRecord<>("clicks", "user-1", "clicked")).get();
        }
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(
                Map.of(
                        ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
                        bootstrap,
                        ConsumerConfig.GROUP_ID_CONFIG,
                        "e2e",
                        ConsumerConfig.AUTO_OFFSET_RESET_CONFIG,
                        "earliest"),
                new StringDeserializer(),
                new StringDeserializer())) {
            consumer.subscribe(List.of("clicks"));
            List<String> values = new ArrayList<>();
            await().atMost(WAIT).until(() -> {
                consumer.poll(Duration.ofMillis(200)).forEach(r -> values.add(r.value()));
                return values.contains("clicked");
            });
        }
    }

    @Test
    @Order(2)
    void shouldStartAThreeBrokerInstanceWithItsOwnControllerQuorum() throws Exception {
        accepted(postInstance("""
                {"name": "%s", "owner": "data-platform", "brokers": 3,
                 "config": {"default.replication.factor": 3, "min.insync.replicas": 2, "num.partitions": 6,
                            "log.retention.bytes": 1073741824}}""".formatted(THREE)));
        awaitInstance(THREE, "READY");
        try (Admin admin = admin(bootstrap(THREE))) {
            List<Node> nodes = new ArrayList<>(admin.describeCluster().nodes().get());
            assertThat(nodes).hasSize(3);
            for (Node broker : nodes) {
                Config config = brokerConfig(admin, broker);
                assertThat(config.get("default.replication.factor").value()).isEqualTo("3");
                assertThat(config.get("min.insync.replicas").value()).isEqualTo("2");
                assertThat(config.get("log.retention.bytes").value()).isEqualTo("1073741824");
            }
            assertThat(admin.describeMetadataQuorum().quorumInfo().get().voters())
                    .hasSize(3);
        }
        assertThat(processesOf(THREE)).as("3 controllers and 3 brokers").hasSize(6);
    }

    @Test
    @Order(3)
    void shouldRestartABrokerKilledWithSigkillAndSayDegradedThenReady() throws Exception {
        Path pidFile = root.resolve(THREE).resolve("node-101").resolve("pid");
        long pid = Long.parseLong(Files.readString(pidFile).trim());
        ProcessHandle.of(pid).orElseThrow().destroyForcibly(); // SIGKILL
        awaitInstance(THREE, "READY");
        await().atMost(WAIT)
                .untilAsserted(() -> assertThat(eventTypes(THREE))
                        .endsWith("io.kafkaconcierge.instance.degraded", "io.kafkaconcierge.instance.ready"));
        List<ConsumerRecord<String, String>> events = kafka.records(ConciergeTopics.EVENTS, "instance:" + THREE);
        String degradedId = KafkaTestClient.header(events.get(events.size() - 2), CloudEvents.H_ID);
        assertThat(degradedId).matches(".*\\.degraded\\.[0-9]+");
        assertThat(Long.parseLong(Files.readString(pidFile).trim())).isNotEqualTo(pid);
        assertThat(processesOf(THREE)).hasSize(6);
        try (Admin admin = admin(bootstrap(THREE))) {
            assertThat(admin.describeCluster().nodes().get()).hasSize(3);
        }
    }

    @Test
    @Order(4)
    void shouldAdoptTheRunningProcessesWhenTheProvisionerRestartsInsteadOfStartingDuplicates() throws Exception {
        Set<Long> before = processesUnderRoot().stream().map(ProcessHandle::pid).collect(Collectors.toSet());
        assertThat(before).hasSize(7);
        suite.kill(Suite.PROVISIONER);
        suite.start(Suite.PROVISIONER);
        // a change after the restart proves the adopted instance is managed again: a config change restarts
        // the broker with the new value, and an added broker joins
        accepted(given().baseUri(api())
                .contentType(ContentType.JSON)
                .body("{\"brokers\": 2, \"config\": {\"log.retention.hours\": 24}}")
                .patch("/api/v1/instances/" + ONE));
        await().atMost(WAIT)
                .untilAsserted(() -> given().baseUri(api())
                        .get("/api/v1/instances/" + ONE)
                        .then()
                        .body("state", equalTo("READY"))
                        .body("spec.config.'log.retention.hours'", equalTo("24"))
                        .body("spec.brokers", equalTo(2))
                        .body("readyBrokers", equalTo(2)));
        assertThat(eventTypes(ONE)).contains("io.kafkaconcierge.instance.updating");
        try (Admin admin = admin(bootstrap(ONE))) {
            List<Node> nodes = new ArrayList<>(admin.describeCluster().nodes().get());
            assertThat(nodes).hasSize(2);
            for (Node broker : nodes) {
                assertThat(brokerConfig(admin, broker)
                                .get("log.retention.hours")
                                .value())
                        .isEqualTo("24");
            }
        }
        Set<Long> after = processesUnderRoot().stream().map(ProcessHandle::pid).collect(Collectors.toSet());
        assertThat(after).hasSize(8);
        Set<Long> trio = processesOf(THREE).stream().map(ProcessHandle::pid).collect(Collectors.toSet());
        assertThat(before)
                .as("the 3-broker instance's processes were adopted, not restarted")
                .containsAll(trio);
    }

    @Test
    @Order(5)
    void shouldFinishAnInstanceRequestWhoseProvisionerWasKilledRightAfterItWasAccepted() throws Exception {
        String id = accepted(postInstance("""
                {"name": "%s", "owner": "data-platform", "brokers": 1}""".formatted(LATE)));
        suite.kill(Suite.PROVISIONER);
        suite.start(Suite.PROVISIONER);
        awaitInstance(LATE, "READY");
        assertThat(processesOf(LATE)).hasSize(1);
        List<ConsumerRecord<String, String>> events = kafka.records(ConciergeTopics.EVENTS, "instance:" + LATE);
        assertThat(events)
                .filteredOn(e -> KafkaTestClient.header(e, CloudEvents.H_ID).equals(id + ".ready"))
                .hasSize(1);
    }

    @Test
    @Order(6)
    void shouldLeaveNoProcessPortOrDataBehindWhenInstancesAreDeleted() throws Exception {
        List<Integer> ports = new ArrayList<>();
        for (String name : List.of(ONE, THREE, LATE)) {
            for (String address : bootstrap(name).split(",")) {
                ports.add(Integer.parseInt(address.substring(address.lastIndexOf(':') + 1)));
            }
            accepted(given().baseUri(api()).delete("/api/v1/instances/" + name));
        }
        awaitInstance(ONE, "DELETED");
        awaitInstance(THREE, "DELETED");
        awaitInstance(LATE, "DELETED");
        assertThat(processesUnderRoot()).isEmpty();
        assertThat(root.resolve(ONE)).doesNotExist();
        assertThat(root.resolve(THREE)).doesNotExist();
        for (int port : ports) {
            try (ServerSocket s = new ServerSocket(port, 1, InetAddress.getLoopbackAddress())) {
                assertThat(s.getLocalPort()).isEqualTo(port);
            } catch (IOException e) {
                throw new AssertionError("port " + port + " is still taken", e);
            }
        }
        // the instance left the cluster registry: topic requests for it are refused
        await().atMost(WAIT)
                .untilAsserted(() -> given().baseUri(api())
                        .contentType(ContentType.JSON)
                        .body("""
                {"cluster": "%s", "name": "late", "partitions": 1, "replicationFactor": 1, "owner": "x"}""".formatted(ONE))
                        .post("/api/v1/topics")
                        .then()
                        .statusCode(422));
        assertThat(eventTypes(THREE))
                .endsWith("io.kafkaconcierge.instance.deleting", "io.kafkaconcierge.instance.deleted");
    }

    @Test
    @Order(7)
    void shouldWriteInstanceRecordsThatFollowTheAsyncApiDocument() throws Exception {
        AsyncApi asyncApi = AsyncApi.load();
        List<ConsumerRecord<String, String>> events = kafka.records(ConciergeTopics.EVENTS);
        assertThat(events).anyMatch(e -> e.key().startsWith("instance:"));
        for (ConsumerRecord<String, String> e : events) {
            assertThat(asyncApi.checkEvent(e)).as(e.key() + ": " + e.value()).isEmpty();
        }
        for (ConsumerRecord<String, String> r : kafka.records(ConciergeTopics.REQUESTS)) {
            assertThat(asyncApi.checkRecord("requestCommand", r)).as(r.value()).isEmpty();
        }
        List<ConsumerRecord<String, String>> clusters = kafka.records(ConciergeTopics.CLUSTERS);
        assertThat(clusters).anyMatch(r -> r.key().equals(ONE) && r.value() == null);
        for (ConsumerRecord<String, String> r : clusters) {
            assertThat(asyncApi.checkRecord("clusterInfo", r))
                    .as(r.key() + ": " + r.value())
                    .isEmpty();
        }
    }
}
