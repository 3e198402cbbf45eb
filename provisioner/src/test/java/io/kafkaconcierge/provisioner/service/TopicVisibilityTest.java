package io.kafkaconcierge.provisioner.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.kafkaconcierge.contracts.FailureReason;
import io.kafkaconcierge.contracts.Operation;
import io.kafkaconcierge.contracts.RequestCommand;
import io.kafkaconcierge.contracts.RequestState;
import io.kafkaconcierge.contracts.TopicChange;
import io.kafkaconcierge.contracts.TopicSpec;
import io.kafkaconcierge.testing.EmbeddedKafka;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.DescribeTopicsOptions;
import org.apache.kafka.clients.admin.DescribeTopicsResult;
import org.apache.kafka.clients.admin.ForwardingAdmin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.KafkaFuture;
import org.apache.kafka.common.TopicCollection;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.apache.kafka.common.internals.KafkaFutureImpl;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@link TopicVisibility} alone against a real broker, with the metadata's delay injected through a wrapped Admin
 * whose {@code describeTopics} answers "unknown topic" for the topics the test hides (as Strimzi's KafkaHandlerIT
 * injects errors through a spied Admin).
 */
class TopicVisibilityTest {

    private static final Duration WAIT = Duration.ofSeconds(30);
    private static HidingAdmin admin;
    private static ExecutorService worker;

    @BeforeAll
    static void start() {
        admin = new HidingAdmin(Map.of(
                AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG,
                EmbeddedKafka.shared().bootstrapServers()));
        worker = Executors.newCachedThreadPool();
    }

    @AfterAll
    static void stop() {
        admin.close();
        worker.shutdownNow();
    }

    /** Hides topics from describeTopics, as a broker whose metadata has not caught up yet does. */
    static final class HidingAdmin extends ForwardingAdmin {
        final Set<String> hidden = ConcurrentHashMap.newKeySet();
        final AtomicInteger describeCalls = new AtomicInteger();
        /** How many topics each describeTopics call asked for. */
        final List<Integer> describedPerCall = new CopyOnWriteArrayList<>();

        HidingAdmin(Map<String, Object> configs) {
            super(configs);
        }

        @Override
        public DescribeTopicsResult describeTopics(TopicCollection topics, DescribeTopicsOptions options) {
            describeCalls.incrementAndGet();
            describedPerCall.add(
                    ((TopicCollection.TopicNameCollection) topics).topicNames().size());
            DescribeTopicsResult real = super.describeTopics(topics, options);
            Map<String, KafkaFuture<TopicDescription>> answers = new HashMap<>(real.topicNameValues());
            answers.replaceAll((name, future) -> {
                if (!hidden.contains(name)) {
                    return future;
                }
                KafkaFutureImpl<TopicDescription> unknown = new KafkaFutureImpl<>();
                unknown.completeExceptionally(new UnknownTopicOrPartitionException("hidden by the test: " + name));
                return unknown;
            });
            return new DescribeTopicsResult(null, answers) {};
        }
    }

    private static TopicVisibility visibility(Duration deadline) {
        return new TopicVisibility(
                deadline, Duration.ofMillis(20), Duration.ofMillis(200), Duration.ofSeconds(10), worker);
    }

    private static String unique(String prefix) {
        return prefix + "." + UUID.randomUUID().toString().substring(0, 8);
    }

    private static RequestCommand command(Operation op, String name, int partitions, TopicChange change) {
        TopicSpec spec = new TopicSpec("local", name, partitions, (short) 1, Map.of(), "payments", null);
        return new RequestCommand(
                UUID.randomUUID().toString(), op, spec.ref(), spec, change, null, "0".repeat(64), Instant.now());
    }

    /** Creates a topic and waits until the broker's metadata shows it with leaders (set-up, before any claim). */
    private static void create(String name, int partitions) throws Exception {
        admin.createTopics(List.of(new NewTopic(name, partitions, (short) 1)))
                .all()
                .get();
        await().atMost(WAIT)
                .ignoreExceptions()
                .untilAsserted(() -> assertThat(admin.describeTopics(List.of(name))
                                .allTopicNames()
                                .get()
                                .get(name)
                                .partitions())
                        .hasSize(partitions)
                        .allSatisfy(p -> assertThat(p.leader()).isNotNull()));
    }

    private static CompletableFuture<Map<RequestCommand, Outcome>> confirm(
            TopicVisibility v, Map<RequestCommand, Outcome> claimed) {
        return v.confirm(admin, claimed).subscribeAsCompletionStage();
    }

    @Test
    void shouldHoldReadyBackUntilTheMetadataShowsTheTopicAndThenAnnounceIt() throws Exception {
        String name = unique("late");
        create(name, 3);
        admin.hidden.add(name);
        RequestCommand c = command(Operation.CREATE, name, 3, null);

        CompletableFuture<Map<RequestCommand, Outcome>> outcome =
                confirm(visibility(WAIT), Map.of(c, Outcome.done(RequestState.READY)));

        int before = admin.describeCalls.get();
        await().during(Duration.ofMillis(500)).atMost(Duration.ofSeconds(5)).until(() -> !outcome.isDone());
        assertThat(admin.describeCalls.get()).as("checks while hidden").isGreaterThan(before);

        admin.hidden.remove(name);
        await().atMost(WAIT).until(outcome::isDone);
        assertThat(outcome.get()).containsEntry(c, Outcome.done(RequestState.READY));
    }

    @Test
    void shouldCheckAllTopicsOfABatchWithOneDescribeCall() throws Exception {
        Map<RequestCommand, Outcome> claimed = new LinkedHashMap<>();
        List<NewTopic> topics = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            String name = unique("batch" + i);
            topics.add(new NewTopic(name, 2, (short) 1));
            claimed.put(command(Operation.CREATE, name, 2, null), Outcome.done(RequestState.READY));
        }
        admin.createTopics(topics).all().get();
        int before = admin.describedPerCall.size();

        Map<RequestCommand, Outcome> outcome =
                confirm(visibility(WAIT), claimed).get();

        assertThat(outcome).isEqualTo(claimed);
        // one call per check for all the topics still waiting (on a busy broker some are not visible at once)
        List<Integer> calls = admin.describedPerCall.subList(before, admin.describedPerCall.size());
        assertThat(calls).first().isEqualTo(20);
        assertThat(calls)
                .isSortedAccordingTo((a, b) -> Integer.compare(b, a))
                .allSatisfy(n -> assertThat(n).isPositive());
    }

    @Test
    void shouldFailWithClusterUnavailableWhenTheTopicDoesNotShowByTheDeadline() throws Exception {
        String name = unique("never");
        create(name, 2);
        admin.hidden.add(name);
        RequestCommand c = command(Operation.CREATE, name, 2, null);

        Outcome outcome = confirm(visibility(Duration.ofMillis(300)), Map.of(c, Outcome.done(RequestState.READY)))
                .get()
                .get(c);

        assertThat(outcome.state()).isEqualTo(RequestState.FAILED);
        assertThat(outcome.reason()).isEqualTo(FailureReason.CLUSTER_UNAVAILABLE);
        assertThat(outcome.message())
                .contains(
                        name,
                        "after 300 ms",
                        "not in the metadata yet",
                        "not announced READY",
                        "ask for it again with the same spec");
    }

    @Test
    void shouldNotConfirmAnUpdateWhosePartitionsOrConfigsDoNotShow() throws Exception {
        String name = unique("update");
        create(name, 2);
        TopicChange change = new TopicChange(4, Map.of("retention.ms", "7200000"), null);
        RequestCommand grow = command(Operation.UPDATE, name, 4, change);
        RequestCommand config =
                command(Operation.UPDATE, name, 2, new TopicChange(null, Map.of("retention.ms", "7200000"), null));

        TopicVisibility v = visibility(Duration.ofMillis(200));
        Outcome partitions =
                confirm(v, Map.of(grow, Outcome.done(RequestState.READY))).get().get(grow);
        Outcome configs = confirm(v, Map.of(config, Outcome.done(RequestState.READY)))
                .get()
                .get(config);

        assertThat(partitions.reason()).isEqualTo(FailureReason.CLUSTER_UNAVAILABLE);
        assertThat(partitions.message()).contains("2 of 4 partitions in the metadata", "not announced READY");
        assertThat(configs.reason()).isEqualTo(FailureReason.CLUSTER_UNAVAILABLE);
        assertThat(configs.message()).contains("retention.ms=", "(asked 7200000)");
    }

    @Test
    void shouldAnnounceDeletedOnlyOnceTheTopicIsGoneFromTheMetadata() throws Exception {
        String stillThere = unique("undeleted");
        create(stillThere, 1);
        RequestCommand notGone = command(Operation.DELETE, stillThere, 1, null);
        RequestCommand gone = command(Operation.DELETE, unique("missing"), 1, null);

        Map<RequestCommand, Outcome> outcome = confirm(
                        visibility(Duration.ofMillis(200)),
                        Map.of(notGone, Outcome.done(RequestState.DELETED), gone, Outcome.done(RequestState.DELETED)))
                .get();

        assertThat(outcome.get(gone)).isEqualTo(Outcome.done(RequestState.DELETED));
        assertThat(outcome.get(notGone).reason()).isEqualTo(FailureReason.CLUSTER_UNAVAILABLE);
        assertThat(outcome.get(notGone).message()).contains("still in the metadata", "not announced DELETED");
    }

    @Test
    void shouldPassFailedOutcomesThroughWithoutChecking() throws Exception {
        RequestCommand c = command(Operation.CREATE, unique("refused"), 1, null);
        Outcome refused = Outcome.failed(FailureReason.INVALID_SPEC, "refused");
        int before = admin.describeCalls.get();

        assertThat(confirm(visibility(WAIT), Map.of(c, refused)).get()).containsEntry(c, refused);
        assertThat(admin.describeCalls.get()).isEqualTo(before);
    }
}
