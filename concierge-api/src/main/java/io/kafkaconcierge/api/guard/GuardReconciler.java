package io.kafkaconcierge.api.guard;

import io.kafkaconcierge.api.config.ApiConfig;
import io.kafkaconcierge.api.guard.LedgerState.Charge;
import io.kafkaconcierge.api.guard.LedgerState.Entry;
import io.kafkaconcierge.api.guard.LedgerState.State;
import io.kafkaconcierge.api.view.InstanceView;
import io.kafkaconcierge.api.view.RequestStatus;
import io.kafkaconcierge.api.view.RequestView;
import io.kafkaconcierge.api.view.TopicStatus;
import io.kafkaconcierge.api.view.ViewLoader;
import io.kafkaconcierge.contracts.RequestState;
import io.kafkaconcierge.contracts.ResourceRef;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.logging.Log;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Keeps the ledger in step with what happened, on every replica (every step is idempotent, so two replicas doing
 * the same one change nothing more): a reservation closes when its request ends, each resource's charge follows the
 * view (resources made before the ledger existed included), a request past its approval expiry fails, and a step a
 * replica started but did not finish (the command of an approved request, the events of a waiting or rejected one)
 * is done after {@code repair-after}.
 */
@ApplicationScoped
public class GuardReconciler {

    private static final Duration WRITE_TIMEOUT = Duration.ofSeconds(10);

    private final Ledger ledger;
    private final Approvals approvals;
    private final ApprovalEvents events;
    private final RequestView view;
    private final ViewLoader loader;
    private final ApiConfig.Guard config;
    /** When every resource was last looked at; null before the first round. */
    private Instant lastSweep;
    /** Rounds finished, the first (a full sweep of the charges) included: how an operator or a benchmark sees it run. */
    private final Counter rounds;

    public GuardReconciler(
            Ledger ledger,
            Approvals approvals,
            ApprovalEvents events,
            RequestView view,
            ViewLoader loader,
            ApiConfig config,
            MeterRegistry registry) {
        this.rounds = Counter.builder("concierge_guard_reconciler_rounds_total")
                .description("Rounds of the guard rails' reconciler finished since start")
                .register(registry);
        this.ledger = ledger;
        this.approvals = approvals;
        this.events = events;
        this.view = view;
        this.loader = loader;
        this.config = config.guard();
    }

    @Scheduled(
            every = "${concierge.api.guard.reconcile-every:2s}",
            delayed = "3s",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void reconcile() {
        if (!ledger.caughtUp() || !loader.caughtUp()) {
            return;
        }
        try {
            Instant now = Instant.now();
            for (Entry entry : ledger.open()) {
                reconcile(entry, now);
            }
            for (Entry entry : ledger.decidedAgainst()) {
                String id = entry.reserve.requestId();
                boolean told = view.request(id)
                        .map(r -> r.state() == RequestState.FAILED)
                        .orElse(false);
                if (!told
                        && entry.decidedAt != null
                        && entry.decidedAt.plus(config.repairAfter()).isBefore(now)) {
                    approvals.failed(entry).await().atMost(WRITE_TIMEOUT);
                }
            }
            charges(now);
            rounds.increment();
        } catch (RuntimeException e) {
            Log.warnf("the guard rails' reconciler stopped this round (it tries again): %s", e.toString());
        }
    }

    private void reconcile(Entry entry, Instant now) {
        String id = entry.reserve.requestId();
        Optional<RequestStatus> request = view.request(id);
        if (entry.state == State.AWAITING_APPROVAL) {
            if (entry.reserve.pending().expiresAt().isBefore(now)) {
                ledger.write(entry.reserve.team(), new LedgerRecord.Expire(id, now))
                        .await()
                        .atMost(WRITE_TIMEOUT);
                if (entry.state == State.EXPIRED) {
                    approvals.failed(entry).await().atMost(WRITE_TIMEOUT);
                }
            } else if (request.isEmpty()
                    && entry.reserve.at().plus(config.repairAfter()).isBefore(now)) {
                events.awaiting(entry.reserve.pending().command(), entry.reserve.pending(), entry.reserve.at())
                        .await()
                        .atMost(WRITE_TIMEOUT);
            }
            return;
        }
        // ACCEPTED: approved and not yet written, in flight, or done
        if (entry.approvedNotReleased()) {
            boolean written = request.map(r -> r.acceptedAt() != null).orElse(false);
            if (written) {
                ledger.write(entry.reserve.team(), new LedgerRecord.Released(id, now))
                        .await()
                        .atMost(WRITE_TIMEOUT);
            } else if (entry.decidedAt != null
                    && entry.decidedAt.plus(config.repairAfter()).isBefore(now)) {
                approvals.release(entry).await().atMost(WRITE_TIMEOUT);
            }
            return;
        }
        if (request.isPresent()
                && request.get().state() != null
                && request.get().state().terminal()) {
            String resource = entry.reserve.resource();
            Charge want = chargeInView(resource);
            ledger.write(
                            entry.reserve.team(),
                            new LedgerRecord.Settle(
                                    id,
                                    entry.reserve.team(),
                                    resource,
                                    want == null ? null : want.usage(),
                                    want == null ? request.get().updatedAt() : want.asOf()))
                    .await()
                    .atMost(WRITE_TIMEOUT);
        } else if (request.map(r -> r.acceptedAt() == null).orElse(true)
                && entry.reserve.at().plus(config.abandonAfter()).isBefore(now)) {
            ledger.write(
                            entry.reserve.team(),
                            new LedgerRecord.Release(id, "its command never reached " + "concierge.requests", now))
                    .await()
                    .atMost(WRITE_TIMEOUT);
        }
    }

    /**
     * Every charge follows the resources the view shows, where no reservation is open for them: the resources whose
     * requests changed since the last round, and every resource once per {@code charge-sweep-every} (a full sweep
     * costs the whole view: it is not paid every round).
     */
    private void charges(Instant now) {
        // a set: it is asked once per resource looked at
        Set<String> busy = ledger.open().stream().map(e -> e.reserve.resource()).collect(Collectors.toSet());
        RequestView.Changes changes = view.drainChanged();
        Set<String> keys = new HashSet<>();
        if (changes.overflow()
                || lastSweep == null
                || !lastSweep.plus(config.chargeSweepEvery()).isAfter(now)) {
            lastSweep = now;
            for (TopicStatus topic :
                    view.topics(t -> t.owner() != null, 0, Integer.MAX_VALUE).items()) {
                keys.add(ResourceRef.topic(topic.cluster(), topic.name()).key());
            }
            for (InstanceView instance :
                    view.instances(i -> i.owner() != null, 0, Integer.MAX_VALUE).items()) {
                keys.add(ResourceRef.instance(instance.name()).key());
            }
        } else {
            keys.addAll(changes.keys());
        }
        for (String key : keys) {
            follow(key, busy);
        }
    }

    /**
     * Brings one resource's charge in step with the view, unless it is in flight (its terminal event changes it
     * again) or reserved (the reservation's settle writes its charge when its request ends).
     */
    private void follow(String key, Set<String> busy) {
        if (key.startsWith("user:")) {
            return; // users count against no quota
        }
        String team;
        boolean settled;
        if (key.startsWith("instance:")) {
            Optional<InstanceView> instance = view.instance(key.substring("instance:".length()));
            if (instance.isEmpty() || instance.get().owner() == null) {
                return;
            }
            team = instance.get().owner();
            settled = instance.get().state().terminal() || instance.get().state() == RequestState.DEGRADED;
        } else {
            int slash = key.indexOf('/');
            Optional<TopicStatus> topic = view.topic(key.substring(0, slash), key.substring(slash + 1));
            if (topic.isEmpty() || topic.get().owner() == null) {
                return;
            }
            team = topic.get().owner();
            settled = topic.get().state().terminal();
        }
        if (busy.contains(key) || !settled) {
            return;
        }
        Charge want = chargeInView(key);
        Optional<Charge> have = ledger.charge(team, key);
        boolean same = want == null
                ? have.isEmpty()
                : have.map(h -> h.usage().equals(want.usage())).orElse(false);
        if (!same) {
            ledger.write(
                            team,
                            new LedgerRecord.Settle(
                                    null,
                                    team,
                                    key,
                                    want == null ? null : want.usage(),
                                    want == null ? Instant.now() : want.asOf()))
                    .await()
                    .atMost(WRITE_TIMEOUT);
        }
    }

    /** What a resource counts as the view shows it: its spec last READY, or nothing once deleted. */
    private Charge chargeInView(String key) {
        if (key.startsWith("user:")) {
            return null; // users count against no quota
        }
        if (key.startsWith("instance:")) {
            return view.instance(key.substring("instance:".length()))
                    .filter(i -> i.spec() != null && i.live())
                    .map(i -> new Charge(Usage.of(i.spec()), i.updatedAt()))
                    .orElse(null);
        }
        int slash = key.indexOf('/');
        return view.topic(key.substring(0, slash), key.substring(slash + 1))
                .filter(t -> t.spec() != null && t.live())
                .map(t -> new Charge(Usage.of(t.spec()), t.updatedAt()))
                .orElse(null);
    }

    Map<String, List<String>> charged() {
        return ledger.chargedResources();
    }
}
