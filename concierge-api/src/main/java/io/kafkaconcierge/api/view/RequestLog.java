package io.kafkaconcierge.api.view;

import io.kafkaconcierge.contracts.Operation;
import io.kafkaconcierge.contracts.RequestCommand;
import io.kafkaconcierge.contracts.RequestState;
import io.kafkaconcierge.contracts.ResourceKind;
import io.kafkaconcierge.contracts.ResourceRef;
import io.kafkaconcierge.contracts.StatusEvent;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Every request the view knows, merged from commands and events, and the indexes the projections read: request ids
 * by resource key in command order, the topic creates that grant a user access, the latest health change of each
 * instance. Merging is order-independent: a request's state is the furthest state any record reported, so an event
 * read before its command, or a record read twice, leaves the same log. Not thread-safe: {@link RequestView} guards
 * it.
 */
final class RequestLog {

    private final Map<String, RequestEntry> requests = new HashMap<>();
    /** Request ids of each topic key, in command order (the order of its partition of concierge.requests). */
    private final Map<String, List<String>> topicRequests = new TreeMap<>();
    /** Request ids of each instance key, in command order. */
    private final Map<String, List<String>> instanceRequests = new TreeMap<>();
    /** Request ids of each user key, in command order. */
    private final Map<String, List<String>> userRequests = new TreeMap<>();
    /** Request ids of the topic creates that give a user access, by the user's key, in command order. */
    private final Map<String, List<String>> accessRequests = new HashMap<>();
    /** The latest health change of each instance key (events with a sequence). */
    private final Map<String, StatusEvent> instanceHealth = new HashMap<>();

    void applyCommand(RequestCommand command) {
        RequestEntry e = requests.computeIfAbsent(command.requestId(), id -> new RequestEntry());
        e.fill(command.requestId(), command.operation(), command.resource(), command.spec());
        e.change = command.change();
        if (command.instance() != null) {
            e.instance = command.instance();
        }
        e.instanceChange = command.instanceChange();
        e.requestedBy = command.requestedBy();
        if (command.user() != null) {
            e.user = command.user();
            e.credential = command.credential();
        }
        e.acceptedAt = command.acceptedAt();
        e.transitions.merge(
                RequestState.ACCEPTED,
                new Transition(RequestState.ACCEPTED, command.acceptedAt(), null, null),
                (old, neu) -> neu);
        e.reached(RequestState.ACCEPTED);
        if (!e.commandSeen) {
            e.commandSeen = true;
            requestsOf(command.resource().kind())
                    .computeIfAbsent(command.resource().key(), k -> new ArrayList<>())
                    .add(command.requestId());
            if (command.operation() == Operation.CREATE && command.spec() != null) {
                command.spec()
                        .access()
                        .forEach(a -> accessRequests
                                .computeIfAbsent(
                                        ResourceRef.user(command.resource().cluster(), a.user())
                                                .key(),
                                        k -> new ArrayList<>())
                                .add(command.requestId()));
            }
        }
    }

    void applyEvent(StatusEvent event) {
        if (event.sequence() != null) {
            // a health change after the request ended: the latest one counts, whatever order they are read in
            instanceHealth.merge(
                    event.resource().key(), event, (old, neu) -> neu.sequence() > old.sequence() ? neu : old);
            return;
        }
        RequestEntry e = requests.computeIfAbsent(event.requestId(), id -> new RequestEntry());
        e.fill(event.requestId(), event.operation(), event.resource(), event.spec());
        if (event.instance() != null && e.instance == null) {
            e.instance = event.instance();
        }
        if (event.user() != null && e.user == null) {
            e.user = event.user();
        }
        if (event.instanceStatus() != null && event.state().rank() > e.instanceStatusRank) {
            e.instanceStatus = event.instanceStatus();
            e.instanceStatusRank = event.state().rank();
        }
        if (e.acceptedAt == null && event.state() == RequestState.ACCEPTED) {
            e.acceptedAt = event.time();
        }
        if (event.state().terminal() && e.terminal() != null && e.terminal() != event.state()) {
            // the first terminal state read is the request's end: a late outcome (a READY after the deadline's
            // FAILED) does not change it. Events of one request share a partition, so every replica reads the same
            // first one.
            return;
        }
        // the first report of a state wins; the API's own ACCEPTED (from the command) is the earliest
        e.transitions.putIfAbsent(
                event.state(), new Transition(event.state(), event.time(), event.reason(), event.message()));
        e.reached(event.state());
    }

    private Map<String, List<String>> requestsOf(ResourceKind kind) {
        return switch (kind) {
            case INSTANCE -> instanceRequests;
            case USER -> userRequests;
            default -> topicRequests;
        };
    }

    RequestEntry entry(String requestId) {
        return requests.get(requestId);
    }

    Collection<RequestEntry> entries() {
        return requests.values();
    }

    /** The resource keys of a kind that have at least one command, sorted. */
    Set<String> keys(ResourceKind kind) {
        return requestsOf(kind).keySet();
    }

    /** The request ids of a resource, in command order; null if it has none. */
    List<String> requestIds(ResourceKind kind, String key) {
        return requestsOf(kind).get(key);
    }

    /** The topic creates that give the user {@code userKey} access, in command order; null if none. */
    List<String> accessRequests(String userKey) {
        return accessRequests.get(userKey);
    }

    /** The latest health change of an instance, or null. */
    StatusEvent health(String instanceKey) {
        return instanceHealth.get(instanceKey);
    }

    /** When the instance named {@code cluster} was last deleted, or null if it never was (or is no instance). */
    Instant instanceDeletedAt(String cluster) {
        List<String> ids = instanceRequests.get(ResourceRef.instance(cluster).key());
        Instant deleted = null;
        if (ids != null) {
            for (String id : ids) {
                RequestEntry e = requests.get(id);
                if (e.operation == Operation.DELETE && e.state() == RequestState.DELETED) {
                    deleted = e.last().time();
                }
            }
        }
        return deleted;
    }
}
