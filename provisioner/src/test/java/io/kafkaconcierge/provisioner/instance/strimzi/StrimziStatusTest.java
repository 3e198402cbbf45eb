package io.kafkaconcierge.provisioner.instance.strimzi;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.kafkaconcierge.contracts.FailureReason;
import io.kafkaconcierge.contracts.InstanceSpec;
import io.kafkaconcierge.contracts.InstanceStatus;
import io.kafkaconcierge.provisioner.instance.strimzi.StrimziStatus.Deadline;
import io.kafkaconcierge.provisioner.instance.strimzi.StrimziStatus.Failed;
import io.kafkaconcierge.provisioner.instance.strimzi.StrimziStatus.Observed;
import io.kafkaconcierge.provisioner.instance.strimzi.StrimziStatus.Ready;
import io.kafkaconcierge.provisioner.instance.strimzi.StrimziStatus.Report;
import io.kafkaconcierge.provisioner.instance.strimzi.StrimziStatus.Verdict;
import io.kafkaconcierge.provisioner.instance.strimzi.StrimziStatus.Waiting;
import io.strimzi.api.kafka.model.kafka.Kafka;
import io.strimzi.api.kafka.model.topic.KafkaTopic;
import io.strimzi.api.kafka.model.user.KafkaUser;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The decisions on Strimzi's status, on statuses as the operator writes them: no API server, no clock. */
class StrimziStatusTest {

    private static final KubernetesSerialization YAML = new KubernetesSerialization();
    private static final Instant ACCEPTED = Instant.parse("2026-11-25T10:00:00Z");
    private static final Deadline DEADLINE = new Deadline(ACCEPTED, Duration.ofMinutes(5));
    private static final Instant SOON = ACCEPTED.plus(Duration.ofMinutes(1));
    private static final Instant LATE = ACCEPTED.plus(Duration.ofMinutes(6));

    private static final String READY = """
            - type: Ready
              status: "True"
              lastTransitionTime: "2026-11-25T10:03:00Z"
            """;
    private static final String LISTENERS = """
            listeners:
              - name: plain
                bootstrapServers: analytics-kafka-bootstrap.kafka-instances.svc:9092
              - name: tls
                bootstrapServers: analytics-kafka-bootstrap.kafka-instances.svc:9093
            """;
    private static final String WAITING_FOR_PODS = """
            - type: NotReady
              status: "True"
              reason: TimeoutException
              message: Exceeded timeout of 300000ms while waiting for Pods resource analytics-broker-0 to be ready
            """;
    private static final String REFUSED = """
            - type: NotReady
              status: "True"
              reason: InvalidResourceException
              message: "Kafka version 4.1.1 is not supported. Supported versions are: 4.2.0, 4.3.1."
            """;
    private static final String DEPRECATED = """
            - type: Warning
              status: "True"
              reason: DeprecatedFields
              message: In API version kafka.strimzi.io/v1 the field spec.kafka.storage is deprecated
            """;

    /** A Kafka at {@code generation} whose status is about {@code observed}, with these conditions and extra lines. */
    private static Kafka kafka(long generation, Long observed, String conditions, String more) {
        StringBuilder yaml = new StringBuilder("""
                apiVersion: kafka.strimzi.io/v1
                kind: Kafka
                metadata:
                  name: analytics
                  namespace: kafka-instances
                  generation: %d
                status:
                  kafkaVersion: 4.1.1
                """.formatted(generation));
        if (observed != null) {
            yaml.append("  observedGeneration: ").append(observed).append('\n');
        }
        if (conditions != null) {
            yaml.append("  conditions:\n").append(conditions.indent(4));
        }
        if (more != null) {
            yaml.append(more.indent(2));
        }
        return YAML.unmarshal(yaml.toString(), Kafka.class);
    }

    private static Verdict instance(Kafka kafka, Instant now, String reported) {
        return StrimziStatus.instance(kafka, DEADLINE, now, reported);
    }

    @Test
    void shouldBeReadyWithTheFirstListenersAddressWhenReadyIsAboutTheCurrentSpec() {
        assertThat(instance(kafka(3, 3L, READY, LISTENERS), SOON, null))
                .isEqualTo(new Ready("analytics-kafka-bootstrap.kafka-instances.svc:9092"));
    }

    @Test
    void shouldBeReadyWithoutAnAddressWhenTheStatusListsNoListeners() {
        // as before the split: Ready=True about the spec is READY; Strimzi writes listeners with Ready
        assertThat(instance(kafka(3, 3L, READY, null), SOON, null)).isEqualTo(new Ready(null));
    }

    @Test
    void shouldWaitWhenReadyIsAboutAnOlderSpec() {
        Verdict verdict = instance(kafka(4, 3L, READY, LISTENERS), SOON, null);

        assertThat(verdict).isInstanceOf(Waiting.class);
        assertThat(((Waiting) verdict).missing()).contains("generation 3").contains("at 4");
    }

    @Test
    void shouldWaitWhenTheStatusNamesNoObservedGenerationOnAResourceWithOne() {
        // the model reads an absent observedGeneration as 0, older than any generation the API server gives
        assertThat(instance(kafka(1, null, READY, LISTENERS), SOON, null)).isInstanceOf(Waiting.class);
    }

    @Test
    void shouldWaitWhenThereIsNoStatusYet() {
        Kafka fresh = YAML.unmarshal("""
                apiVersion: kafka.strimzi.io/v1
                kind: Kafka
                metadata: {name: analytics, namespace: kafka-instances, generation: 1}
                """, Kafka.class);

        assertThat(instance(fresh, SOON, null)).isEqualTo(new Waiting("no status conditions yet"));
    }

    @Test
    void shouldFailAtOnceWithTheOperatorsMessageWhenItRefusesTheSpec() {
        assertThat(instance(kafka(1, 1L, REFUSED, null), SOON, null))
                .isEqualTo(new Failed(
                        FailureReason.INVALID_SPEC,
                        "Strimzi refused the Kafka resource: InvalidResourceException: Kafka version 4.1.1 is not"
                                + " supported. Supported versions are: 4.2.0, 4.3.1."));
    }

    @Test
    void shouldFailOnAFatalReasonWhateverGenerationItIsAbout() {
        assertThat(instance(kafka(2, 1L, REFUSED, null), SOON, null)).isInstanceOf(Failed.class);
    }

    @Test
    void shouldFailOnReadyFalseWithAFatalReason() {
        String readyFalse = """
                - type: Ready
                  status: "False"
                  reason: UnsupportedKafkaVersionException
                  message: Unsupported Kafka.spec.kafka.version 3.0.0
                """;

        Verdict verdict = instance(kafka(1, 1L, readyFalse, null), SOON, null);

        assertThat(verdict).isInstanceOf(Failed.class);
        assertThat(((Failed) verdict).reason()).isEqualTo(FailureReason.INVALID_SPEC);
        assertThat(((Failed) verdict).message()).contains("UnsupportedKafkaVersionException");
    }

    @Test
    void shouldReportAReasonTheOperatorRetriesOnOnceAndThenWait() {
        Kafka kafka = kafka(1, 1L, WAITING_FOR_PODS, null);

        Verdict first = instance(kafka, SOON, null);
        assertThat(first).isInstanceOf(Report.class);
        Report report = (Report) first;
        assertThat(report.problem().getReason()).isEqualTo("TimeoutException");

        assertThat(instance(kafka, SOON, report.key())).isInstanceOf(Waiting.class);
    }

    @Test
    void shouldReportTheSameReasonAgainWhenItsMessageChanges() {
        String key = ((Report) instance(kafka(1, 1L, WAITING_FOR_PODS, null), SOON, null)).key();
        String otherPod = WAITING_FOR_PODS.replace("broker-0", "broker-1");

        assertThat(instance(kafka(1, 1L, otherPod, null), SOON, key)).isInstanceOf(Report.class);
    }

    @Test
    void shouldNotReportANotReadyWithoutAReason() {
        String bare = """
                - type: NotReady
                  status: "True"
                """;

        assertThat(instance(kafka(1, 1L, bare, null), SOON, null)).isInstanceOf(Waiting.class);
    }

    @Test
    void shouldFailAsUnavailableWithTheLastConditionAfterTheDeadline() {
        Kafka kafka = kafka(1, 1L, WAITING_FOR_PODS, null);
        String key = ((Report) instance(kafka, SOON, null)).key();

        assertThat(instance(kafka, LATE, key))
                .isEqualTo(new Failed(
                        FailureReason.CLUSTER_UNAVAILABLE,
                        "Not Ready after 5 min; last condition: TimeoutException: Exceeded timeout of 300000ms"
                                + " while waiting for Pods resource analytics-broker-0 to be ready. Check the"
                                + " Strimzi operator's log and the pods of analytics in namespace"
                                + " kafka-instances."));
    }

    @Test
    void shouldFailAsUnavailableWithoutAConditionAfterTheDeadline() {
        assertThat(instance(kafka(1, null, null, null), LATE, null))
                .isEqualTo(new Failed(
                        FailureReason.CLUSTER_UNAVAILABLE,
                        "Not Ready after 5 min. Check the Strimzi operator's log and the pods of analytics in"
                                + " namespace kafka-instances."));
    }

    @Test
    void shouldReportANewReasonBeforeFailingOnTheDeadline() {
        // as the poll did: a reason not shown yet is shown; the deadline fails the request the next time
        assertThat(instance(kafka(1, 1L, WAITING_FOR_PODS, null), LATE, null)).isInstanceOf(Report.class);
    }

    @Test
    void shouldTakeNoWarningForAProblem() {
        assertThat(instance(kafka(1, 1L, READY + DEPRECATED, LISTENERS), SOON, null))
                .isInstanceOf(Ready.class);
        assertThat(instance(kafka(1, 1L, DEPRECATED, null), SOON, null))
                .isEqualTo(new Waiting("no Ready condition yet"));
        assertThat(instance(kafka(1, 1L, DEPRECATED + REFUSED, null), SOON, null))
                .isInstanceOf(Failed.class);
    }

    @Test
    void shouldWaitOnReadyFalseWithoutAReasonAndOnReadyUnknown() {
        String readyFalse = """
                - type: Ready
                  status: "False"
                """;
        String unknown = """
                - type: Ready
                  status: Unknown
                  reason: Reconciling
                """;

        assertThat(instance(kafka(1, 1L, readyFalse, null), SOON, null)).isEqualTo(new Waiting("Ready is False"));
        assertThat(instance(kafka(1, 1L, unknown, null), SOON, null)).isEqualTo(new Waiting("Ready is Unknown"));
    }

    @Test
    void shouldTellHealthFromReadyAsItStandsWhateverGenerationItIsAbout() {
        assertThat(StrimziStatus.healthy(kafka(4, 3L, READY, LISTENERS))).isTrue();
        assertThat(StrimziStatus.healthy(kafka(3, 3L, WAITING_FOR_PODS, LISTENERS)))
                .isFalse();
        assertThat(StrimziStatus.healthy(kafka(3, 3L, DEPRECATED, LISTENERS))).isFalse();
    }

    @Test
    void shouldShowListenersConditionsWarningsIncludedAndTheRunningVersion() {
        InstanceSpec requested = new InstanceSpec(
                "analytics",
                "data-platform",
                3,
                "4.0.0",
                Map.of(),
                new InstanceSpec.Storage("ephemeral", null),
                List.of(new InstanceSpec.Listener("plain", 9092, "internal", false)),
                null,
                false,
                null);
        Kafka kafka = kafka(1, 1L, READY + DEPRECATED, LISTENERS);

        InstanceStatus ready = StrimziStatus.instanceStatus("strimzi", kafka, requested, true);
        InstanceStatus notReady = StrimziStatus.instanceStatus("strimzi", kafka, requested, false);

        assertThat(ready.kafkaVersion()).isEqualTo("4.1.1");
        assertThat(ready.readyBrokers()).isEqualTo(3);
        assertThat(notReady.readyBrokers()).isZero();
        assertThat(ready.bootstrapServers()).isEqualTo("analytics-kafka-bootstrap.kafka-instances.svc:9092");
        assertThat(ready.listeners()).hasSize(2);
        assertThat(ready.conditions())
                .extracting(InstanceStatus.Condition::type)
                .containsExactly("Ready", "Warning");
        assertThat(ready.conditions().get(0).lastTransitionTime()).isEqualTo(Instant.parse("2026-11-25T10:03:00Z"));
        assertThat(ready.conditions().get(1).lastTransitionTime()).isNull();
    }

    @Test
    void shouldTakeTheRequestedVersionWhenTheStatusHasNone() {
        InstanceSpec requested = new InstanceSpec(
                "analytics",
                "data-platform",
                1,
                "4.0.0",
                Map.of(),
                new InstanceSpec.Storage("ephemeral", null),
                List.of(),
                null,
                false,
                null);
        Kafka fresh = YAML.unmarshal("""
                apiVersion: kafka.strimzi.io/v1
                kind: Kafka
                metadata: {name: analytics, generation: 1}
                """, Kafka.class);

        InstanceStatus status = StrimziStatus.instanceStatus("strimzi", fresh, requested, false);

        assertThat(status.kafkaVersion()).isEqualTo("4.0.0");
        assertThat(status.listeners()).isEmpty();
        assertThat(status.conditions()).isEmpty();
    }

    private static KafkaTopic topic(long generation, long observed, String conditions) {
        return YAML.unmarshal("""
                apiVersion: kafka.strimzi.io/v1
                kind: KafkaTopic
                metadata: {name: analytics-clicks, generation: %d}
                status:
                  observedGeneration: %d
                  conditions:
                %s""".formatted(generation, observed, conditions.indent(4)), KafkaTopic.class);
    }

    private static Verdict entity(Observed observed, Instant now) {
        return StrimziStatus.entity(observed, "topic", "is the entity operator of analytics running?", DEADLINE, now);
    }

    @Test
    void shouldMakeATopicReadyWhenTheTopicOperatorSaysReadyAboutTheCurrentSpec() {
        assertThat(entity(Observed.of(topic(2, 2, READY)), SOON)).isEqualTo(new Ready(null));
        assertThat(entity(Observed.of(topic(3, 2, READY)), SOON)).isInstanceOf(Waiting.class);
    }

    @Test
    void shouldFailATopicOnAnyRefusalAboutTheCurrentSpecButNotOnAnOlderOne() {
        String refused = """
                - type: Ready
                  status: "False"
                  reason: KafkaError
                  message: "org.apache.kafka.common.errors.PolicyViolationException: replication factor 3 > 1"
                """;

        assertThat(entity(Observed.of(topic(2, 2, refused)), SOON))
                .isEqualTo(new Failed(
                        FailureReason.INVALID_SPEC,
                        "The topic operator refused the topic: KafkaError: "
                                + "org.apache.kafka.common.errors.PolicyViolationException: replication factor 3 > 1"));
        assertThat(entity(Observed.of(topic(3, 2, refused)), SOON)).isInstanceOf(Waiting.class);
        // a reason the Kafka's operator would retry on is a refusal here too
        assertThat(entity(Observed.of(topic(2, 2, WAITING_FOR_PODS)), SOON)).isInstanceOf(Failed.class);
    }

    @Test
    void shouldFailAUserAsUnavailableWithTheHintAfterTheDeadline() {
        KafkaUser user = YAML.unmarshal("""
                apiVersion: kafka.strimzi.io/v1
                kind: KafkaUser
                metadata: {name: billing, generation: 1}
                """, KafkaUser.class);

        assertThat(StrimziStatus.entity(
                        Observed.of(user),
                        "user",
                        "does the Kafka analytics run the entity operator's user operator?",
                        DEADLINE,
                        LATE))
                .isEqualTo(new Failed(
                        FailureReason.CLUSTER_UNAVAILABLE,
                        "The user operator did not make the user Ready in 5 min; does the Kafka analytics run the"
                                + " entity operator's user operator?"));
        assertThat(StrimziStatus.entity(Observed.of(user), "user", "hint", DEADLINE, SOON))
                .isEqualTo(new Waiting("no status conditions yet"));
    }

    @Test
    void shouldCountAResourceWithoutAGenerationAsCurrent() {
        assertThat(new Observed(List.of(), null, 1L).current()).isTrue();
        assertThat(new Observed(List.of(), 2L, null).current()).isTrue();
        assertThat(new Observed(List.of(), 2L, 1L).current()).isFalse();
    }
}
