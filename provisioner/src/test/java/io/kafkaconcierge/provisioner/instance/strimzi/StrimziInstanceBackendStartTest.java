package io.kafkaconcierge.provisioner.instance.strimzi;

import static io.kafkaconcierge.provisioner.instance.strimzi.StrimziResources.DONE_ANNOTATION;
import static io.kafkaconcierge.provisioner.instance.strimzi.StrimziResources.FINALIZER;
import static io.kafkaconcierge.provisioner.instance.strimzi.StrimziResources.KAFKA;
import static io.kafkaconcierge.provisioner.instance.strimzi.StrimziResources.MANAGED_BY;
import static io.kafkaconcierge.provisioner.instance.strimzi.StrimziResources.MANAGER;
import static io.kafkaconcierge.provisioner.instance.strimzi.StrimziResources.REQUEST_ANNOTATION;
import static io.kafkaconcierge.provisioner.instance.strimzi.StrimziResources.REQUEST_LABEL;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.GenericKubernetesResourceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.kafkaconcierge.contracts.InstanceSpec;
import io.kafkaconcierge.contracts.InstanceStatus;
import io.kafkaconcierge.contracts.Json;
import io.kafkaconcierge.contracts.Operation;
import io.kafkaconcierge.contracts.RequestCommand;
import io.kafkaconcierge.contracts.RequestState;
import io.kafkaconcierge.contracts.secrets.SecretBox;
import io.kafkaconcierge.provisioner.config.ProvisionerConfig;
import io.kafkaconcierge.provisioner.instance.InstanceBackend;
import io.kafkaconcierge.provisioner.service.Outcome;
import jakarta.enterprise.inject.Instance;
import java.lang.reflect.Proxy;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The Strimzi backend alone (no Quarkus) on the fabric8 mock API server: what it does with the resources it finds at
 * start, and that a status change is acted on from the watch, with a resync far out of the test's reach; and that a
 * {@code begin} does not wait while the listener waits for Kafka to ack an event of another instance.
 */
@EnableKubernetesMockClient(crud = true)
class StrimziInstanceBackendStartTest {

    static KubernetesClient client;

    private final String namespace = "start-" + UUID.randomUUID().toString().substring(0, 8);
    private final Recorder recorder = new Recorder();
    private final StrimziInstanceBackend backend = new StrimziInstanceBackend(
            instance(client),
            config(namespace),
            new SecretBox(Optional.of(java.util.Base64.getEncoder().encodeToString(new byte[32])), "test"));

    @AfterEach
    void stop() {
        backend.stop();
    }

    @Test
    void shouldResumeUnfinishedRequestsAndFindRunningInstancesBeforeStartReturns() {
        RequestCommand resumed = create("resumed");
        RequestCommand running = create("running");
        RequestCommand pending = create("pending");
        write(resumed, false, ready("resumed", 1));
        write(running, true, ready("running", 1));
        write(pending, false, null);

        backend.start(recorder);

        // no waiting: start examined what it found before it returned
        assertThat(recorder.finished).containsExactly(resumed.requestId() + " READY");
        assertThat(recorder.adopted).containsExactly("running");
        assertThat(backend.managesTopicsOf("resumed")).isTrue();
        assertThat(backend.managesTopicsOf("running")).isTrue();
        assertThat(backend.managesTopicsOf("pending")).isTrue();
        assertThat(kafka("resumed").getMetadata().getAnnotations()).containsEntry(DONE_ANNOTATION, "true");
        assertThat(kafka("pending").getMetadata().getAnnotations()).containsEntry(DONE_ANNOTATION, "false");
    }

    @Test
    void shouldNotCarryOutAgainARequestWhoseOutcomeIsAlreadyOut() {
        RequestCommand answered = create("answered");
        write(answered, false, ready("answered", 1));
        recorder.terminal.add(answered.requestId());

        backend.start(recorder);

        assertThat(recorder.finished).isEmpty();
        assertThat(kafka("answered").getMetadata().getAnnotations()).containsEntry(DONE_ANNOTATION, "true");
    }

    @Test
    void shouldTakeNoStatusForTheOutcomeOfADeleteBeforeTheDeletionShows() {
        // begin() writes the delete request on the Kafka, then deletes it: this is the state between the two
        RequestCommand created = create("leaving");
        RequestCommand delete = new RequestCommand(
                UUID.randomUUID().toString(),
                Operation.DELETE,
                created.resource(),
                null,
                null,
                null,
                "0".repeat(64),
                Instant.now(),
                created.instance(),
                null);
        write(delete, false, ready("leaving", 1));

        backend.start(recorder);

        assertThat(recorder.finished).isEmpty();
        assertThat(recorder.adopted).isEmpty();
        assertThat(backend.managesTopicsOf("leaving")).isFalse();
        assertThat(kafka("leaving").getMetadata().getAnnotations()).containsEntry(DONE_ANNOTATION, "false");
    }

    @Test
    void shouldActOnAStatusChangeAsTheWatchReportsIt() {
        backend.start(recorder);
        RequestCommand created = create("watched");
        write(created, false, null);

        client.genericKubernetesResources(KAFKA)
                .inNamespace(namespace)
                .withName("watched")
                .edit(g -> {
                    // the mock server counts this edit as a new generation (a real one only spec changes)
                    g.setAdditionalProperty(
                            "status", ready("watched", g.getMetadata().getGeneration() + 1));
                    return g;
                });

        await().atMost(Duration.ofSeconds(30))
                .untilAsserted(() -> assertThat(recorder.finished).containsExactly(created.requestId() + " READY"));
        assertThat(recorder.statuses.get(created.requestId()).bootstrapServers())
                .isEqualTo("watched-kafka-bootstrap:9092");
    }

    @Test
    void shouldBeginAnotherInstanceWhileAnOutcomeWaitsForKafka() throws InterruptedException {
        recorder.holdEventsOf = "slow";
        backend.start(recorder);
        RequestCommand slow = create("slow");
        write(slow, false, ready("slow", 1));
        assertThat(recorder.held.await(30, TimeUnit.SECONDS)).isTrue();

        try {
            // the READY event of "slow" is being written and Kafka has not acked it yet
            RequestCommand other = create("other");
            CompletableFuture<InstanceStatus> begun = CompletableFuture.supplyAsync(() -> backend.begin(other));
            assertThat(begun).succeedsWithin(Duration.ofSeconds(10));
            assertThat(kafka("other")).isNotNull();
        } finally {
            recorder.release.countDown();
        }
        await().atMost(Duration.ofSeconds(30))
                .untilAsserted(() -> assertThat(kafka("slow").getMetadata().getAnnotations())
                        .containsEntry(DONE_ANNOTATION, "true"));
        assertThat(recorder.finished).containsExactly(slow.requestId() + " READY");
    }

    @Test
    void shouldBeginAnotherInstanceWhileAProgressEventWaitsForKafka() throws InterruptedException {
        recorder.holdEventsOf = "slow";
        backend.start(recorder);
        RequestCommand slow = create("slow");
        write(
                slow,
                false,
                Map.of(
                        "observedGeneration",
                        1,
                        "conditions",
                        List.of(Map.of(
                                "type",
                                "NotReady",
                                "status",
                                "True",
                                "reason",
                                "TimeoutException",
                                "message",
                                "slow"))));
        assertThat(recorder.held.await(30, TimeUnit.SECONDS)).isTrue();

        try {
            // the NotReady reason of "slow" is being reported and Kafka has not acked the event yet
            RequestCommand other = create("other");
            CompletableFuture<InstanceStatus> begun = CompletableFuture.supplyAsync(() -> backend.begin(other));
            assertThat(begun).succeedsWithin(Duration.ofSeconds(10));
        } finally {
            recorder.release.countDown();
        }
        await().atMost(Duration.ofSeconds(30))
                .untilAsserted(() -> assertThat(recorder.progress).containsExactly(slow.requestId()));
        assertThat(recorder.finished).isEmpty();
    }

    /** Ready, as the operator writes it for the Kafka {@code name} at {@code generation}. */
    private static Map<String, Object> ready(String name, long generation) {
        return Map.of(
                "observedGeneration",
                generation,
                "conditions",
                List.of(Map.of("type", "Ready", "status", "True")),
                "listeners",
                List.of(Map.of("name", "plain", "bootstrapServers", name + "-kafka-bootstrap:9092")));
    }

    private static RequestCommand create(String name) {
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
                null);
        return new RequestCommand(
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
    }

    /** A Kafka as the backend writes it for {@code command}, with a status as the operator writes it, if any. */
    private void write(RequestCommand command, boolean done, Map<String, Object> status) {
        String name = command.resource().name();
        GenericKubernetesResource g = new GenericKubernetesResourceBuilder()
                .withApiVersion(StrimziResources.API_VERSION)
                .withKind("Kafka")
                .withNewMetadata()
                .withName(name)
                .withNamespace(namespace)
                .addToLabels(MANAGED_BY, MANAGER)
                .addToLabels(REQUEST_LABEL, command.requestId())
                .addToAnnotations(REQUEST_ANNOTATION, new String(Json.write(command), StandardCharsets.UTF_8))
                .addToAnnotations(DONE_ANNOTATION, String.valueOf(done))
                .addToFinalizers(FINALIZER)
                .endMetadata()
                .build();
        g.setAdditionalProperty("spec", Map.of("kafka", Map.of("version", "4.1.1")));
        if (status != null) {
            g.setAdditionalProperty("status", status);
        }
        client.genericKubernetesResources(KAFKA)
                .inNamespace(namespace)
                .resource(g)
                .create();
    }

    private GenericKubernetesResource kafka(String name) {
        return client.genericKubernetesResources(KAFKA)
                .inNamespace(namespace)
                .withName(name)
                .get();
    }

    /** What the backend told the provisioner. */
    static final class Recorder implements InstanceBackend.Listener {
        final Set<String> terminal = ConcurrentHashMap.newKeySet();
        final List<String> finished = new CopyOnWriteArrayList<>();
        final List<String> adopted = new CopyOnWriteArrayList<>();
        final Map<String, InstanceStatus> statuses = new ConcurrentHashMap<>();
        final List<String> progress = new CopyOnWriteArrayList<>();
        /** The instance whose events (finished, progress) wait for {@link #release}, as if Kafka were slow to ack. */
        volatile String holdEventsOf;
        /** Counted down when an event of {@link #holdEventsOf} waits. */
        final CountDownLatch held = new CountDownLatch(1);

        final CountDownLatch release = new CountDownLatch(1);

        @Override
        public boolean finishedBefore(String requestId) {
            return terminal.contains(requestId);
        }

        @Override
        public void finished(RequestCommand command, Outcome outcome, InstanceStatus status) {
            hold(command);
            finished.add(command.requestId() + " " + outcome.state());
            if (status != null) {
                statuses.put(command.requestId(), status);
            }
            terminal.add(command.requestId());
        }

        @Override
        public void adopted(RequestCommand command, InstanceStatus status) {
            adopted.add(command.resource().name());
        }

        @Override
        public void progress(RequestCommand command, InstanceStatus status) {
            hold(command);
            progress.add(command.requestId());
        }

        @Override
        public void health(RequestCommand command, RequestState state, InstanceStatus status) {}

        private void hold(RequestCommand command) {
            if (command.resource().name().equals(holdEventsOf)) {
                held.countDown();
                try {
                    release.await(1, TimeUnit.MINUTES);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        }
    }

    @SuppressWarnings("unchecked")
    private static Instance<KubernetesClient> instance(KubernetesClient client) {
        return stub(Instance.class, Map.of("get", client));
    }

    /** The configuration the backend reads, with a resync of 10 minutes: nothing here waits for one. */
    private static ProvisionerConfig config(String namespace) {
        ProvisionerConfig.Strimzi strimzi = stub(
                ProvisionerConfig.Strimzi.class,
                Map.of(
                        "namespace",
                        Optional.of(namespace),
                        "externalListenerType",
                        "loadbalancer",
                        "pollInterval",
                        Duration.ofMinutes(10)));
        ProvisionerConfig.Instances instances = stub(
                ProvisionerConfig.Instances.class, Map.of("readyTimeout", Duration.ofMinutes(5), "strimzi", strimzi));
        return stub(ProvisionerConfig.class, Map.of("instances", instances));
    }

    /** An interface whose methods answer from {@code answers} by name; any other call is a test error. */
    @SuppressWarnings("unchecked")
    private static <T> T stub(Class<?> type, Map<String, Object> answers) {
        return (T) Proxy.newProxyInstance(type.getClassLoader(), new Class<?>[] {type}, (proxy, method, args) -> {
            if (answers.containsKey(method.getName())) {
                return answers.get(method.getName());
            }
            if (method.getName().equals("toString")) {
                return type.getSimpleName() + answers.keySet();
            }
            throw new UnsupportedOperationException(type.getSimpleName() + "." + method.getName());
        });
    }
}
