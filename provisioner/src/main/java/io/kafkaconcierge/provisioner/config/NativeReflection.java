package io.kafkaconcierge.provisioner.config;

import io.kafkaconcierge.contracts.ClusterInfo;
import io.kafkaconcierge.contracts.InstanceChange;
import io.kafkaconcierge.contracts.InstanceSpec;
import io.kafkaconcierge.contracts.InstanceStatus;
import io.kafkaconcierge.contracts.RequestCommand;
import io.kafkaconcierge.contracts.ResourceRef;
import io.kafkaconcierge.contracts.StatusEvent;
import io.kafkaconcierge.contracts.TopicChange;
import io.kafkaconcierge.contracts.TopicSpec;
import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * For a native image: the contract records are read and written with the shared Jackson mapper outside REST
 * endpoints (Kafka serde, the outcome log, instance.json, resource annotations), where Quarkus cannot see them, and
 * the Strimzi model classes are converted to and from generic resources by Jackson, so they are registered here.
 */
@RegisterForReflection(targets = { RequestCommand.class, StatusEvent.class, ClusterInfo.class, ResourceRef.class,
        TopicSpec.class, TopicChange.class, InstanceSpec.class, InstanceSpec.Storage.class,
        InstanceSpec.Listener.class, InstanceSpec.Resources.class, InstanceChange.class, InstanceStatus.class,
        InstanceStatus.ListenerAddress.class, InstanceStatus.Condition.class,
        io.strimzi.api.kafka.model.kafka.Kafka.class, io.strimzi.api.kafka.model.kafka.KafkaSpec.class,
        io.strimzi.api.kafka.model.kafka.KafkaClusterSpec.class, io.strimzi.api.kafka.model.kafka.KafkaStatus.class,
        io.strimzi.api.kafka.model.kafka.EphemeralStorage.class,
        io.strimzi.api.kafka.model.kafka.PersistentClaimStorage.class,
        io.strimzi.api.kafka.model.kafka.listener.GenericKafkaListener.class,
        io.strimzi.api.kafka.model.kafka.listener.ListenerStatus.class,
        io.strimzi.api.kafka.model.kafka.entityoperator.EntityOperatorSpec.class,
        io.strimzi.api.kafka.model.kafka.entityoperator.EntityTopicOperatorSpec.class,
        io.strimzi.api.kafka.model.nodepool.KafkaNodePool.class,
        io.strimzi.api.kafka.model.nodepool.KafkaNodePoolSpec.class,
        io.strimzi.api.kafka.model.nodepool.KafkaNodePoolStatus.class,
        io.strimzi.api.kafka.model.topic.KafkaTopic.class, io.strimzi.api.kafka.model.topic.KafkaTopicSpec.class,
        io.strimzi.api.kafka.model.topic.KafkaTopicStatus.class, io.strimzi.api.kafka.model.common.Condition.class },
        classNames = { "io.kafkaconcierge.provisioner.instance.local.LocalState",
                "io.kafkaconcierge.provisioner.instance.local.LocalState$Node" })
public final class NativeReflection {

    private NativeReflection() {
    }
}
