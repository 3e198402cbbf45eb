package io.kafkaconcierge.api.guard;

import io.kafkaconcierge.api.config.ApiConfig;
import io.kafkaconcierge.api.view.RequestStatus;
import io.kafkaconcierge.api.view.RequestView;
import io.kafkaconcierge.api.view.Transition;
import io.kafkaconcierge.api.view.ViewLoader;
import io.kafkaconcierge.contracts.FailureReason;
import io.kafkaconcierge.contracts.RequestState;
import io.kafkaconcierge.contracts.ResourceKind;
import io.kafkaconcierge.contracts.ResourceRef;
import io.kafkaconcierge.contracts.StatusEvent;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.logging.Log;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * No request stays unfinished for ever: one accepted longer ago than the deadline of its kind
 * ({@code concierge.api.deadlines.*}) ends FAILED with reason TIMEOUT. Every replica looks; each writes its decision
 * to {@code concierge.ledger} (keyed by the owning team), the first decision of a request on the ledger counts, and
 * only the replica that wrote it publishes the event, so the request is failed once however many replicas there
 * are. A decision whose event is not in the view {@code repair-after} later (its writer stopped in between) is
 * published again by any replica, with the same event id. See DESIGN.md, "Deadlines".
 */
@ApplicationScoped
public class Deadlines {

    private static final Duration WRITE_TIMEOUT = Duration.ofSeconds(10);
    /** The ledger's key for a request whose resource names no owner. */
    static final String NO_TEAM = "-";

    private final Ledger ledger;
    private final ApprovalEvents events;
    private final RequestView view;
    private final ViewLoader loader;
    private final ApiConfig.Deadlines config;
    private final Duration repairAfter;
    private final MeterRegistry registry;
    /** Events this replica wrote, and when: not written again by it until the view had time to read them. */
    private final Map<String, Instant> published = new ConcurrentHashMap<>();

    public Deadlines(
            Ledger ledger,
            ApprovalEvents events,
            RequestView view,
            ViewLoader loader,
            ApiConfig config,
            MeterRegistry registry) {
        this.ledger = ledger;
        this.events = events;
        this.view = view;
        this.loader = loader;
        this.config = config.deadlines();
        this.repairAfter = config.guard().repairAfter();
        this.registry = registry;
    }

    @Scheduled(
            every = "${concierge.api.deadlines.check-every:10s}",
            delayed = "5s",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void check() {
        if (!ledger.caughtUp() || !loader.caughtUp()) {
            return;
        }
        Instant now = Instant.now();
        published.values().removeIf(at -> at.plus(repairAfter.multipliedBy(3)).isBefore(now));
        for (RequestStatus request : view.unfinished()) {
            try {
                check(request, now);
            } catch (RuntimeException e) {
                Log.warnf(
                        "deadline of request %s not decided this round (tried again): %s",
                        request.requestId(), e.toString());
            }
        }
    }

    private void check(RequestStatus request, Instant now) {
        if (request.state() == RequestState.AWAITING_APPROVAL || request.acceptedAt() == null) {
            return; // the policy's approval expiry bounds the wait for approvers
        }
        Duration deadline = deadline(request.kind());
        if (!request.acceptedAt().plus(deadline).isBefore(now)) {
            return;
        }
        Optional<LedgerRecord.Timeout> decided = ledger.timeoutOf(request.requestId());
        if (decided.isPresent()) {
            Instant mine = published.get(request.requestId());
            if (decided.get().at().plus(repairAfter).isBefore(now)
                    && (mine == null || mine.plus(repairAfter).isBefore(now))) {
                // its writer did not get the event out: any replica does, with the same id
                publish(request, decided.get());
            }
            return;
        }
        Transition since = request.history().isEmpty()
                ? null
                : request.history().get(request.history().size() - 1);
        String message = "No outcome within the deadline of " + deadline + " for "
                + request.kind().segment()
                + " requests: the request stuck in " + request.state() + " since "
                + (since == null ? request.acceptedAt() : since.time()) + " (" + where(request.state())
                + "). Nothing more will be done for it; check the resource and send the request again.";
        LedgerRecord.Timeout timeout = new LedgerRecord.Timeout(
                UUID.randomUUID().toString(),
                request.requestId(),
                team(request),
                request.state().name(),
                message,
                now);
        boolean mine = ledger.timeout(timeout).await().atMost(WRITE_TIMEOUT);
        if (mine) {
            publish(request, timeout);
        }
    }

    private void publish(RequestStatus request, LedgerRecord.Timeout timeout) {
        if (view.request(request.requestId()).map(r -> r.state().terminal()).orElse(false)) {
            return; // an outcome arrived meanwhile: it is the request's end
        }
        StatusEvent failed = new StatusEvent(
                request.requestId(),
                request.operation(),
                new ResourceRef(request.kind(), request.cluster(), request.name()),
                RequestState.FAILED,
                request.spec(),
                FailureReason.TIMEOUT,
                timeout.message(),
                timeout.at(),
                request.instance(),
                null,
                null,
                request.user());
        events.publish(failed).await().atMost(WRITE_TIMEOUT);
        published.put(request.requestId(), Instant.now());
        registry.counter(
                        "concierge_requests_timed_out_total",
                        "kind",
                        request.kind().segment(),
                        "stuck_in",
                        timeout.stuckIn())
                .increment();
        Log.warnf(
                "request %s (%s %s) ended FAILED with TIMEOUT: stuck in %s",
                request.requestId(), request.operation(), request.name(), timeout.stuckIn());
    }

    private Duration deadline(ResourceKind kind) {
        switch (kind) {
            case INSTANCE:
                return config.instances();
            case USER:
                return config.users();
            default:
                return config.topics();
        }
    }

    private static String where(RequestState state) {
        switch (state) {
            case ACCEPTED:
                return "the provisioner never reported taking it up: is it running and reading concierge.requests?";
            case PROVISIONING:
            case UPDATING:
            case DELETING:
                return "the provisioner started it and reported no result: the cluster may be unreachable";
            case DEGRADED:
                return "the instance did not become ready";
            default:
                return "no progress was reported";
        }
    }

    private static String team(RequestStatus request) {
        String owner = request.instance() != null
                ? request.instance().owner()
                : request.user() != null
                        ? request.user().owner()
                        : request.spec() != null ? request.spec().owner() : null;
        return owner == null ? NO_TEAM : owner;
    }
}
