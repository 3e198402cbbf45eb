package io.kafkaconcierge.api.guard;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import io.kafkaconcierge.contracts.RequestCommand;
import io.kafkaconcierge.contracts.Requester;
import java.time.Instant;
import java.util.List;

/** A record of {@code concierge.ledger}, keyed by team. See guard/DESIGN.md for the rules of the fold. */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "type")
@JsonSubTypes({
    @JsonSubTypes.Type(value = LedgerRecord.Reserve.class, name = "reserve"),
    @JsonSubTypes.Type(value = LedgerRecord.Approve.class, name = "approve"),
    @JsonSubTypes.Type(value = LedgerRecord.Reject.class, name = "reject"),
    @JsonSubTypes.Type(value = LedgerRecord.Expire.class, name = "expire"),
    @JsonSubTypes.Type(value = LedgerRecord.Released.class, name = "released"),
    @JsonSubTypes.Type(value = LedgerRecord.Release.class, name = "release"),
    @JsonSubTypes.Type(value = LedgerRecord.Settle.class, name = "settle"),
    @JsonSubTypes.Type(value = LedgerRecord.Timeout.class, name = "timeout")
})
sealed interface LedgerRecord {

    /**
     * A request's growth of its team's usage, to be counted from now on: accepted if the team's usage (resources
     * plus every open reservation before this one) plus {@code delta} stays within {@code limits} (the quota the
     * writer applied), refused otherwise. With {@code pending}, an accepted reservation waits for approval.
     */
    record Reserve(
            String requestId, String team, String resource, Usage delta, Quota limits, Pending pending, Instant at)
            implements LedgerRecord {}

    /**
     * What a request waiting for approval needs, and the command written once it has it: {@code required} distinct
     * approvers of the kind {@code approvers} names, and the consent of each team in {@code consents} (one approval by
     * one of its members; a grant to that team's topic).
     */
    record Pending(
            RequestCommand command,
            String environment,
            int required,
            String approvers,
            Instant expiresAt,
            String contentHash,
            String summary,
            List<String> reasons,
            List<String> consents) {

        public Pending {
            consents = consents == null ? List.of() : List.copyOf(consents);
        }

        /** Whether anything is still to be given before the command may be written. */
        boolean needsSomeone() {
            return required > 0 || !consents.isEmpty();
        }
    }

    /**
     * An approval, counted if the request waits, the content is the same, and the approver is new and not the
     * requester. The writer decides what the approver may give: {@code asApprover} (one of the {@code approvers};
     * null in records written before consents existed: true) and the {@code consents} of teams the approver is a
     * member of.
     */
    record Approve(
            String id,
            String requestId,
            Requester by,
            String contentHash,
            String comment,
            Instant at,
            Boolean asApprover,
            List<String> consents)
            implements LedgerRecord {

        public Approve {
            consents = consents == null ? List.of() : List.copyOf(consents);
        }

        boolean countsAsApprover() {
            return asApprover == null || asApprover;
        }
    }

    record Reject(String id, String requestId, Requester by, String comment, Instant at) implements LedgerRecord {}

    /** The request waited past its expiry: it fails, if still waiting. */
    record Expire(String requestId, Instant at) implements LedgerRecord {}

    /** The command of an approved request is on {@code concierge.requests}. */
    record Released(String requestId, Instant at) implements LedgerRecord {}

    /** A reservation no longer counts: its command was never written, or never will be. Charges stay as they are. */
    record Release(String requestId, String reason, Instant at) implements LedgerRecord {}

    /**
     * A resource's charge as it is now ({@code charge} null: gone), closing {@code requestId}'s reservation if open.
     * Applied only if {@code asOf} (the acceptance of the resource's latest request) is not older than the charge's.
     */
    record Settle(String requestId, String team, String resource, Usage charge, Instant asOf) implements LedgerRecord {}

    /**
     * A replica's decision that {@code requestId} ran past its deadline while {@code stuckIn}: the first such record
     * of a request on the ledger is the decision, and only its writer (the one whose {@code id} it carries) publishes
     * the FAILED event with reason TIMEOUT and {@code message}. Later ones change nothing.
     */
    record Timeout(String id, String requestId, String team, String stuckIn, String message, Instant at)
            implements LedgerRecord {}
}
