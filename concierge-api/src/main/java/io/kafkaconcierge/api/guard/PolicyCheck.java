package io.kafkaconcierge.api.guard;

import io.kafkaconcierge.api.guard.Policy.Range;
import io.kafkaconcierge.contracts.InstanceSpec;
import io.kafkaconcierge.contracts.TopicSpec;
import io.kafkaconcierge.contracts.UserSpec;
import io.kafkaconcierge.problem.Problem.FieldError;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Checks a topic or an instance against a policy: pure functions, every broken rule collected. Each error names its
 * rule ({@code policy.<scope>.<rule>}), the value asked and the bound.
 */
public final class PolicyCheck {

    private static final Set<String> ALWAYS_ALLOWED =
            Set.of("min.insync.replicas", "retention.ms", "retention.bytes", "cleanup.policy");
    private static final long DEFAULT_RETENTION_MS = 7L * 24 * 3600 * 1000;

    private PolicyCheck() {}

    /**
     * The rules {@code spec} breaks. {@code changed} names what a request sets (null: everything, for a create):
     * a change is checked only on what it changes, so that a topic made before a stricter policy can still be
     * changed elsewhere.
     */
    public static List<FieldError> topic(TopicSpec spec, Policy policy, String scope, Set<String> changed) {
        List<FieldError> errors = new ArrayList<>();
        Map<String, String> config = spec.config();
        if (changed == null || changed.contains("partitions")) {
            range(errors, "partitions", scope, "partitions", (long) spec.partitions(), policy.partitions());
        }
        if (changed == null
                && policy.replicationFactors() != null
                && !policy.replicationFactors().contains((int) spec.replicationFactor())) {
            errors.add(new FieldError(
                    "replicationFactor",
                    "the " + scope + " policy allows replication factors " + policy.replicationFactors() + ", asked "
                            + spec.replicationFactor(),
                    rule(scope, "replicationFactors"),
                    spec.replicationFactor(),
                    policy.replicationFactors(),
                    null));
        }
        if (touched(changed, "min.insync.replicas")) {
            range(
                    errors,
                    "config.min.insync.replicas",
                    scope,
                    "minInsyncReplicas",
                    number(config.get("min.insync.replicas"), 1),
                    policy.minInsyncReplicas());
        }
        if (touched(changed, "retention.ms")) {
            long ms = number(config.get("retention.ms"), DEFAULT_RETENTION_MS);
            range(
                    errors,
                    "config.retention.ms",
                    scope,
                    "retentionMs",
                    ms < 0 ? Long.MAX_VALUE : ms,
                    policy.retentionMs());
        }
        if (touched(changed, "retention.bytes")) {
            long bytes = number(config.get("retention.bytes"), -1);
            range(
                    errors,
                    "config.retention.bytes",
                    scope,
                    "retentionBytes",
                    bytes < 0 ? Long.MAX_VALUE : bytes,
                    policy.retentionBytes());
        }
        if (policy.configs() != null) {
            config.forEach((name, value) -> {
                if (!touched(changed, name) || ALWAYS_ALLOWED.contains(name)) {
                    return;
                }
                if (!policy.configs().containsKey(name)) {
                    errors.add(new FieldError(
                            "config." + name,
                            "the " + scope + " policy does not allow setting " + name + "; allowed: "
                                    + policy.configs().keySet(),
                            rule(scope, "configs"),
                            value,
                            policy.configs().keySet(),
                            null));
                } else if (policy.configs().get(name) != null) {
                    Long asked = numberOrNull(value);
                    if (asked != null) {
                        range(
                                errors,
                                "config." + name,
                                scope,
                                "configs." + name,
                                asked,
                                policy.configs().get(name));
                    }
                }
            });
        }
        if (changed == null || changed.stream().anyMatch(c -> c.startsWith("config"))) {
            for (String required : policy.requiredConfigs()) {
                if (!config.containsKey(required)) {
                    errors.add(new FieldError(
                            "config." + required,
                            "the " + scope + " policy requires " + required + " to be set",
                            rule(scope, "requiredConfigs"),
                            null,
                            policy.requiredConfigs(),
                            null));
                }
            }
        }
        return errors;
    }

    /** The rules an instance breaks ({@code changed}: as for topics). */
    public static List<FieldError> instance(InstanceSpec spec, Policy policy, String scope, Set<String> changed) {
        List<FieldError> errors = new ArrayList<>();
        Policy.InstanceRules rules = policy.instances();
        if (changed == null || changed.contains("brokers")) {
            range(errors, "brokers", scope, "instances.brokers", (long) spec.brokers(), rules.brokers());
        }
        if (rules.configs() != null) {
            spec.config().keySet().stream()
                    .filter(name -> touched(changed, name))
                    .filter(name -> !rules.configs().contains(name))
                    .forEach(name -> errors.add(new FieldError(
                            "config." + name,
                            "the " + scope + " policy does not allow setting " + name + " on an instance; allowed: "
                                    + rules.configs(),
                            rule(scope, "instances.configs"),
                            spec.config().get(name),
                            rules.configs(),
                            null)));
        }
        if (changed == null
                && rules.maxStorage() != null
                && spec.storage() != null
                && spec.storage().size() != null) {
            BigDecimal asked = bytes(spec.storage().size());
            BigDecimal max = bytes(rules.maxStorage());
            if (asked != null && max != null && asked.compareTo(max) > 0) {
                errors.add(new FieldError(
                        "storage.size",
                        "the " + scope + " policy allows at most " + rules.maxStorage()
                                + " of storage per broker, asked "
                                + spec.storage().size(),
                        rule(scope, "instances.maxStorage"),
                        spec.storage().size(),
                        rules.maxStorage(),
                        null));
            }
        }
        return errors;
    }

    /** The rules a Kafka user's quotas break (checked on create, and on a change that sets quotas). */
    public static List<FieldError> user(UserSpec spec, Policy policy, String scope) {
        List<FieldError> errors = new ArrayList<>();
        Policy.UserRules rules = policy.users();
        UserSpec.Quotas quotas = spec.quotas();
        if (quotas == null) {
            return errors;
        }
        if (quotas.producerByteRate() != null) {
            range(
                    errors,
                    "quotas.producerByteRate",
                    scope,
                    "users.maxProducerByteRate",
                    quotas.producerByteRate(),
                    new Range(null, rules.maxProducerByteRate()));
        }
        if (quotas.consumerByteRate() != null) {
            range(
                    errors,
                    "quotas.consumerByteRate",
                    scope,
                    "users.maxConsumerByteRate",
                    quotas.consumerByteRate(),
                    new Range(null, rules.maxConsumerByteRate()));
        }
        if (quotas.requestPercentage() != null
                && rules.maxRequestPercentage() != null
                && quotas.requestPercentage() > rules.maxRequestPercentage()) {
            errors.add(new FieldError(
                    "quotas.requestPercentage",
                    "the " + scope + " policy allows at most " + rules.maxRequestPercentage() + ", asked "
                            + quotas.requestPercentage(),
                    rule(scope, "users.maxRequestPercentage"),
                    quotas.requestPercentage(),
                    rules.maxRequestPercentage(),
                    null));
        }
        return errors;
    }

    private static boolean touched(Set<String> changed, String config) {
        return changed == null || changed.contains("config." + config);
    }

    private static void range(
            List<FieldError> errors, String field, String scope, String rule, long asked, Range range) {
        if (range != null && !range.contains(asked)) {
            Object shown = asked == Long.MAX_VALUE ? "unbounded" : asked;
            errors.add(new FieldError(
                    field,
                    "the " + scope + " policy allows " + range + ", asked " + shown,
                    rule(scope, rule),
                    shown,
                    range.toString(),
                    null));
        }
    }

    private static String rule(String scope, String rule) {
        return "policy." + scope + "." + rule;
    }

    private static long number(String value, long unset) {
        Long n = numberOrNull(value);
        return n == null ? unset : n;
    }

    private static Long numberOrNull(String value) {
        if (value == null) {
            return null;
        }
        try {
            return Long.parseLong(value.trim());
        } catch (NumberFormatException e) {
            return null;
        }
    }

    /** {@code 10Gi}, {@code 500M}, {@code 1Ti} ... in bytes, or null when it is not a quantity. */
    static BigDecimal bytes(String quantity) {
        var m = java.util.regex.Pattern.compile("([0-9]+(?:\\.[0-9]+)?)([KMGTPE]i?)?")
                .matcher(quantity.trim());
        if (!m.matches()) {
            return null;
        }
        BigDecimal n = new BigDecimal(m.group(1));
        String unit = m.group(2);
        if (unit == null) {
            return n;
        }
        int power = "KMGTPE".indexOf(unit.charAt(0)) + 1;
        BigDecimal base = BigDecimal.valueOf(unit.endsWith("i") ? 1024 : 1000);
        return n.multiply(base.pow(power));
    }
}
