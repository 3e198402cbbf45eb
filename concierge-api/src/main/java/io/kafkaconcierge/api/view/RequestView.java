package io.kafkaconcierge.api.view;

import io.kafkaconcierge.contracts.ClusterInfo;
import io.kafkaconcierge.contracts.InstanceChange;
import io.kafkaconcierge.contracts.InstanceSpec;
import io.kafkaconcierge.contracts.InstanceStatus;
import io.kafkaconcierge.contracts.Operation;
import io.kafkaconcierge.contracts.RequestCommand;
import io.kafkaconcierge.contracts.RequestState;
import io.kafkaconcierge.contracts.Requester;
import io.kafkaconcierge.contracts.ResourceKind;
import io.kafkaconcierge.contracts.ResourceRef;
import io.kafkaconcierge.contracts.StatusEvent;
import io.kafkaconcierge.contracts.TopicChange;
import io.kafkaconcierge.contracts.TopicSpec;
import io.kafkaconcierge.contracts.UserSpec;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Predicate;

/**
 * The API's read model, built from {@code concierge.requests}, {@code concierge.events} and
 * {@code concierge.clusters}. Merging is order-independent: a request's state is the furthest state any record
 * reported, so an event read before its command, or a record read twice, leaves the same view. See DESIGN.md.
 */
@ApplicationScoped
public class RequestView {

    /** An Idempotency-Key as first used. */
    public record IdempotencyEntry(String requestId, String requestHash, Instant acceptedAt) {}

    /** One page of a list. */
    public record Page<T>(List<T> items, int page, int size, long total) {}

    private static final class Entry {
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
    }

    private final Map<String, Entry> requests = new HashMap<>();
    /** Request ids of each topic key, in command order (the order of its partition of concierge.requests). */
    private final Map<String, List<String>> topicRequests = new TreeMap<>();
    /** Request ids of each instance key, in command order. */
    private final Map<String, List<String>> instanceRequests = new TreeMap<>();
    /** The latest health change of each instance key (events with a sequence). */
    private final Map<String, StatusEvent> instanceHealth = new HashMap<>();

    private final Map<String, IdempotencyEntry> idempotency = new HashMap<>();
    /**
     * Keys reserved by this replica whose request is still being written: a retry must not be told "accepted" for
     * a request whose write may yet fail.
     */
    private final Map<String, String> pending = new HashMap<>();

    private final Map<String, ClusterInfo> clusters = new TreeMap<>();
    /** Request ids of each user key, in command order. */
    private final Map<String, List<String>> userRequests = new TreeMap<>();
    /** Request ids of the topic creates that give a user access, by the user's key, in command order. */
    private final Map<String, List<String>> accessRequests = new HashMap<>();
    /** The first claim on concierge.credential-reveals of each request id: the one that showed its password. */
    private final Map<String, String> reveals = new HashMap<>();

    /** What changed since the guard reconciler last asked: resource keys, or "everything" past a bound. */
    public record Changes(Set<String> keys, boolean overflow) {}

    private static final int MAX_CHANGED = 100_000;
    private Set<String> changed = new HashSet<>();
    private boolean changedOverflow;

    /** The keys ({@link ResourceRef#key()}) of the resources whose requests changed since the last call. */
    public synchronized Changes drainChanged() {
        Changes changes = new Changes(changed, changedOverflow);
        changed = new HashSet<>();
        changedOverflow = false;
        return changes;
    }

    private void changed(ResourceRef resource) {
        if (changedOverflow) {
            return;
        }
        changed.add(resource.key());
        if (changed.size() > MAX_CHANGED) {
            changed = new HashSet<>();
            changedOverflow = true;
        }
    }

    public synchronized void applyCommand(RequestCommand command) {
        changed(command.resource());
        Entry e = requests.computeIfAbsent(command.requestId(), id -> new Entry());
        fill(e, command.requestId(), command.operation(), command.resource(), command.spec());
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
        if (command.idempotencyKey() != null) {
            String key = command.requestedBy() == null
                    ? command.idempotencyKey()
                    : idempotencyScope(command.requestedBy().subject(), command.idempotencyKey());
            idempotency.putIfAbsent(
                    key, new IdempotencyEntry(command.requestId(), command.requestHash(), command.acceptedAt()));
            pending.remove(key, command.requestId());
        }
    }

    private Map<String, List<String>> requestsOf(ResourceKind kind) {
        return switch (kind) {
            case INSTANCE -> instanceRequests;
            case USER -> userRequests;
            default -> topicRequests;
        };
    }

    /** A claim to show a request's password; the first one read for a request id is the one that counts. */
    public synchronized void applyReveal(String requestId, String claim) {
        reveals.putIfAbsent(requestId, claim);
    }

    /** The claim that showed the request's password, if any was read yet. */
    public synchronized Optional<String> reveal(String requestId) {
        return Optional.ofNullable(reveals.get(requestId));
    }

    /** The sealed password a user request carries, if any. */
    public synchronized Optional<String> sealedCredential(String requestId) {
        Entry e = requests.get(requestId);
        return e == null ? Optional.empty() : Optional.ofNullable(e.credential);
    }

    public synchronized Optional<UserStatus> user(String cluster, String name) {
        return Optional.ofNullable(userStatus(ResourceRef.user(cluster, name).key()));
    }

    public synchronized Page<UserStatus> users(Predicate<UserStatus> filter, int page, int size) {
        List<UserStatus> all = new ArrayList<>();
        for (String key : userRequests.keySet()) {
            UserStatus u = userStatus(key);
            if (u != null && filter.test(u)) {
                all.add(u);
            }
        }
        int from = (int) Math.min((long) page * size, all.size());
        int to = Math.min(from + size, all.size());
        return new Page<>(List.copyOf(all.subList(from, to)), page, size, all.size());
    }

    /** The live users of a cluster: what the drift report compares the cluster with. */
    public synchronized List<UserStatus> usersOn(String cluster) {
        return userRequests.keySet().stream()
                .map(this::userStatus)
                .filter(u -> u != null && u.live() && cluster.equals(u.cluster()))
                .toList();
    }

    private UserStatus userStatus(String key) {
        List<String> ids = userRequests.get(key);
        if (ids == null || ids.isEmpty()) {
            return null;
        }
        UserSpec applied = null;
        Instant appliedAt = null;
        Entry latest = null;
        for (String id : ids) {
            Entry e = requests.get(id);
            RequestState s = e.state();
            if (s == RequestState.READY) {
                applied = e.user;
                appliedAt = e.acceptedAt;
            } else if (s == RequestState.DELETED) {
                applied = null;
            }
            latest = e;
        }
        Transition last = latest.last();
        UserSpec requested = latest.user;
        if (latest.operation != Operation.DELETE) {
            requested = withAccess(key, requested, latest.acceptedAt, false);
            applied = withAccess(key, applied, appliedAt, true);
        }
        Instant instanceDeleted = instanceDeletedAt(latest.resource.cluster());
        if (instanceDeleted != null && latest.acceptedAt != null && latest.acceptedAt.isBefore(instanceDeleted)) {
            return new UserStatus(
                    latest.resource.cluster(),
                    latest.resource.name(),
                    requested == null ? null : requested.owner(),
                    RequestState.DELETED,
                    null,
                    requested,
                    latest.requestId,
                    Operation.DELETE,
                    null,
                    "deleted with instance " + latest.resource.cluster(),
                    instanceDeleted);
        }
        return new UserStatus(
                latest.resource.cluster(),
                latest.resource.name(),
                requested == null ? null : requested.owner(),
                latest.state(),
                applied,
                requested,
                latest.requestId,
                latest.operation,
                last.reason(),
                last.message(),
                last.time());
    }

    /**
     * The user's spec with the grants that topic creates accepted after {@code since} gave it ({@code access}): they
     * are its grants from then on, so that the next change of the user carries them (a request built on an older
     * spec had them merged already, as the API reads this view caught up). Creates that FAILED give nothing;
     * with {@code readyOnly}, only READY ones count (the spec in force).
     */
    private UserSpec withAccess(String userKey, UserSpec user, Instant since, boolean readyOnly) {
        List<String> ids = accessRequests.get(userKey);
        if (user == null || ids == null) {
            return user;
        }
        List<UserSpec.Grant> grants = new ArrayList<>(user.grants());
        for (String id : ids) {
            Entry e = requests.get(id);
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

    /** An Idempotency-Key as the view keeps it: one caller's keys are not another's. */
    public static String idempotencyScope(String subject, String key) {
        return subject + "\u0000" + key;
    }

    public synchronized void applyEvent(StatusEvent event) {
        changed(event.resource());
        if (event.sequence() != null) {
            // a health change after the request ended: the latest one counts, whatever order they are read in
            instanceHealth.merge(
                    event.resource().key(), event, (old, neu) -> neu.sequence() > old.sequence() ? neu : old);
            return;
        }
        Entry e = requests.computeIfAbsent(event.requestId(), id -> new Entry());
        fill(e, event.requestId(), event.operation(), event.resource(), event.spec());
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

    private static void fill(Entry e, String id, Operation op, ResourceRef ref, TopicSpec spec) {
        e.requestId = id;
        e.operation = op;
        e.resource = ref;
        if (e.spec == null || spec != null) {
            e.spec = spec;
        }
    }

    public synchronized void applyCluster(String name, ClusterInfo info) {
        if (info == null) {
            clusters.remove(name);
        } else {
            clusters.put(name, info);
        }
    }

    public synchronized Optional<ClusterInfo> cluster(String name) {
        return Optional.ofNullable(clusters.get(name));
    }

    public synchronized List<String> clusterNames() {
        return List.copyOf(clusters.keySet());
    }

    public synchronized Optional<RequestStatus> request(String requestId) {
        Entry e = requests.get(requestId);
        return e == null || e.state() == null ? Optional.empty() : Optional.of(status(e));
    }

    public synchronized Optional<TopicStatus> topic(String cluster, String name) {
        return Optional.ofNullable(topicStatus(ResourceRef.topic(cluster, name).key()));
    }

    public synchronized Page<TopicStatus> topics(Predicate<TopicStatus> filter, int page, int size) {
        List<TopicStatus> all = new ArrayList<>();
        for (String key : topicRequests.keySet()) {
            TopicStatus t = topicStatus(key);
            if (t != null && filter.test(t)) {
                all.add(t);
            }
        }
        int from = (int) Math.min((long) page * size, all.size());
        int to = Math.min(from + size, all.size());
        return new Page<>(List.copyOf(all.subList(from, to)), page, size, all.size());
    }

    public synchronized Optional<InstanceView> instance(String name) {
        return Optional.ofNullable(instanceView(ResourceRef.instance(name).key()));
    }

    public synchronized Page<InstanceView> instances(Predicate<InstanceView> filter, int page, int size) {
        List<InstanceView> all = new ArrayList<>();
        for (String key : instanceRequests.keySet()) {
            InstanceView i = instanceView(key);
            if (i != null && filter.test(i)) {
                all.add(i);
            }
        }
        int from = (int) Math.min((long) page * size, all.size());
        int to = Math.min(from + size, all.size());
        return new Page<>(List.copyOf(all.subList(from, to)), page, size, all.size());
    }

    /** Requests not finished yet, by kind and state: what Prometheus sees as requests in flight. */
    public synchronized Map<ResourceKind, Map<RequestState, Long>> inFlight() {
        Map<ResourceKind, Map<RequestState, Long>> counts = new EnumMap<>(ResourceKind.class);
        for (Entry e : requests.values()) {
            RequestState state = e.state();
            if (state != null && !state.terminal() && e.resource != null) {
                counts.computeIfAbsent(e.resource.kind(), k -> new EnumMap<>(RequestState.class))
                        .merge(state, 1L, Long::sum);
            }
        }
        return counts;
    }

    /** Every request not finished yet (waiting for approval included): what the deadlines look at. */
    public synchronized List<RequestStatus> unfinished() {
        List<RequestStatus> open = new ArrayList<>();
        for (Entry e : requests.values()) {
            RequestState state = e.state();
            if (state != null && !state.terminal() && e.resource != null) {
                open.add(status(e));
            }
        }
        return open;
    }

    /** When the oldest request not finished yet was accepted, if any. */
    public synchronized Optional<Instant> oldestInFlight() {
        return requests.values().stream()
                .filter(e -> e.state() != null && !e.state().terminal() && e.acceptedAt != null)
                .map(e -> e.acceptedAt)
                .min(Comparator.naturalOrder());
    }

    /** Instances by their state now (health included). */
    public synchronized Map<RequestState, Long> instancesByState() {
        Map<RequestState, Long> counts = new EnumMap<>(RequestState.class);
        for (String key : instanceRequests.keySet()) {
            InstanceView i = instanceView(key);
            if (i != null) {
                counts.merge(i.state(), 1L, Long::sum);
            }
        }
        return counts;
    }

    /** The first use of an Idempotency-Key, if it was used within {@code retention}. */
    public synchronized Optional<IdempotencyEntry> idempotencyEntry(String key, Instant now, Duration retention) {
        IdempotencyEntry existing = idempotency.get(key);
        return existing != null && existing.acceptedAt().plus(retention).isAfter(now)
                ? Optional.of(existing)
                : Optional.empty();
    }

    /**
     * Remembers {@code key} for a new request unless it was used within {@code retention}: then the first use is
     * returned and nothing is reserved.
     */
    public synchronized Optional<IdempotencyEntry> reserve(
            String key, String requestHash, String requestId, Instant now, Duration retention) {
        Optional<IdempotencyEntry> existing = idempotencyEntry(key, now, retention);
        if (existing.isPresent()) {
            return existing;
        }
        idempotency.put(key, new IdempotencyEntry(requestId, requestHash, now));
        pending.put(key, requestId);
        return Optional.empty();
    }

    /** Whether the request a key was reserved for is still being written (its outcome not known yet). */
    public synchronized boolean pending(String key, String requestId) {
        return requestId.equals(pending.get(key));
    }

    /** The request a key was reserved for is durably written (or waits for approval on the ledger). */
    public synchronized void settled(String key, String requestId) {
        pending.remove(key, requestId);
    }

    /** Forgets a reservation whose command could not be written. */
    public synchronized void release(String key, String requestId) {
        idempotency.computeIfPresent(key, (k, v) -> v.requestId().equals(requestId) ? null : v);
        pending.remove(key, requestId);
    }

    private TopicStatus topicStatus(String key) {
        List<String> ids = topicRequests.get(key);
        if (ids == null || ids.isEmpty()) {
            return null;
        }
        TopicSpec applied = null;
        Entry latest = null;
        for (String id : ids) {
            Entry e = requests.get(id);
            RequestState s = e.state();
            if (s == RequestState.READY) {
                applied = e.spec;
            } else if (s == RequestState.DELETED) {
                applied = null;
            }
            latest = e;
        }
        Transition last = latest.last();
        TopicSpec requested = latest.spec;
        Instant instanceDeleted = instanceDeletedAt(latest.resource.cluster());
        if (instanceDeleted != null && latest.acceptedAt != null && latest.acceptedAt.isBefore(instanceDeleted)) {
            // its cluster was a dedicated instance, deleted since: the topic went with it
            return new TopicStatus(
                    latest.resource.cluster(),
                    latest.resource.name(),
                    requested == null ? null : requested.owner(),
                    RequestState.DELETED,
                    null,
                    requested,
                    latest.requestId,
                    Operation.DELETE,
                    null,
                    "deleted with instance " + latest.resource.cluster(),
                    instanceDeleted);
        }
        return new TopicStatus(
                latest.resource.cluster(),
                latest.resource.name(),
                requested == null ? null : requested.owner(),
                latest.state(),
                applied,
                requested,
                latest.requestId,
                latest.operation,
                last.reason(),
                last.message(),
                last.time());
    }

    /** When the instance named {@code cluster} was last deleted, or null if it never was (or is no instance). */
    private Instant instanceDeletedAt(String cluster) {
        List<String> ids = instanceRequests.get(ResourceRef.instance(cluster).key());
        Instant deleted = null;
        if (ids != null) {
            for (String id : ids) {
                Entry e = requests.get(id);
                if (e.operation == Operation.DELETE && e.state() == RequestState.DELETED) {
                    deleted = e.last().time();
                }
            }
        }
        return deleted;
    }

    private InstanceView instanceView(String key) {
        List<String> ids = instanceRequests.get(key);
        if (ids == null || ids.isEmpty()) {
            return null;
        }
        InstanceSpec applied = null;
        InstanceStatus reported = null;
        Entry latest = null;
        for (String id : ids) {
            Entry e = requests.get(id);
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
        StatusEvent health = instanceHealth.get(key);
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

    private static RequestStatus status(Entry e) {
        List<Transition> history = new ArrayList<>(e.transitions.values());
        history.sort(Comparator.comparingInt(t -> t.state().rank()));
        Transition last = e.last();
        return new RequestStatus(
                e.requestId,
                e.resource.kind(),
                e.operation,
                e.resource.cluster(),
                e.resource.name(),
                e.state(),
                last.reason(),
                last.message(),
                e.spec,
                e.change,
                e.acceptedAt,
                last.time(),
                history,
                e.instance,
                e.instanceChange,
                e.instanceStatus,
                e.requestedBy,
                e.user,
                e.credential != null && e.state() != null && !e.state().terminal() ? Boolean.TRUE : null,
                null);
    }
}
