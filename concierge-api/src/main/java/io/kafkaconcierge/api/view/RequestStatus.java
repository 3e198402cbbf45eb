package io.kafkaconcierge.api.view;

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
import io.kafkaconcierge.contracts.UserSpec;
import java.time.Instant;
import java.util.List;

/**
 * A request as a REST client sees it: where it is now and how it got there. For a user: {@code user} (its spec) and,
 * once, {@code credential}; {@code credentialPending} says a new password will be shown when the request is READY.
 */
public record RequestStatus(
        String requestId,
        ResourceKind kind,
        Operation operation,
        String cluster,
        String name,
        RequestState state,
        FailureReason reason,
        String message,
        TopicSpec spec,
        TopicChange change,
        Instant acceptedAt,
        Instant updatedAt,
        List<Transition> history,
        InstanceSpec instance,
        InstanceChange instanceChange,
        InstanceStatus instanceStatus,
        Requester requestedBy,
        UserSpec user,
        Boolean credentialPending,
        Credential credential) {

    public RequestStatus(
            String requestId,
            ResourceKind kind,
            Operation operation,
            String cluster,
            String name,
            RequestState state,
            FailureReason reason,
            String message,
            TopicSpec spec,
            TopicChange change,
            Instant acceptedAt,
            Instant updatedAt,
            List<Transition> history,
            InstanceSpec instance,
            InstanceChange instanceChange,
            InstanceStatus instanceStatus,
            Requester requestedBy) {
        this(
                requestId,
                kind,
                operation,
                cluster,
                name,
                state,
                reason,
                message,
                spec,
                change,
                acceptedAt,
                updatedAt,
                history,
                instance,
                instanceChange,
                instanceStatus,
                requestedBy,
                null,
                null,
                null);
    }

    /** This status with the password shown. */
    public RequestStatus withCredential(Credential shown) {
        return new RequestStatus(
                requestId,
                kind,
                operation,
                cluster,
                name,
                state,
                reason,
                message,
                spec,
                change,
                acceptedAt,
                updatedAt,
                history,
                instance,
                instanceChange,
                instanceStatus,
                requestedBy,
                user,
                null,
                shown);
    }

    /** The team that owns what the request is about. */
    public String owner() {
        if (instance != null) {
            return instance.owner();
        }
        if (user != null) {
            return user.owner();
        }
        return spec == null ? null : spec.owner();
    }
}
