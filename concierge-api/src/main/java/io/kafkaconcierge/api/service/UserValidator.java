package io.kafkaconcierge.api.service;

import io.kafkaconcierge.api.config.ApiConfig;
import io.kafkaconcierge.contracts.TopicSpec;
import io.kafkaconcierge.contracts.UserSpec.Access;
import io.kafkaconcierge.contracts.UserSpec.Grant;
import io.kafkaconcierge.contracts.UserSpec.Quotas;
import io.kafkaconcierge.problem.Problem.FieldError;
import java.util.List;
import java.util.regex.Pattern;

/** The rules of a user request that need nothing but the request: names, grants' shape, quota bounds. */
final class UserValidator {

    /**
     * A SCRAM user name that is also a valid Kafka principal, Kubernetes object name (a Strimzi {@code KafkaUser})
     * and Secret name: 1 to 64 of lower-case letters, digits, {@code .} and {@code -}, starting and ending with a letter
     * or digit.
     */
    static final Pattern NAME =
            Pattern.compile("(?=.{1,64}$)[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*");

    private static final Pattern TOPIC = Pattern.compile("[a-zA-Z0-9._-]{1,249}");
    private static final Pattern GROUP = Pattern.compile("[a-zA-Z0-9._-]{1,249}");
    private static final int MAX_GRANTS = 50;

    private UserValidator() {}

    /** The shape of the name; whose names it is under, the guard rails decide (claims, the policy). */
    static void name(String name, List<FieldError> errors) {
        if (name == null || name.isBlank()) {
            errors.add(new FieldError("name", "is required"));
        } else if (!NAME.matcher(name).matches()) {
            errors.add(new FieldError(
                    "name",
                    "must be 1 to 64 of a-z, 0-9, '.' and '-', each part between dots starting and ending with a "
                            + "letter or digit (a Kubernetes object name)"));
        }
    }

    static void description(String description, List<FieldError> errors) {
        if (description != null && description.length() > 500) {
            errors.add(new FieldError("description", "must be at most 500 characters"));
        }
    }

    /** The shape of each grant; whose names they are (claims, consents) the guard rails decide. */
    static void grants(List<Grant> grants, List<FieldError> errors) {
        if (grants == null) {
            return;
        }
        if (grants.size() > MAX_GRANTS) {
            errors.add(new FieldError("grants", "at most " + MAX_GRANTS + " grants"));
            return;
        }
        for (int i = 0; i < grants.size(); i++) {
            Grant g = grants.get(i);
            String at = "grants[" + i + "]";
            if (g == null) {
                errors.add(new FieldError(at, "must be an object"));
                continue;
            }
            if (g.topic() == null || !TOPIC.matcher(g.topic()).matches()) {
                errors.add(new FieldError(
                        at + ".topic", "is required: a topic name or prefix of [a-zA-Z0-9._-], at " + "most 249"));
            }
            operations(at, g, errors);
        }
    }

    /**
     * The shape of the accesses a topic request gives ({@code access[i]}): a user name, and operations as in a grant.
     * Whose users they are needs the view ({@code TopicRequestService}).
     */
    static void access(List<TopicSpec.UserAccess> access, String topic, List<FieldError> errors) {
        if (access == null) {
            return;
        }
        if (access.size() > MAX_GRANTS) {
            errors.add(new FieldError("access", "at most " + MAX_GRANTS + " users"));
            return;
        }
        java.util.Set<String> seen = new java.util.HashSet<>();
        for (int i = 0; i < access.size(); i++) {
            TopicSpec.UserAccess a = access.get(i);
            String at = "access[" + i + "]";
            if (a == null) {
                errors.add(new FieldError(at, "must be an object"));
                continue;
            }
            if (a.user() == null || a.user().isBlank()) {
                errors.add(new FieldError(at + ".user", "is required: the name of a user of the topic's team"));
            } else if (!NAME.matcher(a.user()).matches()) {
                errors.add(new FieldError(
                        at + ".user",
                        "must be 1 to 64 of a-z, 0-9, '.' and '-', starting and " + "ending with a letter or digit"));
            } else if (!seen.add(a.user())) {
                errors.add(new FieldError(
                        at + ".user",
                        "'" + a.user() + "' is named twice; give all of its " + "operations in one entry"));
            }
            operations(at, a.grant(topic), errors);
        }
    }

    /** The operations of one grant and what goes with them (group, transactional id, idempotent). */
    private static void operations(String at, Grant g, List<FieldError> errors) {
        if (g.operations().isEmpty()) {
            errors.add(new FieldError(at + ".operations", "give one or more of produce, consume, describe"));
        }
        boolean consume = g.operations().contains(Access.CONSUME);
        boolean produce = g.operations().contains(Access.PRODUCE);
        if (consume && g.group() == null) {
            errors.add(new FieldError(
                    at + ".group",
                    "consume needs the consumer group (or a prefix with " + "groupPatternType prefixed)"));
        }
        if (g.group() != null) {
            shape(at + ".group", g.group(), errors);
            if (!consume) {
                errors.add(new FieldError(at + ".group", "only with consume"));
            }
        }
        if (g.transactionalId() != null) {
            shape(at + ".transactionalId", g.transactionalId(), errors);
            if (!produce) {
                errors.add(new FieldError(at + ".transactionalId", "only with produce"));
            }
        }
        if (Boolean.TRUE.equals(g.idempotent()) && !produce) {
            errors.add(new FieldError(at + ".idempotent", "only with produce"));
        }
    }

    private static void shape(String field, String name, List<FieldError> errors) {
        if (!GROUP.matcher(name).matches()) {
            errors.add(new FieldError(field, "must be 1 to 249 of [a-zA-Z0-9._-]"));
        }
    }

    static void quotas(Quotas quotas, ApiConfig.Users bounds, List<FieldError> errors) {
        if (quotas == null) {
            return;
        }
        if (quotas.producerByteRate() != null
                && (quotas.producerByteRate() < 1 || quotas.producerByteRate() > bounds.maxProducerByteRate())) {
            errors.add(new FieldError(
                    "quotas.producerByteRate",
                    "must be from 1 to " + bounds.maxProducerByteRate() + " bytes/s, was "
                            + quotas.producerByteRate()));
        }
        if (quotas.consumerByteRate() != null
                && (quotas.consumerByteRate() < 1 || quotas.consumerByteRate() > bounds.maxConsumerByteRate())) {
            errors.add(new FieldError(
                    "quotas.consumerByteRate",
                    "must be from 1 to " + bounds.maxConsumerByteRate() + " bytes/s, was "
                            + quotas.consumerByteRate()));
        }
        if (quotas.requestPercentage() != null
                && (!(quotas.requestPercentage() > 0) || quotas.requestPercentage() > bounds.maxRequestPercentage())) {
            errors.add(new FieldError(
                    "quotas.requestPercentage",
                    "must be above 0 and at most " + bounds.maxRequestPercentage() + ", was "
                            + quotas.requestPercentage()));
        }
    }
}
