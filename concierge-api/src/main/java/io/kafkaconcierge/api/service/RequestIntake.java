package io.kafkaconcierge.api.service;

import io.kafkaconcierge.api.config.ApiConfig;
import io.kafkaconcierge.api.guard.GuardRails;
import io.kafkaconcierge.api.guard.GuardRails.Decision;
import io.kafkaconcierge.api.guard.Plan;
import io.kafkaconcierge.api.messaging.CommandPublisher;
import io.kafkaconcierge.api.rest.dto.Accepted;
import io.kafkaconcierge.api.view.IdempotencyStore;
import io.kafkaconcierge.api.view.RequestView;
import io.kafkaconcierge.api.view.ViewLoader;
import io.kafkaconcierge.contracts.RequestCommand;
import io.kafkaconcierge.contracts.RequestState;
import io.kafkaconcierge.contracts.ResourceKind;
import io.kafkaconcierge.problem.Problem.FieldError;
import io.kafkaconcierge.problem.ProblemException;
import io.kafkaconcierge.security.Caller;
import io.kafkaconcierge.security.Callers;
import io.kafkaconcierge.security.audit.AuditContext;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.logging.Log;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.function.BiFunction;
import org.jboss.logging.MDC;

/**
 * What every kind of request shares on its way in: Idempotency-Key semantics, the check that the view is caught
 * up, and the write of the command to Kafka before anything is answered. A request that fails a check writes
 * nothing.
 */
@ApplicationScoped
public class RequestIntake {

    private static final int MAX_IDEMPOTENCY_KEY = 255;
    /** The MDC key of the request id in every log line about one request, in all three services. */
    private static final String REQUEST_ID = "requestId";

    private final RequestView view;
    private final IdempotencyStore keys;
    private final ViewLoader loader;
    private final CommandPublisher publisher;
    private final ApiConfig config;
    private final MeterRegistry registry;
    private final Callers callers;
    private final AuditContext audit;
    private final GuardRails guard;
    private final Clock clock = Clock.systemUTC();

    public RequestIntake(
            RequestView view,
            ViewLoader loader,
            CommandPublisher publisher,
            ApiConfig config,
            MeterRegistry registry,
            Callers callers,
            AuditContext audit,
            GuardRails guard,
            IdempotencyStore keys) {
        this.keys = keys;
        this.guard = guard;
        this.view = view;
        this.loader = loader;
        this.publisher = publisher;
        this.config = config;
        this.registry = registry;
        this.callers = callers;
        this.audit = audit;
    }

    /**
     * The caller, allowed to change what {@code owner} owns: a 403 when the caller names a team not theirs or holds
     * a read-only token. Records the team and action for the audit.
     */
    public Caller authorize(ResourceKind kind, String action, String owner, String resource) {
        audit.about(owner, kind.segment() + "." + action, resource);
        Caller caller = callers.requireWrite();
        if (owner != null && !caller.actsFor(owner)) {
            throw reject(kind, Callers.notActingFor(caller, owner));
        }
        return caller;
    }

    /** Whether the caller sees what {@code owner} owns; what it does not see answers 404, as if missing. */
    public boolean visible(String owner) {
        return callers.visible(owner);
    }

    /** Records the action for the audit before the resource is found. */
    public void auditing(ResourceKind kind, String action, String resource) {
        audit.about(null, kind.segment() + "." + action, resource);
    }

    /**
     * Writes the command {@code build} makes (from a new request id and the time) and answers once it is on
     * Kafka; a 503 when Kafka does not take it.
     */
    public Uni<Accepted> submit(
            ResourceKind kind, String idempotencyKey, String hash, BiFunction<String, Instant, RequestCommand> build) {
        return submit(kind, idempotencyKey, hash, null, build);
    }

    /**
     * Checks a plan of the guard rails (422 for broken rules or a quota already exceeded here), answers a dry run
     * with it, or submits the request under it: the ledger reserves its growth of the team's usage atomically, and a
     * request that needs approvers waits there, answered 202 AWAITING_APPROVAL, its command not written.
     */
    public Uni<Accepted> submit(
            ResourceKind kind,
            String idempotencyKey,
            String hash,
            Plan plan,
            boolean dryRun,
            BiFunction<String, Instant, RequestCommand> build) {
        if (plan != null) {
            try {
                guard.refuse(plan);
            } catch (ProblemException e) {
                throw reject(kind, e);
            }
        }
        if (dryRun) {
            return Uni.createFrom().item(Accepted.dryRun(plan));
        }
        return submit(kind, idempotencyKey, hash, plan, build);
    }

    private Uni<Accepted> submit(
            ResourceKind kind,
            String idempotencyKey,
            String hash,
            Plan plan,
            BiFunction<String, Instant, RequestCommand> build) {
        String requestId = UUID.randomUUID().toString();
        Instant now = clock.instant();
        Caller caller = callers.current();
        String scopedKey = idempotencyKey == null ? null : IdempotencyStore.scope(caller.subject(), idempotencyKey);
        if (idempotencyKey != null) {
            Optional<IdempotencyStore.Entry> first =
                    keys.reserve(scopedKey, hash, requestId, now, config.idempotencyRetention());
            if (first.isPresent()) {
                return Uni.createFrom().item(replay(kind, scopedKey, first.get(), hash));
            }
        }
        RequestCommand command;
        try {
            command = build.apply(requestId, now).by(caller.requester());
        } catch (RuntimeException e) {
            if (scopedKey != null) {
                keys.release(scopedKey, requestId);
            }
            throw e;
        }
        audit.requestId(requestId);
        Uni<Decision> decided = plan == null
                ? Uni.createFrom().item(Decision.ACCEPTED)
                : Uni.createFrom().deferred(() -> {
                    guard.throttle(plan, command.owner());
                    return guard.reserve(plan, command, now);
                });
        // the write runs to its end even if the client stops waiting (its HTTP request cancelled): the key stays
        // pending until the outcome is known, so that a retry is never told "accepted" for a write that failed
        CompletableFuture<Accepted> done = decided.onItem()
                .transformToUni(decision -> decision == Decision.AWAITING_APPROVAL
                        ? Uni.createFrom().item(awaiting(kind, command))
                        : publish(
                                kind,
                                command,
                                plan != null
                                        && plan.quota() != null
                                        && !plan.quota().adding().isZero()))
                .subscribeAsCompletionStage();
        done.whenComplete((accepted, failure) -> {
            if (scopedKey != null) {
                if (failure == null) {
                    keys.settled(scopedKey, requestId);
                } else {
                    keys.release(scopedKey, requestId);
                }
            }
        });
        return Uni.createFrom().completionStage(done.copy()).onFailure().transform(failure -> {
            Throwable cause = failure instanceof java.util.concurrent.CompletionException && failure.getCause() != null
                    ? failure.getCause()
                    : failure;
            if (cause instanceof ProblemException problem) {
                return reject(kind, problem);
            }
            Log.warnf(
                    "could not write %s of %s to Kafka: %s",
                    command.operation(), command.resource().key(), cause);
            return reject(
                    kind,
                    ProblemException.unavailable(
                            "Kafka did not take the request (" + cause.getMessage() + "); nothing was accepted",
                            config.retryAfterSeconds()));
        });
    }

    private Accepted awaiting(ResourceKind kind, RequestCommand command) {
        MDC.put(REQUEST_ID, command.requestId());
        Log.infof(
                "%s of %s %s waits for approval",
                command.operation(), kind.segment(), command.resource().key());
        MDC.remove(REQUEST_ID);
        registry.counter(
                        "concierge_requests_awaiting_approval_total",
                        "kind",
                        kind.segment(),
                        "operation",
                        command.operation().name().toLowerCase())
                .increment();
        return new Accepted(command.requestId(), RequestState.AWAITING_APPROVAL, location(command.requestId()), false);
    }

    /** Writes the command; a failure after a reservation releases it. */
    private Uni<Accepted> publish(ResourceKind kind, RequestCommand command, boolean reserved) {
        String requestId = command.requestId();
        return publisher
                .publish(command)
                .onFailure()
                .invoke(failure -> {
                    if (reserved) {
                        guard.release(command, "the command could not be written: " + failure.getMessage());
                    }
                })
                .onItem()
                .transform(ignored -> {
                    view.applyCommand(command);
                    keys.applyCommand(command);
                    MDC.put(REQUEST_ID, requestId);
                    Log.infof(
                            "accepted %s of %s %s",
                            command.operation(),
                            kind.segment(),
                            command.resource().key());
                    MDC.remove(REQUEST_ID);
                    registry.counter(
                                    "concierge_requests_accepted_total",
                                    "kind",
                                    kind.segment(),
                                    "operation",
                                    command.operation().name().toLowerCase())
                            .increment();
                    return new Accepted(requestId, RequestState.ACCEPTED, location(requestId), false);
                });
    }

    /** The first request of an Idempotency-Key seen before, if any; checked before anything that depends on state. */
    public Optional<Accepted> replayed(ResourceKind kind, String idempotencyKey, String hash) {
        requireCaughtUp(kind);
        if (idempotencyKey == null) {
            return Optional.empty();
        }
        if (idempotencyKey.isBlank()
                || idempotencyKey.length() > MAX_IDEMPOTENCY_KEY
                || !idempotencyKey.chars().allMatch(c -> c > 0x20 && c < 0x7f)) {
            throw reject(
                    kind,
                    ProblemException.validation(List.of(new FieldError(
                            "Idempotency-Key",
                            "must be 1 to " + MAX_IDEMPOTENCY_KEY + " printable ASCII characters without spaces"))));
        }
        // a key is the caller's own: another caller's use of the same key is another request
        String scopedKey = IdempotencyStore.scope(callers.current().subject(), idempotencyKey);
        return keys.entry(scopedKey, clock.instant(), config.idempotencyRetention())
                .map(first -> replay(kind, scopedKey, first, hash));
    }

    private Accepted replay(ResourceKind kind, String scopedKey, IdempotencyStore.Entry first, String hash) {
        if (!first.requestHash().equals(hash)) {
            throw reject(
                    kind,
                    new ProblemException(
                            422,
                            "idempotency-key-reused",
                            "Idempotency-Key used for another request",
                            "This Idempotency-Key was first used for request " + first.requestId()
                                    + " with another body " + "or target; use a new key for a new request",
                            null,
                            null));
        }
        if (keys.pending(scopedKey, first.requestId())) {
            // the first request with this key is still being written and may yet fail: "accepted" would be a
            // promise the API cannot keep; the client asks again and learns the outcome
            throw reject(
                    kind,
                    ProblemException.unavailable(
                            "The first request with this Idempotency-Key (" + first.requestId()
                                    + ") is still being written to Kafka; ask again",
                            1));
        }
        RequestState state = view.request(first.requestId()).map(r -> r.state()).orElse(RequestState.ACCEPTED);
        return new Accepted(first.requestId(), state, location(first.requestId()), true);
    }

    private void requireCaughtUp(ResourceKind kind) {
        if (!guard.caughtUp()) {
            throw reject(
                    kind,
                    ProblemException.unavailable(
                            "The API is still reading the guard rails' state from Kafka (" + guard.problem() + ")",
                            config.retryAfterSeconds()));
        }
        if (!loader.caughtUp()) {
            throw reject(
                    kind,
                    ProblemException.unavailable(
                            "The API is still reading its state from Kafka (" + loader.problem() + ")",
                            config.retryAfterSeconds()));
        }
    }

    public void requireBody(ResourceKind kind, Object body) {
        if (body == null) {
            throw reject(
                    kind,
                    new ProblemException(
                            400, "malformed-body", "The body cannot be read", "A JSON body is required", null, null));
        }
    }

    public void reject(ResourceKind kind, List<FieldError> errors) {
        if (!errors.isEmpty()) {
            throw reject(kind, ProblemException.validation(errors));
        }
    }

    /** Counts a refused request and returns the problem to throw. */
    public ProblemException reject(ResourceKind kind, ProblemException problem) {
        registry.counter(
                        "concierge_requests_rejected_total",
                        "kind",
                        kind.segment(),
                        "status",
                        String.valueOf(problem.status()))
                .increment();
        return problem;
    }

    public int retryAfterSeconds() {
        return config.retryAfterSeconds();
    }

    private static String location(String requestId) {
        return "/api/v1/requests/" + requestId;
    }
}
