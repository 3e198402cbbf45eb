package io.kafkaconcierge.api.view;

import io.kafkaconcierge.api.config.ApiConfig;
import io.kafkaconcierge.contracts.RequestCommand;
import io.kafkaconcierge.contracts.RequestState;
import io.kafkaconcierge.contracts.ResourceKind;
import io.kafkaconcierge.contracts.ResourceRef;
import io.kafkaconcierge.contracts.StatusEvent;
import io.kafkaconcierge.contracts.TopicSpec;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
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
import java.util.function.Predicate;

/**
 * The API's read model of requests and the resources they make, built from {@code concierge.requests} and
 * {@code concierge.events}: the merged requests ({@link RequestLog}) and what each topic, instance and user looks
 * like now ({@link Projections}), under one lock. Merging is order-independent: a request's state is the furthest
 * state any record reported, so an event read before its command, or a record read twice, leaves the same view. The
 * clusters ({@link ClusterDirectory}), the Idempotency-Keys ({@link IdempotencyStore}) and the credential reveals
 * ({@link RevealClaims}) are kept apart. See DESIGN.md.
 */
@ApplicationScoped
public class RequestView {

    /** One page of a list. */
    public record Page<T>(List<T> items, int page, int size, long total) {}

    /** What changed since the guard reconciler last asked: resource keys, or "everything" past a bound. */
    public record Changes(Set<String> keys, boolean overflow) {}

    private static final int MAX_CHANGED = 100_000;

    private final RequestLog log;
    /**
     * The projections asked for since their resource last changed, by resource key (keys of different kinds never
     * collide): a list of 100,000 topics reads them instead of projecting each one again. A change drops the
     * resource's own, an instance's change those of the topics and users on it, a topic create's change those of the
     * users it grants access to (see {@link #forget}).
     */
    private final Map<String, Object> projected = new HashMap<>();

    private Set<String> changed = new HashSet<>();
    private boolean changedOverflow;

    @Inject
    public RequestView(ApiConfig config) {
        this(new RequestLog.Bounds(
                config.view().requestsKept(),
                config.view().goneResourcesKept(),
                config.view().window()));
    }

    /** A view that keeps every request in full: what the projections are compared with in tests. */
    RequestView() {
        this.log = new RequestLog();
    }

    RequestView(RequestLog.Bounds bounds) {
        this.log = new RequestLog(bounds);
    }

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
        log.applyCommand(command);
        forget(command.resource(), command.spec());
        log.takeEvicted().forEach(projected::remove);
    }

    public synchronized void applyEvent(StatusEvent event) {
        changed(event.resource());
        log.applyEvent(event);
        RequestEntry e = event.requestId() == null ? null : log.entry(event.requestId());
        forget(event.resource(), e == null || e.spec == null ? event.spec() : e.spec);
        log.takeEvicted().forEach(projected::remove);
    }

    /** Drops the projections a change of {@code resource}'s requests can have changed. */
    private void forget(ResourceRef resource, TopicSpec spec) {
        projected.remove(resource.key());
        if (resource.kind() == ResourceKind.INSTANCE) {
            // its topics and users show DELETED with it
            String cluster = resource.name();
            projected
                    .values()
                    .removeIf(p -> (p instanceof TopicStatus t && cluster.equals(t.cluster()))
                            || (p instanceof UserStatus u && cluster.equals(u.cluster())));
        } else if (resource.kind() == ResourceKind.TOPIC && spec != null) {
            // a topic create's state decides the grants it gives its users
            spec.access()
                    .forEach(a -> projected.remove(
                            ResourceRef.user(resource.cluster(), a.user()).key()));
        }
    }

    @SuppressWarnings("unchecked")
    private <T> T projection(ResourceKind kind, String key) {
        Object known = projected.get(key);
        if (known != null) {
            return (T) known;
        }
        Object made = switch (kind) {
            case TOPIC -> Projections.topic(log, key);
            case USER -> Projections.user(log, key);
            case INSTANCE -> Projections.instance(log, key);
        };
        if (made != null) {
            projected.put(key, made);
        }
        return (T) made;
    }

    /** The sealed password a user request carries, if any. */
    public synchronized Optional<String> sealedCredential(String requestId) {
        return Optional.ofNullable(log.credential(requestId));
    }

    /** A request in full, or from its summary once superseded; empty if unknown or past the view's bounds. */
    public synchronized Optional<RequestStatus> request(String requestId) {
        return Optional.ofNullable(log.status(requestId));
    }

    /** Requests kept in full and as summaries, and resources shown as gone: the gauges of the view's size. */
    public synchronized RequestLog.Sizes sizes() {
        return log.sizes();
    }

    public synchronized Optional<TopicStatus> topic(String cluster, String name) {
        return Optional.ofNullable(
                projection(ResourceKind.TOPIC, ResourceRef.topic(cluster, name).key()));
    }

    public synchronized Page<TopicStatus> topics(Predicate<TopicStatus> filter, int page, int size) {
        return page(ResourceKind.TOPIC, filter, page, size);
    }

    public synchronized Optional<InstanceView> instance(String name) {
        return Optional.ofNullable(
                projection(ResourceKind.INSTANCE, ResourceRef.instance(name).key()));
    }

    public synchronized Page<InstanceView> instances(Predicate<InstanceView> filter, int page, int size) {
        return page(ResourceKind.INSTANCE, filter, page, size);
    }

    public synchronized Optional<UserStatus> user(String cluster, String name) {
        return Optional.ofNullable(
                projection(ResourceKind.USER, ResourceRef.user(cluster, name).key()));
    }

    public synchronized Page<UserStatus> users(Predicate<UserStatus> filter, int page, int size) {
        return page(ResourceKind.USER, filter, page, size);
    }

    /** The live users of a cluster: what the drift report compares the cluster with. */
    public synchronized List<UserStatus> usersOn(String cluster) {
        return log.keys(ResourceKind.USER).stream()
                .map(key -> this.<UserStatus>projection(ResourceKind.USER, key))
                .filter(u -> u != null && u.live() && cluster.equals(u.cluster()))
                .toList();
    }

    private <T> Page<T> page(ResourceKind kind, Predicate<T> filter, int page, int size) {
        List<T> all = new ArrayList<>();
        for (String key : log.keys(kind)) {
            T t = projection(kind, key);
            if (t != null && filter.test(t)) {
                all.add(t);
            }
        }
        int from = (int) Math.min((long) page * size, all.size());
        int to = Math.min(from + size, all.size());
        return new Page<>(List.copyOf(all.subList(from, to)), page, size, all.size());
    }

    /** Requests not finished yet, by kind and state: what Prometheus sees as requests in flight. */
    public synchronized Map<ResourceKind, Map<RequestState, Long>> inFlight() {
        Map<ResourceKind, Map<RequestState, Long>> counts = new EnumMap<>(ResourceKind.class);
        for (RequestEntry e : log.entries()) {
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
        for (RequestEntry e : log.entries()) {
            RequestState state = e.state();
            if (state != null && !state.terminal() && e.resource != null) {
                open.add(e.status());
            }
        }
        return open;
    }

    /** When the oldest request not finished yet was accepted, if any. */
    public synchronized Optional<Instant> oldestInFlight() {
        return log.entries().stream()
                .filter(e -> e.state() != null && !e.state().terminal() && e.acceptedAt != null)
                .map(e -> e.acceptedAt)
                .min(Comparator.naturalOrder());
    }

    /** Instances by their state now (health included). */
    public synchronized Map<RequestState, Long> instancesByState() {
        Map<RequestState, Long> counts = new EnumMap<>(RequestState.class);
        for (String key : log.keys(ResourceKind.INSTANCE)) {
            InstanceView i = projection(ResourceKind.INSTANCE, key);
            if (i != null) {
                counts.merge(i.state(), 1L, Long::sum);
            }
        }
        return counts;
    }
}
