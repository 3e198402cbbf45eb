package io.kafkaconcierge.api.view;

import io.kafkaconcierge.contracts.InstanceChange;
import io.kafkaconcierge.contracts.InstanceSpec;
import io.kafkaconcierge.contracts.InstanceStatus;
import io.kafkaconcierge.contracts.Operation;
import io.kafkaconcierge.contracts.RequestState;
import io.kafkaconcierge.contracts.Requester;
import io.kafkaconcierge.contracts.ResourceRef;
import io.kafkaconcierge.contracts.TopicChange;
import io.kafkaconcierge.contracts.TopicSpec;
import io.kafkaconcierge.contracts.UserSpec;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.List;

/**
 * One request as the view has merged it from its command and its events. Mutable, and only touched under
 * {@link RequestView}'s lock.
 */
final class RequestEntry {
    String requestId;
    Operation operation;
    ResourceRef resource;
    TopicSpec spec;
    TopicChange change;
    InstanceSpec instance;
    InstanceChange instanceChange;
    InstanceStatus instanceStatus;
    Requester requestedBy;
    UserSpec user;
    String credential;
    int instanceStatusRank = -1;
    Instant acceptedAt;
    boolean commandSeen;
    /** In its resource's list of requests (what its projection reads). */
    boolean listed;
    /** How many users' lists of access-giving topic creates name it. */
    int accessRefs;

    final EnumMap<RequestState, Transition> transitions = new EnumMap<>(RequestState.class);

    /** The furthest state in {@link #transitions}, kept as they are added (every scan of the view asks it). */
    private RequestState furthest;

    RequestState state() {
        return furthest;
    }

    /** Adds a transition; terminal states are mutually exclusive, and rank after every other. */
    void reached(RequestState state) {
        if (furthest == null || state.rank() > furthest.rank()) {
            furthest = state;
        }
    }

    /** The terminal state reached, if any (at most one is ever kept). */
    RequestState terminal() {
        for (RequestState s : transitions.keySet()) {
            if (s.terminal()) {
                return s;
            }
        }
        return null;
    }

    Transition last() {
        return transitions.get(state());
    }

    void fill(String id, Operation op, ResourceRef ref, TopicSpec spec) {
        this.requestId = id;
        this.operation = op;
        this.resource = ref;
        if (this.spec == null || spec != null) {
            this.spec = spec;
        }
    }

    /** A summarised request in full again, from what {@link #status()} showed (a late record changes it). */
    static RequestEntry of(RequestStatus s, String credential) {
        RequestEntry e = new RequestEntry();
        ResourceRef ref = switch (s.kind()) {
            case TOPIC -> ResourceRef.topic(s.cluster(), s.name());
            case USER -> ResourceRef.user(s.cluster(), s.name());
            case INSTANCE -> ResourceRef.instance(s.name());
        };
        e.fill(s.requestId(), s.operation(), ref, s.spec());
        e.change = s.change();
        e.instance = s.instance();
        e.instanceChange = s.instanceChange();
        e.instanceStatus = s.instanceStatus();
        e.requestedBy = s.requestedBy();
        e.user = s.user();
        e.credential = credential;
        e.acceptedAt = s.acceptedAt();
        e.commandSeen = true;
        for (Transition t : s.history()) {
            e.transitions.put(t.state(), t);
            e.reached(t.state());
        }
        return e;
    }

    /** The request as {@code GET /requests/{id}} shows it. */
    RequestStatus status() {
        List<Transition> history = new ArrayList<>(transitions.values());
        history.sort(Comparator.comparingInt(t -> t.state().rank()));
        Transition last = last();
        return new RequestStatus(
                requestId,
                resource.kind(),
                operation,
                resource.cluster(),
                resource.name(),
                state(),
                last.reason(),
                last.message(),
                spec,
                change,
                acceptedAt,
                last.time(),
                history,
                instance,
                instanceChange,
                instanceStatus,
                requestedBy,
                user,
                credential != null && state() != null && !state().terminal() ? Boolean.TRUE : null,
                null);
    }
}
