package io.kafkaconcierge.api.view;

import io.kafkaconcierge.contracts.FailureReason;
import io.kafkaconcierge.contracts.InstanceSpec;
import io.kafkaconcierge.contracts.InstanceStatus;
import io.kafkaconcierge.contracts.Operation;
import io.kafkaconcierge.contracts.RequestState;
import io.kafkaconcierge.contracts.ResourceKind;
import io.kafkaconcierge.contracts.StatusEvent;
import io.kafkaconcierge.contracts.TopicSpec;
import io.kafkaconcierge.contracts.UserSpec;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * What a resource looks like now, from its requests in a {@link RequestLog}: the spec in force (the last READY
 * request's), the spec asked for (the latest request's), the state and its reason, and for an instance its health
 * after the request ended. Pure functions of the log; a resource whose instance was deleted after its last request
 * shows as DELETED with it.
 */
final class Projections {

    private Projections() {}

    static UserStatus user(RequestLog log, String key) {
        List<String> ids = log.requestIds(ResourceKind.USER, key);
        if (ids == null || ids.isEmpty()) {
            return null;
        }
        UserSpec applied = null;
        Instant appliedAt = null;
        RequestEntry latest = null;
        for (String id : ids) {
            RequestEntry e = log.entry(id);
            RequestState s = e.state();
            if (s == RequestState.READY) {
                applied = e.user;
                appliedAt = e.acceptedAt;
            } else if (s == RequestState.DELETED) {
                applied = null;
            }
            latest = e;
        }
        UserSpec requested = latest.user;
        if (latest.operation != Operation.DELETE) {
            requested = withAccess(log, key, requested, latest.acceptedAt, false);
            applied = withAccess(log, key, applied, appliedAt, true);
        }
        return shown(log, latest, applied, requested, requested == null ? null : requested.owner(), UserStatus::new);
    }

    /**
     * The user's spec with the grants that topic creates accepted after {@code since} gave it ({@code access}): they
     * are its grants from then on, so that the next change of the user carries them (a request built on an older
     * spec had them merged already, as the API reads this view caught up). Creates that FAILED give nothing;
     * with {@code readyOnly}, only READY ones count (the spec in force).
     */
    private static UserSpec withAccess(
            RequestLog log, String userKey, UserSpec user, Instant since, boolean readyOnly) {
        List<String> ids = log.accessRequests(userKey);
        if (user == null || ids == null) {
            return user;
        }
        List<UserSpec.Grant> grants = new ArrayList<>(user.grants());
        for (String id : ids) {
            RequestEntry e = log.entry(id);
            RequestState s = e == null ? null : e.state();
            if (e == null
                    || e.spec == null
                    || s == RequestState.FAILED
                    || (readyOnly && s != RequestState.READY)
                    || (since != null && e.acceptedAt != null && !e.acceptedAt.isAfter(since))) {
                continue;
            }
            e.spec.access().stream()
                    .filter(a -> a.user().equals(user.name()))
                    .map(a -> a.grant(e.spec.name()))
                    .filter(g -> !grants.contains(g))
                    .forEach(grants::add);
        }
        return grants.size() == user.grants().size()
                ? user
                : new UserSpec(user.cluster(), user.name(), user.owner(), grants, user.quotas(), user.description());
    }

    static TopicStatus topic(RequestLog log, String key) {
        List<String> ids = log.requestIds(ResourceKind.TOPIC, key);
        if (ids == null || ids.isEmpty()) {
            return null;
        }
        TopicSpec applied = null;
        RequestEntry latest = null;
        for (String id : ids) {
            RequestEntry e = log.entry(id);
            RequestState s = e.state();
            if (s == RequestState.READY) {
                applied = e.spec;
            } else if (s == RequestState.DELETED) {
                applied = null;
            }
            latest = e;
        }
        TopicSpec requested = latest.spec;
        return shown(log, latest, applied, requested, requested == null ? null : requested.owner(), TopicStatus::new);
    }

    /** A topic's or a user's status: {@link TopicStatus} and {@link UserStatus} have the same components. */
    @FunctionalInterface
    private interface StatusOf<S, T> {
        T of(
                String cluster,
                String name,
                String owner,
                RequestState state,
                S spec,
                S requested,
                String lastRequestId,
                Operation lastOperation,
                FailureReason reason,
                String message,
                Instant updatedAt);
    }

    /**
     * What a topic or user shows, from its latest request and the spec in force; one whose cluster was a dedicated
     * instance deleted after that request went with it: DELETED.
     */
    private static <S, T> T shown(
            RequestLog log, RequestEntry latest, S applied, S requested, String owner, StatusOf<S, T> status) {
        String cluster = latest.resource.cluster();
        Instant instanceDeleted = log.instanceDeletedAt(cluster);
        if (instanceDeleted != null && latest.acceptedAt != null && latest.acceptedAt.isBefore(instanceDeleted)) {
            return status.of(
                    cluster,
                    latest.resource.name(),
                    owner,
                    RequestState.DELETED,
                    null,
                    requested,
                    latest.requestId,
                    Operation.DELETE,
                    null,
                    "deleted with instance " + cluster,
                    instanceDeleted);
        }
        Transition last = latest.last();
        return status.of(
                cluster,
                latest.resource.name(),
                owner,
                latest.state(),
                applied,
                requested,
                latest.requestId,
                latest.operation,
                last.reason(),
                last.message(),
                last.time());
    }

    static InstanceView instance(RequestLog log, String key) {
        List<String> ids = log.requestIds(ResourceKind.INSTANCE, key);
        if (ids == null || ids.isEmpty()) {
            return null;
        }
        InstanceSpec applied = null;
        InstanceStatus reported = null;
        RequestEntry latest = null;
        for (String id : ids) {
            RequestEntry e = log.entry(id);
            RequestState s = e.state();
            if (s == RequestState.READY) {
                applied = e.instance;
            } else if (s == RequestState.DELETED) {
                applied = null;
            }
            if (e.instanceStatus != null) {
                reported = e.instanceStatus;
            }
            latest = e;
        }
        Transition last = latest.last();
        RequestState state = latest.state();
        Instant updated = last.time();
        StatusEvent health = log.health(key);
        if (health != null && health.requestId().equals(latest.requestId)) {
            boolean healthChange = health.state() == RequestState.DEGRADED || health.state() == RequestState.READY;
            if (state == RequestState.READY && healthChange) {
                // after the request: the instance's health since
                state = health.state();
                updated = health.time();
                if (health.instanceStatus() != null) {
                    reported = health.instanceStatus();
                }
            } else if (!state.terminal() && !healthChange && health.instanceStatus() != null) {
                // during the request: what the backend reported meanwhile (a NotReady reason), the step unchanged
                reported = health.instanceStatus();
            }
        }
        InstanceSpec requested = latest.instance;
        InstanceSpec shown = applied != null ? applied : requested;
        return new InstanceView(
                latest.resource.name(),
                shown == null ? null : shown.owner(),
                state,
                reported == null ? null : reported.backend(),
                reported != null && reported.kafkaVersion() != null
                        ? reported.kafkaVersion()
                        : shown == null ? null : shown.kafkaVersion(),
                shown == null ? null : shown.brokers(),
                reported == null ? null : reported.readyBrokers(),
                reported == null ? List.of() : reported.listeners(),
                reported == null ? List.of() : reported.conditions(),
                applied,
                requested,
                latest.requestId,
                latest.operation,
                last.reason(),
                last.message(),
                updated);
    }
}
