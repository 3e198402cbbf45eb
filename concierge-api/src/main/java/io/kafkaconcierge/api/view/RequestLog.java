package io.kafkaconcierge.api.view;

import io.kafkaconcierge.contracts.Json;
import io.kafkaconcierge.contracts.Operation;
import io.kafkaconcierge.contracts.RequestCommand;
import io.kafkaconcierge.contracts.RequestState;
import io.kafkaconcierge.contracts.ResourceKind;
import io.kafkaconcierge.contracts.ResourceRef;
import io.kafkaconcierge.contracts.StatusEvent;
import java.io.ByteArrayOutputStream;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Consumer;
import java.util.zip.DataFormatException;
import java.util.zip.Deflater;
import java.util.zip.Inflater;

/**
 * Every request the view knows, merged from commands and events, and the indexes the projections read: request ids
 * by resource key in command order, the topic creates that grant a user access, the latest health change of each
 * instance. Merging is order-independent: a request's state is the furthest state any record reported, so an event
 * read before its command, or a record read twice, leaves the same log. Not thread-safe: {@link RequestView} guards
 * it.
 *
 * <p>Bounded (with {@link Bounds}): a topic's or user's request that can no longer change what its resource shows
 * (an end before the resource's last READY or DELETED end, any FAILED one before its latest request) leaves the
 * resource's list and is kept as a summary: its {@code GET /requests/{id}} answer, serialized and deflated, in a
 * history bounded by count and age. A topic or user whose only request left is its end (deleted, or a create that
 * failed), or whose requests all ended before its instance was deleted, is gone: it is shown as such until the
 * bounds push it out, then no more. So memory follows the live
 * resources and the bounds, not the number of requests ever made. Instances are few and keep all their requests.
 * See DESIGN.md.
 */
final class RequestLog {

    /**
     * How much history a bounded log keeps.
     *
     * @param requests superseded requests kept as summaries (the oldest go first)
     * @param goneResources topics and users shown after they were deleted (the oldest go first)
     * @param window how long either is kept at most, measured on the records' own times
     */
    record Bounds(int requests, int goneResources, Duration window) {}

    /** A superseded request: its status as {@code GET /requests/{id}} answers it, deflated JSON. */
    private record Summary(byte[] status, String credential, Instant time) {}

    /** A resource with nothing left on its cluster, since when. */
    private record Gone(ResourceKind kind, Instant since) {}

    /** Null: every request is kept in full (what the tests compare a bounded log with). */
    private final Bounds bounds;

    private final Map<String, Summary> history = new LinkedHashMap<>();
    private final Map<String, Gone> gone = new LinkedHashMap<>();
    /** Resource keys that left the log since {@link #takeEvicted()} was last called. */
    private List<String> evicted = new ArrayList<>();
    /** The newest record time read: the age bound is measured from it, so that a replay decides as the first read. */
    private Instant newest = Instant.EPOCH;

    private final Deflater deflater = new Deflater(Deflater.BEST_SPEED);
    private final Inflater inflater = new Inflater();

    RequestLog() {
        this(null);
    }

    RequestLog(Bounds bounds) {
        this.bounds = bounds;
    }

    private final Map<String, RequestEntry> requests = new HashMap<>();
    /** Request ids of each topic key, in command order (the order of its partition of concierge.requests). */
    private final TreeMap<String, List<String>> topicRequests = new TreeMap<>();
    /** Request ids of each instance key, in command order. */
    private final TreeMap<String, List<String>> instanceRequests = new TreeMap<>();
    /** Request ids of each user key, in command order. */
    private final TreeMap<String, List<String>> userRequests = new TreeMap<>();
    /** Request ids of the topic creates that give a user access, by the user's key, in command order. */
    private final Map<String, List<String>> accessRequests = new HashMap<>();
    /** The latest health change of each instance key (events with a sequence). */
    private final Map<String, StatusEvent> instanceHealth = new HashMap<>();

    void applyCommand(RequestCommand command) {
        seen(command.acceptedAt());
        // the command read again after its request was summarised: merged into the summary, as in full
        if (mergedIntoSummary(command.requestId(), e -> mergeCommand(e, command))) {
            return;
        }
        RequestEntry e = requests.computeIfAbsent(command.requestId(), id -> new RequestEntry());
        mergeCommand(e, command);
        if (!e.commandSeen) {
            e.commandSeen = true;
            e.listed = true;
            requestsOf(command.resource().kind())
                    .computeIfAbsent(command.resource().key(), k -> new ArrayList<>())
                    .add(command.requestId());
            if (command.operation() == Operation.CREATE && command.spec() != null) {
                command.spec().access().forEach(a -> {
                    List<String> ids = accessRequests.computeIfAbsent(
                            ResourceRef.user(command.resource().cluster(), a.user())
                                    .key(),
                            k -> new ArrayList<>());
                    if (!ids.contains(command.requestId())) {
                        ids.add(command.requestId());
                        e.accessRefs++;
                    }
                });
            }
        }
        settle(command.resource());
    }

    private static void mergeCommand(RequestEntry e, RequestCommand command) {
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
    }

    void applyEvent(StatusEvent event) {
        if (event.sequence() != null) {
            // a health change after the request ended: the latest one counts, whatever order they are read in
            instanceHealth.merge(
                    event.resource().key(), event, (old, neu) -> neu.sequence() > old.sequence() ? neu : old);
            return;
        }
        seen(event.time());
        // a late report of a summarised request (its end is known, so at most a step it had not reported)
        if (mergedIntoSummary(event.requestId(), e -> mergeEvent(e, event))) {
            return;
        }
        RequestEntry e = requests.computeIfAbsent(event.requestId(), id -> new RequestEntry());
        mergeEvent(e, event);
        if (e.listed) {
            settle(event.resource());
        }
    }

    private static void mergeEvent(RequestEntry e, StatusEvent event) {
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

    private TreeMap<String, List<String>> requestsOf(ResourceKind kind) {
        return switch (kind) {
            case INSTANCE -> instanceRequests;
            case USER -> userRequests;
            default -> topicRequests;
        };
    }

    RequestEntry entry(String requestId) {
        return requests.get(requestId);
    }

    /** A request as {@code GET /requests/{id}} shows it, in full or from its summary; null if not (or no more) kept. */
    RequestStatus status(String requestId) {
        RequestEntry e = requests.get(requestId);
        if (e != null) {
            return e.state() == null ? null : e.status();
        }
        Summary summary = history.get(requestId);
        return summary == null ? null : read(summary.status());
    }

    /** The sealed password a user request carries, in full or summarised; null if none. */
    String credential(String requestId) {
        RequestEntry e = requests.get(requestId);
        if (e != null) {
            return e.credential;
        }
        Summary summary = history.get(requestId);
        return summary == null ? null : summary.credential();
    }

    /** Requests kept in full, summarised, and resources shown as gone: what the view's memory follows. */
    record Sizes(int full, int summaries, int gone) {}

    Sizes sizes() {
        return new Sizes(requests.size(), history.size(), gone.size());
    }

    /** The keys of the resources that left the log since the last call (their projections are gone too). */
    List<String> takeEvicted() {
        if (evicted.isEmpty()) {
            return List.of();
        }
        List<String> keys = evicted;
        evicted = new ArrayList<>();
        return keys;
    }

    private void seen(Instant time) {
        if (time != null && time.isAfter(newest)) {
            newest = time;
        }
    }

    /**
     * After a record about {@code resource}: its requests that can no longer change what it shows leave its list
     * (see {@link Projections}: the spec in force is the last READY end's unless a DELETED end came after it; the
     * latest request is what it shows otherwise). Then whether the resource is gone, and the bounds.
     */
    private void settle(ResourceRef resource) {
        if (bounds == null) {
            return;
        }
        if (resource.kind() == ResourceKind.INSTANCE) {
            // its topics and users went with it if it was deleted
            for (ResourceKind kind : List.of(ResourceKind.TOPIC, ResourceKind.USER)) {
                String prefix = kind == ResourceKind.TOPIC
                        ? ResourceRef.topic(resource.name(), "").key()
                        : ResourceRef.user(resource.name(), "").key();
                requestsOf(kind).subMap(prefix, prefix + Character.MAX_VALUE).forEach((key, ids) -> {
                    Instant since = goneSince(ids);
                    if (since != null && !gone.containsKey(key)) {
                        gone.put(key, new Gone(kind, since));
                    }
                });
            }
            bound();
            return;
        }
        String key = resource.key();
        List<String> ids = requestsOf(resource.kind()).get(key);
        if (ids == null || ids.isEmpty()) {
            return;
        }
        int last = ids.size() - 1;
        int decider = -1;
        for (int i = last; i >= 0 && decider < 0; i--) {
            RequestState s = requests.get(ids.get(i)).state();
            if (s == RequestState.READY || s == RequestState.DELETED) {
                decider = i;
            }
        }
        for (int i = last - 1; i >= 0; i--) {
            RequestEntry e = requests.get(ids.get(i));
            RequestState s = e.state();
            if (s != null && s.terminal() && (s == RequestState.FAILED || i < decider)) {
                ids.remove(i);
                e.listed = false;
                if (e.accessRefs > 0 && s == RequestState.FAILED) {
                    dropAccess(e); // a failed create gives nothing
                }
                retire(e);
            }
        }
        if (resource.kind() == ResourceKind.USER) {
            pruneAccess(key, ids);
        }
        Instant since = goneSince(ids);
        gone.remove(key);
        if (since != null) {
            gone.put(key, new Gone(resource.kind(), since));
        }
        bound();
    }

    /**
     * Since when a topic or user with these requests has nothing on its cluster, or null: its only request left is
     * its end (DELETED, or a create that FAILED), or every request of it ended before its instance was deleted.
     */
    private Instant goneSince(List<String> ids) {
        RequestEntry only = ids.size() == 1 ? requests.get(ids.get(0)) : null;
        if (only != null
                && (only.state() == RequestState.DELETED
                        || (only.state() == RequestState.FAILED && only.operation == Operation.CREATE))) {
            return only.last().time();
        }
        RequestEntry latest = requests.get(ids.get(ids.size() - 1));
        Instant instanceDeleted = instanceDeletedAt(latest.resource.cluster());
        if (instanceDeleted == null || latest.acceptedAt == null || !latest.acceptedAt.isBefore(instanceDeleted)) {
            return null;
        }
        for (String id : ids) {
            RequestState s = requests.get(id).state();
            if (s == null || !s.terminal()) {
                return null; // its deadline ends it first
            }
        }
        return instanceDeleted;
    }

    /**
     * The topic creates that gave the user access and can no longer count (see {@code Projections.withAccess}: only
     * creates accepted after the user's latest request, or after its spec in force, add grants) leave its list. Read
     * in command order, a user's later requests were accepted after the earlier ones'.
     */
    private void pruneAccess(String userKey, List<String> userIds) {
        List<String> access = accessRequests.get(userKey);
        if (access == null) {
            return;
        }
        Instant since = null;
        boolean decided = false;
        for (int i = userIds.size() - 1; i >= 0; i--) {
            RequestEntry e = requests.get(userIds.get(i));
            since = e.acceptedAt == null || (since != null && since.isBefore(e.acceptedAt)) ? since : e.acceptedAt;
            if (e.state() == RequestState.READY) {
                decided = true;
                break;
            }
        }
        if (!decided || since == null) {
            return;
        }
        Iterator<String> it = access.iterator();
        while (it.hasNext()) {
            RequestEntry e = requests.get(it.next());
            if (e != null && e.acceptedAt != null && !e.acceptedAt.isAfter(since)) {
                it.remove();
                e.accessRefs--;
                retire(e);
            }
        }
        if (access.isEmpty()) {
            accessRequests.remove(userKey);
        }
    }

    private void dropAccess(RequestEntry e) {
        e.spec.access().forEach(a -> {
            String userKey = ResourceRef.user(e.resource.cluster(), a.user()).key();
            List<String> ids = accessRequests.get(userKey);
            if (ids != null && ids.remove(e.requestId)) {
                e.accessRefs--;
                if (ids.isEmpty()) {
                    accessRequests.remove(userKey);
                }
            }
        });
    }

    /** A request nothing reads in full any more becomes a summary. */
    private void retire(RequestEntry e) {
        if (e.listed || e.accessRefs > 0) {
            return;
        }
        requests.remove(e.requestId);
        history.put(e.requestId, summarise(e, e.credential));
    }

    /** The oldest summaries and gone resources past the bounds leave the log. */
    private void bound() {
        Instant before = newest.minus(bounds.window());
        Iterator<Map.Entry<String, Gone>> g = gone.entrySet().iterator();
        while (g.hasNext()) {
            Map.Entry<String, Gone> eldest = g.next();
            if (gone.size() <= bounds.goneResources()
                    && !eldest.getValue().since().isBefore(before)) {
                break;
            }
            g.remove();
            evicted.add(eldest.getKey());
            if (eldest.getValue().kind() == ResourceKind.USER) {
                // what its grants came from: a user made again later counts only creates accepted after it
                List<String> access = accessRequests.remove(eldest.getKey());
                for (String id : access == null ? List.<String>of() : access) {
                    RequestEntry e = requests.get(id);
                    e.accessRefs--;
                    retire(e);
                }
            }
            List<String> ids = requestsOf(eldest.getValue().kind()).remove(eldest.getKey());
            for (String id : ids == null ? List.<String>of() : ids) {
                RequestEntry e = requests.get(id);
                e.listed = false;
                if (e.accessRefs > 0 && e.state() == RequestState.FAILED) {
                    dropAccess(e);
                }
                retire(e);
            }
        }
        Iterator<Summary> h = history.values().iterator();
        while (h.hasNext()) {
            Summary eldest = h.next();
            if (history.size() <= bounds.requests() && !eldest.time().isBefore(before)) {
                break;
            }
            h.remove();
        }
    }

    private Summary summarise(RequestEntry e, String credential) {
        byte[] json = Json.write(e.status());
        deflater.reset();
        deflater.setInput(json);
        deflater.finish();
        ByteArrayOutputStream out = new ByteArrayOutputStream(json.length / 2 + 16);
        byte[] buffer = new byte[1024];
        while (!deflater.finished()) {
            out.write(buffer, 0, deflater.deflate(buffer));
        }
        return new Summary(out.toByteArray(), credential, e.last().time());
    }

    private RequestStatus read(byte[] deflated) {
        inflater.reset();
        inflater.setInput(deflated);
        ByteArrayOutputStream out = new ByteArrayOutputStream(deflated.length * 3);
        byte[] buffer = new byte[1024];
        try {
            while (!inflater.finished()) {
                int n = inflater.inflate(buffer);
                if (n == 0 && (inflater.needsInput() || inflater.needsDictionary())) {
                    throw new IllegalStateException("a request summary is cut short");
                }
                out.write(buffer, 0, n);
            }
        } catch (DataFormatException e) {
            throw new IllegalStateException("a request summary does not inflate", e);
        }
        return Json.read(out.toByteArray(), RequestStatus.class);
    }

    /** Merges a record into a summarised request (inflated, merged, summarised again); false if it is none. */
    private boolean mergedIntoSummary(String requestId, Consumer<RequestEntry> merge) {
        Summary summary = history.get(requestId);
        if (summary == null) {
            return false;
        }
        RequestEntry e = inflate(summary);
        merge.accept(e);
        history.put(requestId, summarise(e, summary.credential()));
        return true;
    }

    private RequestEntry inflate(Summary summary) {
        return RequestEntry.of(read(summary.status()), summary.credential());
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
