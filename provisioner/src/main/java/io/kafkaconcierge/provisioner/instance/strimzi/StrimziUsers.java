package io.kafkaconcierge.provisioner.instance.strimzi;

import io.fabric8.kubernetes.api.model.SecretKeySelector;
import io.kafkaconcierge.contracts.UserSpec;
import io.kafkaconcierge.contracts.kafka.UserAcls;
import io.strimzi.api.kafka.model.common.Password;
import io.strimzi.api.kafka.model.common.PasswordSource;
import io.strimzi.api.kafka.model.user.KafkaUserAuthorizationSimple;
import io.strimzi.api.kafka.model.user.KafkaUserQuotas;
import io.strimzi.api.kafka.model.user.KafkaUserScramSha512ClientAuthentication;
import io.strimzi.api.kafka.model.user.KafkaUserSpec;
import io.strimzi.api.kafka.model.user.acl.AclOperation;
import io.strimzi.api.kafka.model.user.acl.AclResourcePatternType;
import io.strimzi.api.kafka.model.user.acl.AclRule;
import io.strimzi.api.kafka.model.user.acl.AclRuleClusterResource;
import io.strimzi.api.kafka.model.user.acl.AclRuleGroupResource;
import io.strimzi.api.kafka.model.user.acl.AclRuleResource;
import io.strimzi.api.kafka.model.user.acl.AclRuleTopicResource;
import io.strimzi.api.kafka.model.user.acl.AclRuleTransactionalIdResource;
import io.strimzi.api.kafka.model.user.acl.AclRuleType;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.resource.PatternType;
import org.apache.kafka.common.resource.ResourcePattern;

/**
 * A concierge user as a Strimzi {@code KafkaUser} spec (a pure function): SCRAM-SHA-512 with the password from a
 * Secret the concierge owns ({@code password.valueFrom.secretKeyRef}), simple authorization with the same ACLs as on
 * a registered cluster ({@link UserAcls}, one rule per resource pattern), and the quotas.
 */
final class StrimziUsers {

    /** The key of the password in the concierge's Secret. */
    static final String PASSWORD_KEY = "password";

    private StrimziUsers() {}

    /**
     * The Secret the concierge keeps the user's password in; not the KafkaUser's own name, which the User Operator
     * gives the Secret it writes (with the JAAS config) for the user.
     */
    static String secretName(String user) {
        return user + "-concierge-password";
    }

    /** What Strimzi cannot express of a user, or null. */
    static String unsupported(UserSpec user) {
        UserSpec.Quotas q = user.quotas();
        if (q == null) {
            return null;
        }
        if (q.requestPercentage() != null && q.requestPercentage() != Math.rint(q.requestPercentage())) {
            return "a KafkaUser's requestPercentage is a whole number; asked " + q.requestPercentage();
        }
        for (Long rate : new Long[] {q.producerByteRate(), q.consumerByteRate()}) {
            if (rate != null && rate > Integer.MAX_VALUE) {
                return "a KafkaUser's byte rates are at most " + Integer.MAX_VALUE + "; asked " + rate;
            }
        }
        return null;
    }

    static KafkaUserSpec spec(UserSpec user) {
        KafkaUserSpec spec = new KafkaUserSpec();
        KafkaUserScramSha512ClientAuthentication authentication = new KafkaUserScramSha512ClientAuthentication();
        PasswordSource source = new PasswordSource();
        source.setSecretKeyRef(new SecretKeySelector(PASSWORD_KEY, secretName(user.name()), false));
        Password password = new Password();
        password.setValueFrom(source);
        authentication.setPassword(password);
        spec.setAuthentication(authentication);
        KafkaUserAuthorizationSimple authorization = new KafkaUserAuthorizationSimple();
        authorization.setAcls(rules(user));
        spec.setAuthorization(authorization);
        UserSpec.Quotas q = user.quotas();
        if (q != null
                && (q.producerByteRate() != null || q.consumerByteRate() != null || q.requestPercentage() != null)) {
            KafkaUserQuotas quotas = new KafkaUserQuotas();
            quotas.setProducerByteRate(q.producerByteRate() == null ? null : Math.toIntExact(q.producerByteRate()));
            quotas.setConsumerByteRate(q.consumerByteRate() == null ? null : Math.toIntExact(q.consumerByteRate()));
            quotas.setRequestPercentage(q.requestPercentage() == null ? null : (int) Math.rint(q.requestPercentage()));
            spec.setQuotas(quotas);
        }
        return spec;
    }

    /** The user's ACLs as Strimzi rules: the operations on one resource pattern in one rule. */
    static List<AclRule> rules(UserSpec user) {
        Map<ResourcePattern, List<AclOperation>> byResource = new LinkedHashMap<>();
        for (AclBinding acl : UserAcls.of(user)) {
            byResource
                    .computeIfAbsent(acl.pattern(), p -> new ArrayList<>())
                    .add(operation(acl.entry().operation()));
        }
        List<AclRule> rules = new ArrayList<>();
        byResource.forEach((pattern, operations) ->
                rules.add(new AclRule(AclRuleType.ALLOW, resource(pattern), "*", List.copyOf(operations))));
        return rules;
    }

    private static AclRuleResource resource(ResourcePattern pattern) {
        AclResourcePatternType type = pattern.patternType() == PatternType.PREFIXED
                ? AclResourcePatternType.PREFIX
                : AclResourcePatternType.LITERAL;
        return switch (pattern.resourceType()) {
            case TOPIC -> {
                AclRuleTopicResource r = new AclRuleTopicResource();
                r.setName(pattern.name());
                r.setPatternType(type);
                yield r;
            }
            case GROUP -> {
                AclRuleGroupResource r = new AclRuleGroupResource();
                r.setName(pattern.name());
                r.setPatternType(type);
                yield r;
            }
            case TRANSACTIONAL_ID -> {
                AclRuleTransactionalIdResource r = new AclRuleTransactionalIdResource();
                r.setName(pattern.name());
                r.setPatternType(type);
                yield r;
            }
            case CLUSTER -> new AclRuleClusterResource();
            default -> throw new IllegalArgumentException("no Strimzi ACL resource for " + pattern.resourceType());
        };
    }

    private static AclOperation operation(org.apache.kafka.common.acl.AclOperation operation) {
        return switch (operation) {
            case READ -> AclOperation.READ;
            case WRITE -> AclOperation.WRITE;
            case DESCRIBE -> AclOperation.DESCRIBE;
            case DESCRIBE_CONFIGS -> AclOperation.DESCRIBECONFIGS;
            case IDEMPOTENT_WRITE -> AclOperation.IDEMPOTENTWRITE;
            default -> throw new IllegalArgumentException("no Strimzi ACL operation for " + operation);
        };
    }
}
