package io.kafkaconcierge.api.view;

import java.time.Instant;
import java.util.List;

import io.kafkaconcierge.contracts.FailureReason;
import io.kafkaconcierge.contracts.InstanceChange;
import io.kafkaconcierge.contracts.InstanceSpec;
import io.kafkaconcierge.contracts.InstanceStatus;
import io.kafkaconcierge.contracts.Operation;
import io.kafkaconcierge.contracts.RequestState;
import io.kafkaconcierge.contracts.Requester;
import io.kafkaconcierge.contracts.ResourceKind;
import io.kafkaconcierge.contracts.TopicChange;
import io.kafkaconcierge.contracts.TopicSpec;

/** A request as a REST client sees it: where it is now and how it got there. */
public record RequestStatus(String requestId, ResourceKind kind, Operation operation, String cluster, String name,
        RequestState state, FailureReason reason, String message, TopicSpec spec, TopicChange change,
        Instant acceptedAt, Instant updatedAt, List<Transition> history, InstanceSpec instance,
        InstanceChange instanceChange, InstanceStatus instanceStatus, Requester requestedBy) {
}
