package io.kafkaconcierge.provisioner.instance.strimzi;

import io.kafkaconcierge.contracts.FailureReason;
import io.kafkaconcierge.contracts.InstanceSpec;
import io.kafkaconcierge.contracts.InstanceStatus;
import io.kafkaconcierge.contracts.InstanceStatus.ListenerAddress;
import io.strimzi.api.kafka.model.common.Condition;
import io.strimzi.api.kafka.model.kafka.Kafka;
import io.strimzi.api.kafka.model.topic.KafkaTopic;
import io.strimzi.api.kafka.model.user.KafkaUser;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * What the status Strimzi writes on a resource means for the request on it: pure functions of the status, the
 * resource's generation, the request's deadline and the time, with no I/O, so that every rule is tested alone
 * ({@code StrimziStatusTest}). The backend does what a verdict says.
 */
final class StrimziStatus {

    /** Reasons of a NotReady condition that no retry of the operator will fix: the request FAILS at once. */
    static final Set<String> FATAL_REASONS = Set.of(
            "InvalidResourceException",
            "InvalidConfigurationException",
            "InvalidConfigParameterException",
            "UnsupportedKafkaVersionException",
            "KafkaUpgradeException",
            "InvalidRequestException",
            "KafkaError");

    static final String READY = "Ready";
    static final String NOT_READY = "NotReady";

    private StrimziStatus() {}

    /** What to do about a request, given the status of its resource. */
    sealed interface Verdict permits Ready, Report, Waiting, Failed {}

    /**
     * The operator says Ready about the current spec: the request is READY.
     *
     * @param bootstrapServers of the Kafka's first listener in its status; null for a topic or a user, and for a
     *     Kafka whose status lists no listeners (READY all the same, as Strimzi writes both together)
     */
    record Ready(String bootstrapServers) implements Verdict {}

    /**
     * Not Ready yet, and the operator says why with a reason not reported before: shown to whoever waits, the
     * request goes on. {@code key} is what to remember as reported.
     */
    record Report(Condition problem, String key) implements Verdict {}

    /** Not Ready yet, nothing new to say: {@code missing} says what is awaited. */
    record Waiting(String missing) implements Verdict {}

    /** The request FAILS: {@code INVALID_SPEC} for a refusal, {@code CLUSTER_UNAVAILABLE} after the deadline. */
    record Failed(FailureReason reason, String message) implements Verdict {}

    /** When a request that is not Ready gives up: {@code timeout} after it was accepted. */
    record Deadline(Instant acceptedAt, Duration timeout) {
        boolean passed(Instant now) {
            return now.isAfter(acceptedAt.plus(timeout));
        }
    }

    /** The part of a Strimzi resource's metadata and status the decisions read. */
    record Observed(List<Condition> conditions, Long generation, Long observedGeneration) {

        Observed {
            conditions = conditions == null ? List.of() : conditions;
        }

        static Observed of(Kafka kafka) {
            return new Observed(
                    kafka.getStatus() == null ? null : kafka.getStatus().getConditions(),
                    kafka.getMetadata().getGeneration(),
                    kafka.getStatus() == null ? null : kafka.getStatus().getObservedGeneration());
        }

        static Observed of(KafkaTopic topic) {
            return new Observed(
                    topic.getStatus() == null ? null : topic.getStatus().getConditions(),
                    topic.getMetadata().getGeneration(),
                    topic.getStatus() == null ? null : topic.getStatus().getObservedGeneration());
        }

        static Observed of(KafkaUser user) {
            return new Observed(
                    user.getStatus() == null ? null : user.getStatus().getConditions(),
                    user.getMetadata().getGeneration(),
                    user.getStatus() == null ? null : user.getStatus().getObservedGeneration());
        }

        /**
         * Whether the status is about the current spec (the operator has seen the latest change); a resource without
         * a generation or a status without an observed generation counts as current.
         */
        boolean current() {
            return generation == null || observedGeneration == null || observedGeneration >= generation;
        }

        /** The first condition of a type. */
        Optional<Condition> condition(String type) {
            return conditions.stream().filter(c -> type.equals(c.getType())).findFirst();
        }

        /** {@code Ready=True}, whatever generation it is about. */
        boolean readyNow() {
            return condition(READY).map(c -> "True".equals(c.getStatus())).orElse(false);
        }

        /** The operator's complaint: a {@code NotReady} condition (any status), else {@code Ready=False} with a reason. */
        Optional<Condition> problem() {
            return condition(NOT_READY)
                    .or(() -> condition(READY).filter(c -> "False".equals(c.getStatus()) && c.getReason() != null));
        }

        /** What is awaited, for a log line. */
        String missing() {
            if (conditions.isEmpty()) {
                return "no status conditions yet";
            }
            if (!current()) {
                return "the status is about generation " + observedGeneration + ", the spec is at " + generation;
            }
            return problem()
                    .map(c -> "NotReady: " + c.getReason() + ": " + c.getMessage())
                    .orElseGet(() -> condition(READY)
                            .map(c -> "Ready is " + c.getStatus())
                            .orElse("no Ready condition yet"));
        }
    }

    /**
     * A Kafka whose request is not done yet. READY on {@code Ready=True} about the current spec; a problem whose
     * reason is fatal FAILS at once (whatever generation it is about); any other problem with a reason is reported
     * once per reason and message; past the deadline it FAILS with the last problem.
     *
     * @param reported the key of the problem last reported for this request, or null
     */
    static Verdict instance(Kafka kafka, Deadline deadline, Instant now, String reported) {
        Observed observed = Observed.of(kafka);
        if (observed.readyNow() && observed.current()) {
            return new Ready(bootstrapServers(kafka));
        }
        Optional<Condition> problem = observed.problem();
        // (a reason is checked first: Set.of refuses contains(null))
        if (problem.isPresent()
                && problem.get().getReason() != null
                && FATAL_REASONS.contains(problem.get().getReason())) {
            return new Failed(
                    FailureReason.INVALID_SPEC,
                    "Strimzi refused the Kafka resource: " + problem.get().getReason() + ": "
                            + problem.get().getMessage());
        }
        if (problem.isPresent() && problem.get().getReason() != null) {
            String key = problem.get().getReason() + problem.get().getMessage();
            if (!key.equals(reported)) {
                // not fatal (the operator retries), but a person waiting should see it now
                return new Report(problem.get(), key);
            }
        }
        if (deadline.passed(now)) {
            String name = kafka.getMetadata().getName();
            return new Failed(
                    FailureReason.CLUSTER_UNAVAILABLE,
                    "Not Ready after " + deadline.timeout().toMinutes() + " min"
                            + problem.map(c -> "; last condition: " + c.getReason() + ": " + c.getMessage())
                                    .orElse("")
                            + ". Check the Strimzi operator's log and the pods of " + name + " in namespace "
                            + kafka.getMetadata().getNamespace() + ".");
        }
        return new Waiting(observed.missing());
    }

    /**
     * A resource of the entity operator (a KafkaTopic, a KafkaUser) whose request is not done yet: READY on
     * {@code Ready=True} about the current spec; any problem about the current spec is a refusal and FAILS; past the
     * deadline it FAILS with {@code timeoutHint}.
     *
     * @param what {@code topic} or {@code user}, for the messages
     */
    static Verdict entity(Observed observed, String what, String timeoutHint, Deadline deadline, Instant now) {
        if (observed.readyNow() && observed.current()) {
            return new Ready(null);
        }
        Optional<Condition> problem = observed.problem();
        if (problem.isPresent() && observed.current()) {
            return new Failed(
                    FailureReason.INVALID_SPEC,
                    "The " + what + " operator refused the " + what + ": "
                            + problem.get().getReason() + ": " + problem.get().getMessage());
        }
        if (deadline.passed(now)) {
            return new Failed(
                    FailureReason.CLUSTER_UNAVAILABLE,
                    "The " + what + " operator did not make the " + what + " Ready in "
                            + deadline.timeout().toMinutes() + " min; " + timeoutHint);
        }
        return new Waiting(observed.missing());
    }

    /** The health of a Kafka whose request is done: {@code Ready=True} as it stands. */
    static boolean healthy(Kafka kafka) {
        return Observed.of(kafka).readyNow();
    }

    /**
     * The instance as the Kafka's status shows it: listeners, conditions (Warnings too), the version it runs (else the
     * requested one), and the requested brokers when {@code ready}.
     */
    static InstanceStatus instanceStatus(String backend, Kafka kafka, InstanceSpec requested, boolean ready) {
        List<ListenerAddress> listeners = new ArrayList<>();
        List<InstanceStatus.Condition> conditions = new ArrayList<>();
        String version = requested.kafkaVersion();
        if (kafka.getStatus() != null) {
            if (kafka.getStatus().getListeners() != null) {
                kafka.getStatus()
                        .getListeners()
                        .forEach(l -> listeners.add(new ListenerAddress(l.getName(), l.getBootstrapServers())));
            }
            if (kafka.getStatus().getConditions() != null) {
                kafka.getStatus()
                        .getConditions()
                        .forEach(c -> conditions.add(new InstanceStatus.Condition(
                                c.getType(),
                                c.getStatus(),
                                c.getReason(),
                                c.getMessage(),
                                parse(c.getLastTransitionTime()))));
            }
            if (kafka.getStatus().getKafkaVersion() != null) {
                version = kafka.getStatus().getKafkaVersion();
            }
        }
        return new InstanceStatus(backend, version, ready ? requested.brokers() : 0, listeners, conditions);
    }

    private static String bootstrapServers(Kafka kafka) {
        return kafka.getStatus() == null
                        || kafka.getStatus().getListeners() == null
                        || kafka.getStatus().getListeners().isEmpty()
                ? null
                : kafka.getStatus().getListeners().get(0).getBootstrapServers();
    }

    private static Instant parse(String time) {
        try {
            return time == null ? null : OffsetDateTime.parse(time).toInstant();
        } catch (DateTimeParseException e) {
            return null;
        }
    }
}
