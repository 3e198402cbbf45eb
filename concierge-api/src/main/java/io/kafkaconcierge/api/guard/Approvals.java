package io.kafkaconcierge.api.guard;

import io.kafkaconcierge.api.guard.GovernanceRecord.Outcome;
import io.kafkaconcierge.api.guard.LedgerRecord.Pending;
import io.kafkaconcierge.api.guard.LedgerState.Entry;
import io.kafkaconcierge.api.guard.LedgerState.State;
import io.kafkaconcierge.api.messaging.CommandPublisher;
import io.kafkaconcierge.api.view.RequestView;
import io.kafkaconcierge.contracts.FailureReason;
import io.kafkaconcierge.contracts.RequestCommand;
import io.kafkaconcierge.contracts.Requester;
import io.kafkaconcierge.problem.ProblemException;
import io.kafkaconcierge.security.Caller;
import io.kafkaconcierge.security.Callers;
import io.kafkaconcierge.security.audit.AuditContext;
import io.quarkus.logging.Log;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * Approvals of requests that wait: who may decide, the decisions written to the ledger (where two approvers on two
 * replicas are ordered, and an approval counts only for the content it was given for), and, once the last approval
 * is in, the command written for the provisioner. A rejected or expired request never reaches it.
 */
@ApplicationScoped
public class Approvals {

    /** A request waiting, as an approver sees it. */
    public record Waiting(
            String requestId,
            String kind,
            String operation,
            String resource,
            String owner,
            String environment,
            Requester requestedBy,
            Instant requestedAt,
            Instant expiresAt,
            String summary,
            String contentHash,
            int required,
            String approvers,
            List<LedgerState.Approval> approvals,
            List<String> reasons,
            List<String> consents) {}

    /** What became of a decision. */
    public record Decided(String requestId, String state, List<LedgerState.Approval> approvals, int required) {}

    private final Ledger ledger;
    private final Callers callers;
    private final ApprovalEvents events;
    private final CommandPublisher publisher;
    private final RequestView view;
    private final AuditContext audit;

    public Approvals(
            Ledger ledger,
            Callers callers,
            ApprovalEvents events,
            CommandPublisher publisher,
            RequestView view,
            AuditContext audit) {
        this.ledger = ledger;
        this.callers = callers;
        this.events = events;
        this.publisher = publisher;
        this.view = view;
        this.audit = audit;
    }

    /** What the caller may decide, oldest first. */
    public List<Waiting> queue() {
        Caller caller = callers.current();
        return ledger.open().stream()
                .filter(e -> e.state == State.AWAITING_APPROVAL)
                .filter(e -> mayDecide(caller, e) && !own(caller, e))
                .map(Approvals::waiting)
                .toList();
    }

    public Uni<Decided> approve(String requestId, String comment, String contentHash) {
        return Uni.createFrom().deferred(() -> {
            Entry entry = decidable(requestId, "approve");
            Caller caller = callers.current();
            if (own(caller, entry)) {
                throw Callers.forbidden("You asked for this request: another person must approve it (four eyes)");
            }
            Pending pending = entry.reserve.pending();
            LedgerRecord.Approve approve = new LedgerRecord.Approve(
                    UUID.randomUUID().toString(),
                    requestId,
                    caller.requester(),
                    contentHash,
                    trim(comment),
                    Instant.now(),
                    asApprover(caller, entry),
                    pending.consents().stream().filter(caller.teams()::contains).toList());
            return ledger.approve(entry.reserve.team(), approve).onItem().transformToUni(outcome -> {
                refuseUnless(outcome);
                if (entry.state == State.ACCEPTED) {
                    return release(entry).replaceWith(decided(entry));
                }
                return Uni.createFrom().item(decided(entry));
            });
        });
    }

    public Uni<Decided> reject(String requestId, String comment) {
        return Uni.createFrom().deferred(() -> {
            Entry entry = decidable(requestId, "reject");
            Caller caller = callers.current();
            LedgerRecord.Reject reject = new LedgerRecord.Reject(
                    UUID.randomUUID().toString(), requestId, caller.requester(), trim(comment), Instant.now());
            return ledger.reject(entry.reserve.team(), reject).onItem().transformToUni(outcome -> {
                refuseUnless(outcome);
                return failed(entry).replaceWith(decided(entry));
            });
        });
    }

    /** Writes the command of a request whose approvals are complete, then marks it released. */
    Uni<Void> release(Entry entry) {
        RequestCommand command = entry.reserve.pending().command();
        return publisher
                .publish(command)
                .invoke(() -> view.applyCommand(command))
                .chain(() -> ledger.write(
                        entry.reserve.team(), new LedgerRecord.Released(command.requestId(), Instant.now())))
                .invoke(() -> Log.infof(
                        "request %s approved by %d approver(s): written for the provisioner",
                        command.requestId(), entry.approvals.size()));
    }

    /** The FAILED event of a request rejected or expired. */
    Uni<Void> failed(Entry entry) {
        RequestCommand command = entry.reserve.pending().command();
        boolean rejected = entry.state == State.REJECTED;
        String message = rejected
                ? "Rejected by " + (entry.decidedBy == null ? "an approver" : entry.decidedBy.name())
                        + (entry.comment == null ? "" : ": " + entry.comment)
                : "No decision before " + entry.reserve.pending().expiresAt() + " (the policy's approval expiry); "
                        + "ask again if it is still needed";
        return events.failed(
                        command,
                        rejected ? FailureReason.APPROVAL_REJECTED : FailureReason.APPROVAL_EXPIRED,
                        message,
                        entry.decidedAt == null ? Instant.now() : entry.decidedAt)
                .invoke(view::applyEvent)
                .replaceWithVoid();
    }

    private Entry decidable(String requestId, String action) {
        audit.about(null, "request." + action, requestId);
        audit.requestId(requestId);
        Caller caller = callers.requireWrite();
        Entry entry = ledger.entry(requestId)
                .filter(e -> e.reserve.pending() != null)
                .filter(e -> callers.visible(e.reserve.team()) || mayDecide(caller, e))
                .orElseThrow(() -> ProblemException.notFound("No request " + requestId + " waits for approval"));
        audit.team(entry.reserve.team());
        if (caller.tokenName() != null) {
            throw Callers.forbidden("Approvals are decisions of people: an API token cannot " + action);
        }
        // the requester may withdraw, and an admin may stop any request
        boolean withdrawing = "reject".equals(action) && (own(caller, entry) || caller.admin());
        if (!withdrawing && !mayDecide(caller, entry)) {
            Pending pending = entry.reserve.pending();
            String approvers = pending.required() == 0
                    ? null
                    : Policy.Approval.TEAM.equals(pending.approvers())
                            ? "another member of team " + entry.reserve.team() + " or a platform admin"
                            : "a platform admin";
            String consents = pending.consents().isEmpty()
                    ? null
                    : "a member of team(s) " + String.join(", ", pending.consents()) + " (consent to a grant to "
                            + "their topics)";
            throw Callers.forbidden("Only "
                    + (approvers == null ? consents : consents == null ? approvers : approvers + ", or " + consents)
                    + " may " + action
                    + " this request");
        }
        if (entry.state != State.AWAITING_APPROVAL) {
            throw ProblemException.conflict(
                    "not-awaiting-approval",
                    "The request does not wait for approval",
                    "Request " + requestId + " is "
                            + entry.state.name().toLowerCase().replace('_', ' '));
        }
        return entry;
    }

    /**
     * Whether the caller may approve or reject: one of the approvers the policy names, or a member of a team whose
     * consent the request needs (a grant to that team's topic: the team itself decides, not an admin for it).
     */
    static boolean mayDecide(Caller caller, Entry entry) {
        return asApprover(caller, entry)
                || entry.reserve.pending().consents().stream().anyMatch(caller.teams()::contains);
    }

    /** Whether the caller's approval counts as one of the policy's approvers. */
    static boolean asApprover(Caller caller, Entry entry) {
        Pending pending = entry.reserve.pending();
        return pending.required() > 0
                && (caller.admin()
                        || (Policy.Approval.TEAM.equals(pending.approvers()) && caller.actsFor(entry.reserve.team())));
    }

    private static boolean own(Caller caller, Entry entry) {
        Requester requester = entry.reserve.pending().command().requestedBy();
        return requester != null && requester.subject().equals(caller.subject());
    }

    private static void refuseUnless(Outcome outcome) {
        if (!outcome.accepted()) {
            if (outcome.reason().contains("cannot approve their own")) {
                throw Callers.forbidden(outcome.reason());
            }
            throw ProblemException.conflict("approval-refused", "The decision was not taken", outcome.reason());
        }
    }

    private static Decided decided(Entry entry) {
        String state = switch (entry.state) {
            case AWAITING_APPROVAL -> "AWAITING_APPROVAL";
            case ACCEPTED, CLOSED -> "ACCEPTED";
            case REJECTED, EXPIRED, REFUSED -> "FAILED";
        };
        return new Decided(
                entry.reserve.requestId(),
                state,
                List.copyOf(entry.approvals),
                entry.reserve.pending().required());
    }

    private static Waiting waiting(Entry e) {
        Pending p = e.reserve.pending();
        RequestCommand c = p.command();
        return new Waiting(
                c.requestId(),
                c.resource().kind().segment(),
                c.operation().name(),
                c.resource().key(),
                e.reserve.team(),
                p.environment(),
                c.requestedBy(),
                c.acceptedAt(),
                p.expiresAt(),
                p.summary(),
                p.contentHash(),
                p.required(),
                p.approvers(),
                List.copyOf(e.approvals),
                p.reasons(),
                p.consents());
    }

    private static String trim(String comment) {
        if (comment == null) {
            return null;
        }
        String t = comment.strip();
        return t.length() > 1000 ? t.substring(0, 1000) : t;
    }
}
