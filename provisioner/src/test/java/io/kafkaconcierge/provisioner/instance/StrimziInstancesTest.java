package io.kafkaconcierge.provisioner.instance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import io.kafkaconcierge.contracts.CloudEvents;
import io.kafkaconcierge.contracts.ConciergeTopics;
import io.kafkaconcierge.contracts.FailureReason;
import io.kafkaconcierge.contracts.InstanceSpec;
import io.kafkaconcierge.contracts.InstanceSpec.Listener;
import io.kafkaconcierge.contracts.InstanceSpec.Resources;
import io.kafkaconcierge.contracts.InstanceSpec.Storage;
import io.kafkaconcierge.contracts.Json;
import io.kafkaconcierge.contracts.Operation;
import io.kafkaconcierge.contracts.RequestCommand;
import io.kafkaconcierge.contracts.RequestState;
import io.kafkaconcierge.contracts.StatusEvent;
import io.kafkaconcierge.contracts.TopicSpec;
import io.kafkaconcierge.testing.EmbeddedKafka;
import io.kafkaconcierge.testing.KafkaTestClient;
import io.kafkaconcierge.testing.KafkaTestResource;
import io.kafkaconcierge.testing.StrimziSchemas;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.quarkus.test.kubernetes.client.WithKubernetesTestServer;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * The Strimzi backend against the fabric8 mock API server in CRUD mode, with the test playing the Strimzi
 * operator's part by writing status conditions; every resource the provisioner writes is checked against the
 * Strimzi 1.2.0 CRD schemas.
 */
@QuarkusTest
@TestProfile(StrimziInstancesTest.StrimziBackend.class)
@QuarkusTestResource(value = KafkaTestResource.class, restrictToAnnotatedClass = true)
@WithKubernetesTestServer(crud = true)
class StrimziInstancesTest {

    public static class StrimziBackend implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of(
                    "concierge.secrets.key",
                    KEY,
                    "concierge.provisioner.instances.backend",
                    "strimzi",
                    "concierge.provisioner.instances.strimzi.namespace",
                    NAMESPACE,
                    // the informers' resync, out of reach of the test: every outcome here comes from a watch event
                    "concierge.provisioner.instances.strimzi.poll-interval",
                    "10m",
                    "concierge.provisioner.instances.ready-timeout",
                    "2m");
        }
    }

    private static final String NAMESPACE = "kafka-instances";
    static final String KEY = java.util.Base64.getEncoder()
            .encodeToString("strimzi-users-test-key-32-bytes!".getBytes(java.nio.charset.StandardCharsets.UTF_8));
    private static final ResourceDefinitionContext USER = context("KafkaUser", "kafkausers");
    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final ResourceDefinitionContext KAFKA = context("Kafka", "kafkas");
    private static final ResourceDefinitionContext POOL = context("KafkaNodePool", "kafkanodepools");
    private static final ResourceDefinitionContext TOPIC = context("KafkaTopic", "kafkatopics");

    @Inject
    KubernetesClient client;

    private final KafkaTestClient kafka =
            new KafkaTestClient(EmbeddedKafka.shared().bootstrapServers());

    private static ResourceDefinitionContext context(String kind, String plural) {
        return new ResourceDefinitionContext.Builder()
                .withGroup("kafka.strimzi.io")
                .withVersion("v1")
                .withKind(kind)
                .withPlural(plural)
                .withNamespaced(true)
                .build();
    }

    private static InstanceSpec spec(String name, int brokers, Storage storage) {
        return new InstanceSpec(
                name,
                "data-platform",
                brokers,
                "4.1.1",
                Map.of("num.partitions", "6", "log.retention.hours", "72"),
                storage,
                List.of(new Listener("plain", 9092, "internal", false), new Listener("tls", 9093, "internal", true)),
                new Resources(Map.of("cpu", "500m", "memory", "2Gi"), Map.of("memory", "2Gi")),
                false,
                null);
    }

    private RequestCommand send(Operation op, InstanceSpec spec) {
        RequestCommand c = new RequestCommand(
                UUID.randomUUID().toString(),
                op,
                spec.ref(),
                null,
                null,
                null,
                "0".repeat(64),
                Instant.now(),
                spec,
                null);
        kafka.send(ConciergeTopics.REQUESTS, c.resource().key(), new String(Json.write(c)), Map.of());
        return c;
    }

    private RequestCommand sendTopic(Operation op, TopicSpec spec) {
        RequestCommand c = new RequestCommand(
                UUID.randomUUID().toString(), op, spec.ref(), spec, null, null, "0".repeat(64), Instant.now());
        kafka.send(ConciergeTopics.REQUESTS, c.resource().key(), new String(Json.write(c)), Map.of());
        return c;
    }

    private List<StatusEvent> events(RequestCommand c) {
        List<StatusEvent> events = new ArrayList<>();
        for (ConsumerRecord<String, String> r :
                kafka.records(ConciergeTopics.EVENTS, c.resource().key())) {
            if (KafkaTestClient.header(r, CloudEvents.H_ID).startsWith(c.requestId() + ".")) {
                events.add(Json.read(r.value().getBytes(), StatusEvent.class));
            }
        }
        return events;
    }

    private StatusEvent awaitEvent(RequestCommand c, RequestState state, boolean health) {
        List<StatusEvent> found = new ArrayList<>();
        await().atMost(WAIT).untilAsserted(() -> {
            found.clear();
            events(c).stream()
                    .filter(e -> e.state() == state && (e.sequence() != null) == health)
                    .forEach(found::add);
            assertThat(found).as(state + " of " + c.resource().key()).isNotEmpty();
        });
        return found.get(found.size() - 1);
    }

    private GenericKubernetesResource get(ResourceDefinitionContext kind, String name) {
        return client.genericKubernetesResources(kind)
                .inNamespace(NAMESPACE)
                .withName(name)
                .get();
    }

    private void assertValid(GenericKubernetesResource resource) {
        Assumptions.assumeTrue(StrimziSchemas.dir().isPresent(), StrimziSchemas.whyUnavailable());
        JsonNode json = Json.MAPPER.valueToTree(resource);
        assertThat(StrimziSchemas.problems(json))
                .as(resource.getKind() + " " + json)
                .isEmpty();
    }

    /** Plays the operator: the Kafka's status as Strimzi writes it. */
    private void operatorSays(
            String name, String type, String status, String reason, String message, boolean listeners) {
        client.genericKubernetesResources(KAFKA)
                .inNamespace(NAMESPACE)
                .withName(name)
                .edit(g -> {
                    Map<String, Object> s = new java.util.LinkedHashMap<>();
                    // the mock server counts every change as a new generation (a real one only spec changes): the
                    // status
                    // written here is about the generation this very edit makes
                    s.put(
                            "observedGeneration",
                            Optional.ofNullable(g.getMetadata().getGeneration()).orElse(0L) + 1);
                    Map<String, Object> condition = new java.util.LinkedHashMap<>();
                    condition.put("type", type);
                    condition.put("status", status);
                    condition.put("lastTransitionTime", "2026-11-25T00:00:00Z");
                    if (reason != null) {
                        condition.put("reason", reason);
                        condition.put("message", message);
                    }
                    s.put("conditions", List.of(condition));
                    if (listeners) {
                        s.put(
                                "listeners",
                                List.of(
                                        Map.of(
                                                "name",
                                                "plain",
                                                "type",
                                                "plain",
                                                "bootstrapServers",
                                                name + "-kafka-bootstrap." + NAMESPACE + ".svc:9092"),
                                        Map.of(
                                                "name",
                                                "tls",
                                                "type",
                                                "tls",
                                                "bootstrapServers",
                                                name + "-kafka-bootstrap." + NAMESPACE + ".svc:9093")));
                    }
                    s.put("kafkaVersion", "4.1.1");
                    g.setAdditionalProperty("status", s);
                    return g;
                });
    }

    @Test
    void shouldWriteValidKafkaAndNodePoolsAndBecomeReadyWhenTheOperatorSaysReady() {
        String name = "analytics-" + UUID.randomUUID().toString().substring(0, 6);
        RequestCommand create = send(Operation.CREATE, spec(name, 3, new Storage("persistent", "20Gi")));

        await().atMost(WAIT).until(() -> get(KAFKA, name) != null);
        GenericKubernetesResource k = get(KAFKA, name);
        assertThat(k.getApiVersion()).isEqualTo("kafka.strimzi.io/v1");
        assertThat(k.getMetadata().getLabels())
                .containsEntry("kafka-concierge.io/owner", "data-platform")
                .containsEntry("kafka-concierge.io/request-id", create.requestId());
        assertValid(k);
        GenericKubernetesResource controllers = get(POOL, name + "-controller");
        GenericKubernetesResource brokers = get(POOL, name + "-broker");
        assertThat(controllers).isNotNull();
        assertThat(brokers).isNotNull();
        assertValid(controllers);
        assertValid(brokers);
        assertThat(brokers.getMetadata().getLabels()).containsEntry("strimzi.io/cluster", name);
        JsonNode brokerSpec =
                Json.MAPPER.valueToTree(brokers.getAdditionalProperties().get("spec"));
        assertThat(brokerSpec.path("replicas").asInt()).isEqualTo(3);
        assertThat(brokerSpec.path("storage").path("size").asText()).isEqualTo("20Gi");
        assertThat(brokerSpec.path("resources").path("requests").path("memory").asText())
                .isEqualTo("2Gi");
        JsonNode kafkaSpec =
                Json.MAPPER.valueToTree(k.getAdditionalProperties().get("spec")).path("kafka");
        assertThat(kafkaSpec.path("config").path("log.retention.hours").asText())
                .isEqualTo("72");
        assertThat(kafkaSpec.path("listeners")).hasSize(2);
        assertThat(awaitEvent(create, RequestState.PROVISIONING, false)
                        .instanceStatus()
                        .backend())
                .isEqualTo("strimzi");

        // a reason the operator retries on is shown while waiting, without ending the request
        operatorSays(
                name,
                "NotReady",
                "True",
                "TimeoutException",
                "Exceeded timeout of 300000ms while waiting for " + "Pods resource " + name + "-broker-0 to be ready",
                false);
        StatusEvent waiting = awaitEvent(create, RequestState.PROVISIONING, true);
        assertThat(waiting.instanceStatus().conditions()).anySatisfy(c -> {
            assertThat(c.reason()).isEqualTo("TimeoutException");
            assertThat(c.message()).contains("waiting for Pods");
        });
        assertThat(events(create)).noneMatch(e -> e.state().terminal());

        operatorSays(name, "Ready", "True", null, null, true);
        StatusEvent ready = awaitEvent(create, RequestState.READY, false);
        assertThat(ready.instanceStatus().bootstrapServers())
                .isEqualTo(name + "-kafka-bootstrap." + NAMESPACE + ".svc:9092");
        assertThat(ready.instanceStatus().listeners()).hasSize(2);
        assertThat(ready.instanceStatus().readyBrokers()).isEqualTo(3);

        // the instance is a cluster now: a topic request for it becomes a KafkaTopic for the topic operator
        RequestCommand topic = sendTopic(
                Operation.CREATE,
                new TopicSpec(
                        name, "Clicks_v1", 6, (short) 3, Map.of("retention.ms", "86400000"), "data-platform", null));
        await().atMost(WAIT)
                .until(() -> client.genericKubernetesResources(TOPIC)
                                .inNamespace(NAMESPACE)
                                .withLabel("strimzi.io/cluster", name)
                                .list()
                                .getItems()
                                .size()
                        == 1);
        GenericKubernetesResource kt = client.genericKubernetesResources(TOPIC)
                .inNamespace(NAMESPACE)
                .withLabel("strimzi.io/cluster", name)
                .list()
                .getItems()
                .get(0);
        assertValid(kt);
        JsonNode ktSpec = Json.MAPPER.valueToTree(kt.getAdditionalProperties().get("spec"));
        assertThat(ktSpec.path("topicName").asText()).isEqualTo("Clicks_v1");
        assertThat(ktSpec.path("partitions").asInt()).isEqualTo(6);
        assertThat(kt.getMetadata().getName()).matches("[a-z0-9]([-a-z0-9.]*[a-z0-9])?");
        client.genericKubernetesResources(TOPIC)
                .inNamespace(NAMESPACE)
                .withName(kt.getMetadata().getName())
                .edit(g -> {
                    g.setAdditionalProperty(
                            "status",
                            Map.of(
                                    "conditions",
                                    List.of(Map.of("type", "Ready", "status", "True")),
                                    "topicName",
                                    "Clicks_v1",
                                    "observedGeneration",
                                    Optional.ofNullable(g.getMetadata().getGeneration())
                                                    .orElse(0L)
                                            + 1));
                    return g;
                });
        assertThat(awaitEvent(topic, RequestState.READY, false).resource().cluster())
                .isEqualTo(name);

        // a change: more brokers and a config, applied to the resources; READY once the operator has caught up
        InstanceSpec changed = ready.instance()
                .apply(new io.kafkaconcierge.contracts.InstanceChange(
                        4, Map.of("log.retention.hours", "24"), null, null));
        RequestCommand update = new RequestCommand(
                UUID.randomUUID().toString(),
                Operation.UPDATE,
                changed.ref(),
                null,
                null,
                null,
                "0".repeat(64),
                Instant.now(),
                changed,
                new io.kafkaconcierge.contracts.InstanceChange(4, Map.of("log.retention.hours", "24"), null, null));
        kafka.send(ConciergeTopics.REQUESTS, update.resource().key(), new String(Json.write(update)), Map.of());
        awaitEvent(update, RequestState.UPDATING, false);
        await().atMost(WAIT).untilAsserted(() -> {
            JsonNode pool = Json.MAPPER.valueToTree(
                    get(POOL, name + "-broker").getAdditionalProperties().get("spec"));
            assertThat(pool.path("replicas").asInt()).isEqualTo(4);
            JsonNode config = Json.MAPPER
                    .valueToTree(get(KAFKA, name).getAdditionalProperties().get("spec"))
                    .path("kafka")
                    .path("config");
            assertThat(config.path("log.retention.hours").asText()).isEqualTo("24");
        });
        assertValid(get(KAFKA, name));
        assertValid(get(POOL, name + "-broker"));
        operatorSays(name, "Ready", "True", null, null, true);
        assertThat(awaitEvent(update, RequestState.READY, false)
                        .instanceStatus()
                        .readyBrokers())
                .isEqualTo(4);

        // the operator loses the cluster, then gets it back: DEGRADED, then READY again (and nothing before)
        // (health changes belong to the instance's latest request, here the update)
        assertThat(events(create)).noneMatch(e -> e.sequence() != null && e.state() != RequestState.PROVISIONING);
        assertThat(events(update)).noneMatch(e -> e.sequence() != null);
        operatorSays(name, "NotReady", "True", "ZooKeeperlessBrokerDown", "broker 1 is not running", true);
        assertThat(awaitEvent(update, RequestState.DEGRADED, true)
                        .instanceStatus()
                        .conditions()
                        .get(0)
                        .reason())
                .isEqualTo("ZooKeeperlessBrokerDown");
        operatorSays(name, "Ready", "True", null, null, true);
        awaitEvent(update, RequestState.READY, true);

        // delete: the resources go, and only then DELETED
        RequestCommand delete = send(Operation.DELETE, changed);
        awaitEvent(delete, RequestState.DELETED, false);
        await().atMost(WAIT).untilAsserted(() -> {
            assertThat(get(KAFKA, name)).isNull();
            assertThat(get(POOL, name + "-broker")).isNull();
            assertThat(get(POOL, name + "-controller")).isNull();
        });
        assertThat(events(delete))
                .extracting(StatusEvent::state)
                .containsExactly(RequestState.ACCEPTED, RequestState.DELETING, RequestState.DELETED);
    }

    @Test
    void shouldFailWithTheOperatorsReasonWhenItRefusesTheKafkaAndLeaveNothingBehind() {
        String name = "broken-" + UUID.randomUUID().toString().substring(0, 6);
        RequestCommand create = send(Operation.CREATE, spec(name, 1, new Storage("ephemeral", null)));
        await().atMost(WAIT).until(() -> get(KAFKA, name) != null);
        assertValid(get(POOL, name + "-dual"));
        operatorSays(
                name,
                "NotReady",
                "True",
                "InvalidResourceException",
                "Kafka version 4.1.1 is not supported. Supported versions are: 4.2.0, 4.3.1.",
                false);
        StatusEvent failed = awaitEvent(create, RequestState.FAILED, false);
        assertThat(failed.reason()).isEqualTo(FailureReason.INVALID_SPEC);
        assertThat(failed.message()).contains("InvalidResourceException").contains("4.1.1 is not supported");
        assertThat(failed.instanceStatus().conditions())
                .anySatisfy(c -> assertThat(c.type()).isEqualTo("NotReady"));
        await().atMost(WAIT).untilAsserted(() -> {
            assertThat(get(KAFKA, name)).isNull();
            assertThat(get(POOL, name + "-dual")).isNull();
        });
    }

    private RequestCommand sendUser(Operation op, io.kafkaconcierge.contracts.UserSpec user, String password) {
        String sealed = password == null
                ? null
                : new io.kafkaconcierge.contracts.secrets.SecretBox(Optional.of(KEY), "test").seal(password);
        RequestCommand c = RequestCommand.user(
                UUID.randomUUID().toString(), op, user, sealed, null, "0".repeat(64), Instant.now());
        kafka.send(ConciergeTopics.REQUESTS, c.resource().key(), new String(Json.write(c)), Map.of());
        return c;
    }

    /** Plays the user operator: the KafkaUser's Ready condition. */
    private void userOperatorSays(String user, String status, String reason, String message) {
        client.genericKubernetesResources(USER)
                .inNamespace(NAMESPACE)
                .withName(user)
                .edit(g -> {
                    Map<String, Object> condition = new java.util.LinkedHashMap<>(
                            Map.of("type", "Ready", "status", status, "lastTransitionTime", "2026-11-25T00:00:00Z"));
                    if (reason != null) {
                        condition.put("reason", reason);
                        condition.put("message", message);
                    }
                    g.setAdditionalProperty(
                            "status",
                            Map.of(
                                    "conditions",
                                    List.of(condition),
                                    "username",
                                    user,
                                    "secret",
                                    user,
                                    "observedGeneration",
                                    Optional.ofNullable(g.getMetadata().getGeneration())
                                                    .orElse(0L)
                                            + 1));
                    return g;
                });
    }

    @Test
    void shouldMakeAUserAValidKafkaUserWithItsPasswordInASecretAndBeReadyOnlyWhenTheUserOperatorSaysReady() {
        String instance = "users-" + UUID.randomUUID().toString().substring(0, 6);
        RequestCommand create = send(Operation.CREATE, spec(instance, 1, new Storage("ephemeral", null)));
        await().atMost(WAIT).until(() -> get(KAFKA, instance) != null);
        assertThat(Json.MAPPER
                        .valueToTree(
                                get(KAFKA, instance).getAdditionalProperties().get("spec"))
                        .path("entityOperator")
                        .has("userOperator"))
                .as("the Kafka runs the user operator")
                .isTrue();
        operatorSays(instance, "Ready", "True", null, null, true);
        awaitEvent(create, RequestState.READY, false);

        String name = "data-platform-" + UUID.randomUUID().toString().substring(0, 6);
        var user = new io.kafkaconcierge.contracts.UserSpec(
                instance,
                name,
                "data-platform",
                List.of(
                        new io.kafkaconcierge.contracts.UserSpec.Grant(
                                "clicks",
                                null,
                                List.of(io.kafkaconcierge.contracts.UserSpec.Access.PRODUCE),
                                null,
                                null,
                                "data-platform-tx",
                                io.kafkaconcierge.contracts.UserSpec.PatternType.PREFIXED,
                                true),
                        new io.kafkaconcierge.contracts.UserSpec.Grant(
                                "data-platform.",
                                io.kafkaconcierge.contracts.UserSpec.PatternType.PREFIXED,
                                List.of(
                                        io.kafkaconcierge.contracts.UserSpec.Access.CONSUME,
                                        io.kafkaconcierge.contracts.UserSpec.Access.DESCRIBE),
                                "data-platform-billing",
                                null,
                                null,
                                null,
                                null)),
                new io.kafkaconcierge.contracts.UserSpec.Quotas(1048576L, 2097152L, 25.0),
                null);
        String password = "first-" + UUID.randomUUID();
        RequestCommand add = sendUser(Operation.CREATE, user, password);
        await().atMost(WAIT).until(() -> get(USER, name) != null);
        GenericKubernetesResource ku = get(USER, name);
        assertValid(ku);
        assertThat(ku.getMetadata().getLabels()).containsEntry("strimzi.io/cluster", instance);
        assertThat(ku.getMetadata().getAnnotations().get("kafka-concierge.io/request"))
                .as("no sealed password in " + "the annotation")
                .doesNotContain("aesgcm:");
        JsonNode spec = Json.MAPPER.valueToTree(ku.getAdditionalProperties().get("spec"));
        assertThat(spec.path("authentication").path("type").asText()).isEqualTo("scram-sha-512");
        JsonNode ref =
                spec.path("authentication").path("password").path("valueFrom").path("secretKeyRef");
        assertThat(spec.path("authorization").path("type").asText()).isEqualTo("simple");
        assertThat(spec.path("quotas").path("producerByteRate").asInt()).isEqualTo(1048576);
        assertThat(spec.path("quotas").path("requestPercentage").asInt()).isEqualTo(25);
        List<String> rules = new ArrayList<>();
        spec.path("authorization")
                .path("acls")
                .forEach(r -> rules.add(r.path("resource").path("type").asText() + ":"
                        + r.path("resource").path("name").asText("") + ":"
                        + r.path("resource").path("patternType").asText("literal") + ":" + r.path("operations")));
        assertThat(rules)
                .containsExactlyInAnyOrder(
                        "topic:clicks:literal:[\"Write\",\"Describe\"]",
                        "transactionalId:data-platform-tx:prefix:[\"Write\",\"Describe\"]",
                        "cluster::literal:[\"IdempotentWrite\"]",
                        "topic:data-platform.:prefix:[\"Read\",\"Describe\",\"DescribeConfigs\"]",
                        "group:data-platform-billing:literal:[\"Read\"]");
        var secret = client.secrets()
                .inNamespace(NAMESPACE)
                .withName(ref.path("name").asText())
                .get();
        assertThat(secret).as("the Secret the KafkaUser names").isNotNull();
        assertThat(ref.path("name").asText()).isNotEqualTo(name);
        String stored =
                secret.getData() != null && secret.getData().get(ref.path("key").asText()) != null
                        ? new String(java.util.Base64.getDecoder()
                                .decode(secret.getData().get(ref.path("key").asText())))
                        : secret.getStringData().get(ref.path("key").asText());
        assertThat(stored).isEqualTo(password);
        awaitEvent(add, RequestState.PROVISIONING, false);
        assertThat(events(add)).noneMatch(e -> e.state() == RequestState.READY);

        userOperatorSays(name, "True", null, null);
        awaitEvent(add, RequestState.READY, false);

        // a rotation: the Secret gets the new password; the user operator's Ready again makes it READY
        String second = "second-" + UUID.randomUUID();
        RequestCommand rotate = sendUser(Operation.UPDATE, user, second);
        await().atMost(WAIT).untilAsserted(() -> {
            var s2 = client.secrets()
                    .inNamespace(NAMESPACE)
                    .withName(ref.path("name").asText())
                    .get();
            String now = s2.getData() != null && s2.getData().get("password") != null
                    ? new String(
                            java.util.Base64.getDecoder().decode(s2.getData().get("password")))
                    : s2.getStringData().get("password");
            assertThat(now).isEqualTo(second);
        });
        userOperatorSays(name, "True", null, null);
        awaitEvent(rotate, RequestState.READY, false);

        // a refusal of the user operator fails the request with its reason
        RequestCommand refused = sendUser(
                Operation.UPDATE,
                new io.kafkaconcierge.contracts.UserSpec(instance, name, "data-platform", List.of(), null, null),
                null);
        await().atMost(WAIT)
                .until(() -> Json.MAPPER
                        .valueToTree(get(USER, name).getAdditionalProperties().get("spec"))
                        .path("authorization")
                        .path("acls")
                        .isEmpty());
        userOperatorSays(name, "False", "InvalidResourceException", "ACLs cannot be applied");
        assertThat(awaitEvent(refused, RequestState.FAILED, false).message()).contains("InvalidResourceException");

        // delete: the KafkaUser and the Secret go, and only then DELETED
        RequestCommand delete = sendUser(Operation.DELETE, user, null);
        awaitEvent(delete, RequestState.DELETED, false);
        await().atMost(WAIT).untilAsserted(() -> {
            assertThat(get(USER, name)).isNull();
            assertThat(client.secrets()
                            .inNamespace(NAMESPACE)
                            .withName(ref.path("name").asText())
                            .get())
                    .isNull();
        });
    }
}
