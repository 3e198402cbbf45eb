package io.kafkaconcierge.contracts.kafka;

import io.kafkaconcierge.contracts.UserSpec;
import io.kafkaconcierge.contracts.UserSpec.Access;
import io.kafkaconcierge.contracts.UserSpec.Grant;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.apache.kafka.common.acl.AccessControlEntry;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.acl.AclPermissionType;
import org.apache.kafka.common.resource.PatternType;
import org.apache.kafka.common.resource.ResourcePattern;
import org.apache.kafka.common.resource.ResourceType;

/**
 * The ACLs a user's grants stand for (a pure function): every binding allows, for the user's principal, from any
 * host.
 * <ul>
 * <li>{@code produce}: Write and Describe on the topics; with a transactional id, Write and Describe on it; with
 * {@code idempotent}, IdempotentWrite on the cluster.</li>
 * <li>{@code consume}: Read and Describe on the topics, Read on the consumer group.</li>
 * <li>{@code describe}: Describe and DescribeConfigs on the topics.</li>
 * </ul>
 * The provisioner makes them ({@code createAcls}, a {@code KafkaUser}'s rules); the API's drift report compares a
 * cluster's ACLs with them. One definition for both, hence here.
 */
public final class UserAcls {

    /** The name of the cluster resource in ACLs. */
    private static final String CLUSTER = "kafka-cluster";

    private UserAcls() {}

    public static Set<AclBinding> of(UserSpec user) {
        return of(user.principal(), user.grants());
    }

    /** The ACLs of {@code grants} for {@code principal} ({@code User:<name>}). */
    public static Set<AclBinding> of(String principal, List<Grant> grants) {
        Set<AclBinding> acls = new LinkedHashSet<>();
        for (Grant g : grants) {
            ResourcePattern topic = new ResourcePattern(ResourceType.TOPIC, g.topic(), pattern(g.topicPattern()));
            for (Access access : g.operations()) {
                switch (access) {
                    case PRODUCE -> {
                        acls.add(allow(topic, principal, AclOperation.WRITE));
                        acls.add(allow(topic, principal, AclOperation.DESCRIBE));
                        if (g.transactionalId() != null) {
                            ResourcePattern tx = new ResourcePattern(
                                    ResourceType.TRANSACTIONAL_ID,
                                    g.transactionalId(),
                                    pattern(g.transactionalIdPattern()));
                            acls.add(allow(tx, principal, AclOperation.WRITE));
                            acls.add(allow(tx, principal, AclOperation.DESCRIBE));
                        }
                        if (Boolean.TRUE.equals(g.idempotent())) {
                            acls.add(allow(
                                    new ResourcePattern(ResourceType.CLUSTER, CLUSTER, PatternType.LITERAL),
                                    principal,
                                    AclOperation.IDEMPOTENT_WRITE));
                        }
                    }
                    case CONSUME -> {
                        acls.add(allow(topic, principal, AclOperation.READ));
                        acls.add(allow(topic, principal, AclOperation.DESCRIBE));
                        if (g.group() != null) {
                            acls.add(allow(
                                    new ResourcePattern(ResourceType.GROUP, g.group(), pattern(g.groupPattern())),
                                    principal,
                                    AclOperation.READ));
                        }
                    }
                    case DESCRIBE -> {
                        acls.add(allow(topic, principal, AclOperation.DESCRIBE));
                        acls.add(allow(topic, principal, AclOperation.DESCRIBE_CONFIGS));
                    }
                }
            }
        }
        return acls;
    }

    private static AclBinding allow(ResourcePattern pattern, String principal, AclOperation operation) {
        return new AclBinding(pattern, new AccessControlEntry(principal, "*", operation, AclPermissionType.ALLOW));
    }

    private static PatternType pattern(UserSpec.PatternType type) {
        return type == UserSpec.PatternType.PREFIXED ? PatternType.PREFIXED : PatternType.LITERAL;
    }
}
