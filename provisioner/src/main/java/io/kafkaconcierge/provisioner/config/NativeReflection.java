package io.kafkaconcierge.provisioner.config;

import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * For a native image: the local backend's state file and the Strimzi model classes (converted to and from generic
 * resources) are read by Jackson where Quarkus cannot see them. The contract records are registered once for every
 * service by the contracts jar ({@code META-INF/native-image/io.kafkaconcierge/contracts/reflect-config.json}).
 */
@RegisterForReflection(
        targets = {
            io.strimzi.api.kafka.model.kafka.Kafka.class,
            io.strimzi.api.kafka.model.kafka.KafkaSpec.class,
            io.strimzi.api.kafka.model.kafka.KafkaClusterSpec.class,
            io.strimzi.api.kafka.model.kafka.KafkaStatus.class,
            io.strimzi.api.kafka.model.kafka.EphemeralStorage.class,
            io.strimzi.api.kafka.model.kafka.PersistentClaimStorage.class,
            io.strimzi.api.kafka.model.kafka.listener.GenericKafkaListener.class,
            io.strimzi.api.kafka.model.kafka.listener.ListenerStatus.class,
            io.strimzi.api.kafka.model.kafka.entityoperator.EntityOperatorSpec.class,
            io.strimzi.api.kafka.model.kafka.entityoperator.EntityTopicOperatorSpec.class,
            io.strimzi.api.kafka.model.nodepool.KafkaNodePool.class,
            io.strimzi.api.kafka.model.nodepool.KafkaNodePoolSpec.class,
            io.strimzi.api.kafka.model.nodepool.KafkaNodePoolStatus.class,
            io.strimzi.api.kafka.model.topic.KafkaTopic.class,
            io.strimzi.api.kafka.model.topic.KafkaTopicSpec.class,
            io.strimzi.api.kafka.model.topic.KafkaTopicStatus.class,
            io.strimzi.api.kafka.model.common.Condition.class,
            io.strimzi.api.kafka.model.kafka.entityoperator.EntityUserOperatorSpec.class,
            io.strimzi.api.kafka.model.user.KafkaUser.class,
            io.strimzi.api.kafka.model.user.KafkaUserSpec.class,
            io.strimzi.api.kafka.model.user.KafkaUserStatus.class,
            io.strimzi.api.kafka.model.user.KafkaUserQuotas.class,
            io.strimzi.api.kafka.model.user.KafkaUserScramSha512ClientAuthentication.class,
            io.strimzi.api.kafka.model.user.KafkaUserAuthorizationSimple.class,
            io.strimzi.api.kafka.model.user.acl.AclRule.class,
            io.strimzi.api.kafka.model.user.acl.AclRuleTopicResource.class,
            io.strimzi.api.kafka.model.user.acl.AclRuleGroupResource.class,
            io.strimzi.api.kafka.model.user.acl.AclRuleClusterResource.class,
            io.strimzi.api.kafka.model.user.acl.AclRuleTransactionalIdResource.class,
            io.strimzi.api.kafka.model.common.Password.class,
            io.strimzi.api.kafka.model.common.PasswordSource.class
        },
        classNames = {
            "io.kafkaconcierge.provisioner.instance.local.LocalState",
            "io.kafkaconcierge.provisioner.instance.local.LocalState$Node"
        })
public final class NativeReflection {

    private NativeReflection() {}
}
