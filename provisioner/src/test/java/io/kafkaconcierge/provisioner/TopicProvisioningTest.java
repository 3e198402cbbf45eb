package io.kafkaconcierge.provisioner;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.kafkaconcierge.contracts.CloudEvents;
import io.kafkaconcierge.contracts.ClusterInfo;
import io.kafkaconcierge.contracts.ConciergeTopics;
import io.kafkaconcierge.contracts.FailureReason;
import io.kafkaconcierge.contracts.Json;
import io.kafkaconcierge.contracts.Operation;
import io.kafkaconcierge.contracts.RequestCommand;
import io.kafkaconcierge.contracts.RequestState;
import io.kafkaconcierge.contracts.StatusEvent;
import io.kafkaconcierge.contracts.TopicChange;
import io.kafkaconcierge.contracts.TopicSpec;
import io.kafkaconcierge.testing.EmbeddedKafka;
import io.kafkaconcierge.testing.KafkaTestClient;
import io.kafkaconcierge.testing.KafkaTestResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.config.ConfigResource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

@QuarkusTest
@QuarkusTestResource(KafkaTestResource.class)
class TopicProvisioningTest {

    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final Admin ADMIN = EmbeddedKafka.shared().admin();
    private final KafkaTestClient kafka =
            new KafkaTestClient(EmbeddedKafka.shared().bootstrapServers());

    @AfterAll
    static void closeAdmin() {
        ADMIN.close();
    }

    private static TopicSpec spec(String name, int partitions, Map<String, String> config) {
        return new TopicSpec("local", name, partitions, (short) 1, config, "payments", null);
    }

    private static String unique(String prefix) {
        return prefix + "." + UUID.randomUUID().toString().substring(0, 8);
    }

    private RequestCommand send(Operation op, TopicSpec spec, TopicChange change) {
        RequestCommand c = new RequestCommand(
                UUID.randomUUID().toString(), op, spec.ref(), spec, change, null, "0".repeat(64), Instant.now());
        send(c);
        return c;
    }

    private void send(RequestCommand c) {
        kafka.send(ConciergeTopics.REQUESTS, c.resource().key(), new String(Json.write(c)), Map.of());
    }

    private List<ConsumerRecord<String, String>> events(RequestCommand c) {
        return kafka.records(ConciergeTopics.EVENTS, c.resource().key()).stream()
                .filter(r -> KafkaTestClient.header(r, CloudEvents.H_ID).startsWith(c.requestId() + "."))
                .toList();
    }

    private StatusEvent awaitOutcome(RequestCommand c) {
        List<StatusEvent> outcome = new ArrayList<>();
        await().atMost(WAIT).untilAsserted(() -> {
            outcome.clear();
            events(c).stream()
                    .map(r -> Json.read(r.value().getBytes(), StatusEvent.class))
                    .filter(e -> e.state() != null && e.state().terminal())
                    .forEach(outcome::add);
            assertThat(outcome).isNotEmpty();
        });
        return outcome.get(0);
    }

    @Test
    void shouldCreateTheTopicWithTheAskedSpecAndEmitCloudEventsInOrder() throws Exception {
        String name = unique("orders");
        RequestCommand c = send(
                Operation.CREATE, spec(name, 3, Map.of("retention.ms", "3600000", "cleanup.policy", "compact")), null);

        assertThat(awaitOutcome(c).state()).isEqualTo(RequestState.READY);
        TopicDescription d =
                ADMIN.describeTopics(List.of(name)).allTopicNames().get().get(name);
        assertThat(d.partitions()).hasSize(3);
        Config config = ADMIN.describeConfigs(List.of(new ConfigResource(ConfigResource.Type.TOPIC, name)))
                .all()
                .get()
                .values()
                .iterator()
                .next();
        assertThat(config.get("retention.ms").value()).isEqualTo("3600000");
        assertThat(config.get("cleanup.policy").value()).isEqualTo("compact");

        List<ConsumerRecord<String, String>> events = events(c);
        assertThat(events)
                .extracting(r -> KafkaTestClient.header(r, CloudEvents.H_TYPE))
                .containsExactly(
                        "io.kafkaconcierge.topic.accepted",
                        "io.kafkaconcierge.topic.provisioning",
                        "io.kafkaconcierge.topic.ready");
        ConsumerRecord<String, String> ready = events.get(2);
        assertThat(ready.key()).isEqualTo("local/" + name);
        assertThat(KafkaTestClient.header(ready, CloudEvents.H_SPECVERSION)).isEqualTo("1.0");
        assertThat(KafkaTestClient.header(ready, CloudEvents.H_ID)).isEqualTo(c.requestId() + ".ready");
        assertThat(KafkaTestClient.header(ready, CloudEvents.H_SOURCE)).isEqualTo("/kafka-concierge/provisioner");
        assertThat(KafkaTestClient.header(ready, CloudEvents.H_TIME)).isNotBlank();
        assertThat(KafkaTestClient.header(ready, CloudEvents.H_CONTENT_TYPE)).startsWith("application/json");
    }

    @Test
    void shouldAnnounceReadyOnlyWhenAFreshClientSeesALeaderForEveryPartition() throws Exception {
        String name = unique("usable");
        RequestCommand c = send(Operation.CREATE, spec(name, 12, Map.of()), null);

        assertThat(awaitOutcome(c).state()).isEqualTo(RequestState.READY);
        // no waiting from here on: READY means usable now, by any new client
        try (Admin fresh = EmbeddedKafka.shared().admin()) {
            TopicDescription d =
                    fresh.describeTopics(List.of(name)).allTopicNames().get().get(name);
            assertThat(d.partitions())
                    .hasSize(12)
                    .allSatisfy(p -> assertThat(p.leader()).isNotNull().matches(l -> !l.isEmpty()));
        }
        Properties props = new Properties();
        props.put("bootstrap.servers", EmbeddedKafka.shared().bootstrapServers());
        try (var consumer = new org.apache.kafka.clients.consumer.KafkaConsumer<String, String>(
                props,
                new org.apache.kafka.common.serialization.StringDeserializer(),
                new org.apache.kafka.common.serialization.StringDeserializer())) {
            assertThat(consumer.partitionsFor(name, Duration.ofSeconds(5)))
                    .hasSize(12)
                    .allSatisfy(p -> assertThat(p.leader()).isNotNull().matches(l -> !l.isEmpty()));
        }
    }

    @Test
    void shouldChangeConfigsAndRaisePartitionsOfAnExistingTopic() throws Exception {
        String name = unique("grow");
        TopicSpec created = spec(name, 2, Map.of("retention.ms", "3600000", "max.message.bytes", "2000000"));
        assertThat(awaitOutcome(send(Operation.CREATE, created, null)).state()).isEqualTo(RequestState.READY);

        HashMap<String, String> changes = new HashMap<>();
        changes.put("retention.ms", "7200000");
        changes.put("max.message.bytes", null);
        TopicChange change = new TopicChange(5, changes, null);
        RequestCommand update = send(Operation.UPDATE, created.apply(change), change);

        assertThat(awaitOutcome(update).state()).isEqualTo(RequestState.READY);
        assertThat(ADMIN.describeTopics(List.of(name))
                        .allTopicNames()
                        .get()
                        .get(name)
                        .partitions())
                .hasSize(5);
        Config config = ADMIN.describeConfigs(List.of(new ConfigResource(ConfigResource.Type.TOPIC, name)))
                .all()
                .get()
                .values()
                .iterator()
                .next();
        assertThat(config.get("retention.ms").value()).isEqualTo("7200000");
        assertThat(config.get("max.message.bytes").source())
                .as(config.get("max.message.bytes").toString())
                .isNotEqualTo(ConfigEntry.ConfigSource.DYNAMIC_TOPIC_CONFIG);
    }

    @Test
    void shouldDeleteTheTopicAndTreatAnAlreadyMissingTopicAsDeleted() throws Exception {
        String name = unique("gone");
        assertThat(awaitOutcome(send(Operation.CREATE, spec(name, 1, Map.of()), null))
                        .state())
                .isEqualTo(RequestState.READY);
        assertThat(awaitOutcome(send(Operation.DELETE, spec(name, 1, Map.of()), null))
                        .state())
                .isEqualTo(RequestState.DELETED);
        // DELETED means gone from the metadata already, with no waiting here
        assertThat(ADMIN.listTopics().names().get()).doesNotContain(name);
        assertThat(awaitOutcome(send(Operation.DELETE, spec(name, 1, Map.of()), null))
                        .state())
                .isEqualTo(RequestState.DELETED);
    }

    @Test
    void shouldBeReadyWhenTheTopicExistsWithTheSameSpecAndConflictWhenItDiffers() throws Exception {
        String same = unique("same");
        String other = unique("other");
        ADMIN.createTopics(List.of(
                        new NewTopic(same, 2, (short) 1).configs(Map.of("retention.ms", "600000")),
                        new NewTopic(other, 1, (short) 1)))
                .all()
                .get();

        assertThat(awaitOutcome(send(Operation.CREATE, spec(same, 2, Map.of("retention.ms", "600000")), null))
                        .state())
                .isEqualTo(RequestState.READY);
        StatusEvent conflict = awaitOutcome(send(Operation.CREATE, spec(other, 4, Map.of()), null));
        assertThat(conflict.state()).isEqualTo(RequestState.FAILED);
        assertThat(conflict.reason()).isEqualTo(FailureReason.CONFLICT);
        assertThat(conflict.message()).contains("partitions 1 (asked 4)");
        assertThat(ADMIN.describeTopics(List.of(other))
                        .allTopicNames()
                        .get()
                        .get(other)
                        .partitions())
                .hasSize(1);
    }

    @Test
    void shouldFailWithAReasonWhenTheClusterRefusesTheSpec() {
        TopicSpec tooManyReplicas = new TopicSpec("local", unique("rf"), 1, (short) 3, Map.of(), "payments", null);
        StatusEvent failed = awaitOutcome(send(Operation.CREATE, tooManyReplicas, null));
        assertThat(failed.reason()).isEqualTo(FailureReason.INVALID_SPEC);
        assertThat(failed.message()).containsIgnoringCase("replication factor");
    }

    @Test
    void shouldFailARequestForAnUnregisteredCluster() {
        TopicSpec elsewhere = new TopicSpec("elsewhere", unique("x"), 1, (short) 1, Map.of(), "payments", null);
        StatusEvent failed = awaitOutcome(send(Operation.CREATE, elsewhere, null));
        assertThat(failed.reason()).isEqualTo(FailureReason.UNKNOWN_CLUSTER);
        assertThat(failed.message()).contains("local");
    }

    @Test
    void shouldRetryAnUnreachableClusterAndThenFailWithAReason() {
        TopicSpec spec = new TopicSpec("unreachable", unique("later"), 1, (short) 1, Map.of(), "payments", null);
        StatusEvent failed = awaitOutcome(send(Operation.CREATE, spec, null));
        assertThat(failed.reason()).isEqualTo(FailureReason.CLUSTER_UNAVAILABLE);
        assertThat(failed.message()).contains("after 2 attempts");
    }

    @Test
    void shouldNotApplyARedeliveredCommandWhoseOutcomeIsOut() {
        String name = unique("once");
        RequestCommand create = send(Operation.CREATE, spec(name, 1, Map.of()), null);
        assertThat(awaitOutcome(create).state()).isEqualTo(RequestState.READY);
        RequestCommand grow = send(Operation.UPDATE, spec(name, 3, Map.of()), new TopicChange(3, null, null));
        assertThat(awaitOutcome(grow).state()).isEqualTo(RequestState.READY);

        // the create again, as after a crash before its offset was committed: the topic now has 3 partitions,
        // so applying it again would report a CONFLICT that contradicts its READY
        send(create);
        RequestCommand marker = send(Operation.CREATE, spec(unique("marker"), 1, Map.of()), null);
        awaitOutcome(marker);
        assertThat(events(create))
                .extracting(r -> KafkaTestClient.header(r, CloudEvents.H_TYPE))
                .containsExactly(
                        "io.kafkaconcierge.topic.accepted",
                        "io.kafkaconcierge.topic.provisioning",
                        "io.kafkaconcierge.topic.ready");
    }

    @Test
    void shouldCreateManyTopicsInBatches() throws Exception {
        List<RequestCommand> commands = new ArrayList<>();
        String prefix = unique("many");
        for (int i = 0; i < 60; i++) {
            commands.add(new RequestCommand(
                    UUID.randomUUID().toString(),
                    Operation.CREATE,
                    spec(prefix + "." + i, 1, Map.of()).ref(),
                    spec(prefix + "." + i, 1, Map.of()),
                    null,
                    null,
                    "0".repeat(64),
                    Instant.now()));
        }
        Properties props = new Properties();
        props.put("bootstrap.servers", EmbeddedKafka.shared().bootstrapServers());
        try (var producer = new org.apache.kafka.clients.producer.KafkaProducer<String, String>(
                props,
                new org.apache.kafka.common.serialization.StringSerializer(),
                new org.apache.kafka.common.serialization.StringSerializer())) {
            for (RequestCommand c : commands) {
                producer.send(new org.apache.kafka.clients.producer.ProducerRecord<>(
                        ConciergeTopics.REQUESTS, c.resource().key(), new String(Json.write(c))));
            }
        }
        await().atMost(WAIT).untilAsserted(() -> {
            Collection<String> names = ADMIN.listTopics().names().get();
            assertThat(names.stream().filter(n -> n.startsWith(prefix + "."))).hasSize(60);
        });
        String metrics = given().get("/q/metrics").asString();
        double largestBatch = metrics.lines()
                .filter(l -> l.startsWith("concierge_provisioner_batch_size_max"))
                .mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1)))
                .max()
                .orElse(0);
        assertThat(largestBatch).as("commands in the largest batch").isGreaterThan(1);
    }

    @Test
    void shouldSendAnUnreadableCommandToTheDeadLetterTopicAndCarryOn() {
        String key = "local/" + unique("poison");
        kafka.send(ConciergeTopics.REQUESTS, key, "{this is not a command", Map.of());
        await().atMost(WAIT)
                .untilAsserted(() -> assertThat(kafka.records(ConciergeTopics.REQUESTS_DLQ, key))
                        .singleElement()
                        .satisfies(r -> {
                            assertThat(r.value()).isEqualTo("{this is not a command");
                            assertThat(KafkaTestClient.header(r, "dlq-reason")).isNotBlank();
                        }));
        RequestCommand after = send(Operation.CREATE, spec(unique("after.poison"), 1, Map.of()), null);
        assertThat(awaitOutcome(after).state()).isEqualTo(RequestState.READY);
    }

    @Test
    void shouldApplyACommandWithFieldsItDoesNotKnowAndPassByEventTypesItDoesNotKnow() {
        String name = unique("newer");
        RequestCommand c = new RequestCommand(
                UUID.randomUUID().toString(),
                Operation.CREATE,
                spec(name, 1, Map.of()).ref(),
                spec(name, 1, Map.of()),
                null,
                null,
                "0".repeat(64),
                Instant.now());
        // a newer API's event types on concierge.events, which the outcome log reads
        kafka.send(
                ConciergeTopics.EVENTS,
                c.resource().key(),
                "{\"requestId\": \"" + c.requestId() + "\"}",
                Map.of(
                        CloudEvents.H_ID,
                        c.requestId() + ".archived",
                        CloudEvents.H_TYPE,
                        "io.kafkaconcierge.topic.archived",
                        CloudEvents.H_SPECVERSION,
                        "1.0"));
        com.fasterxml.jackson.databind.node.ObjectNode json = Json.MAPPER.valueToTree(c);
        json.put("priority", "high");
        json.putObject("placement").put("rack", "b");
        kafka.send(ConciergeTopics.REQUESTS, c.resource().key(), json.toString(), Map.of());

        assertThat(awaitOutcome(c).state()).isEqualTo(RequestState.READY);
        assertThat(kafka.records(ConciergeTopics.REQUESTS_DLQ, c.resource().key()))
                .isEmpty();
    }

    @Test
    void shouldPublishWhatItKnowsOfEachRegisteredCluster() {
        await().atMost(WAIT)
                .untilAsserted(() -> assertThat(kafka.records(ConciergeTopics.CLUSTERS, "local"))
                        .last()
                        .satisfies(r -> {
                            ClusterInfo info = Json.read(r.value().getBytes(), ClusterInfo.class);
                            assertThat(info.reachable()).isTrue();
                            assertThat(info.brokers()).isEqualTo(1);
                        }));
    }
}
