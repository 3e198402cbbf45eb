package io.kafkaconcierge.notifier.config;

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
 * endpoints (Kafka serde, the view loader), where Quarkus cannot see them, so they are registered here.
 */
@RegisterForReflection(targets = { RequestCommand.class, StatusEvent.class, ClusterInfo.class, ResourceRef.class,
        TopicSpec.class, TopicChange.class, InstanceSpec.class, InstanceSpec.Storage.class,
        InstanceSpec.Listener.class, InstanceSpec.Resources.class, InstanceChange.class, InstanceStatus.class,
        InstanceStatus.ListenerAddress.class, InstanceStatus.Condition.class })
public final class NativeReflection {

    private NativeReflection() {
    }
}
