package io.kafkaconcierge.contracts;

import java.time.Instant;
import java.util.List;

/**
 * The data of an {@code io.kafkaconcierge.approval.requested} event on {@link ConciergeTopics#EVENTS}: a request
 * waits for approvers. Subscriptions and e-mails of approvers select this type.
 *
 * @param requestId   the request waiting
 * @param operation   what it asks
 * @param resource    which resource
 * @param owner       the team that owns the resource
 * @param environment the environment class whose policy asks for approval
 * @param requestedBy who asked
 * @param requestedAt when
 * @param expiresAt   when it fails with {@link FailureReason#APPROVAL_EXPIRED} if still undecided
 * @param required    how many distinct approvers it needs (0: only the consents)
 * @param approvers   who may approve: {@code admins} (the platform admins) or {@code team} (another member of the
 *                    owning team)
 * @param summary     what is asked, in one line, for people
 * @param contentHash the hash of exactly what is asked: an approval holds for this content only
 * @param approvePath where an approver posts the approval ({@code POST}, relative to the API's base URL)
 * @param reasons     why approval is needed (the policy's rules that asked for it)
 * @param consents    teams that must each consent through one of their members (a user's grant to their topics)
 */
public record ApprovalRequested(
        String requestId,
        Operation operation,
        ResourceRef resource,
        String owner,
        String environment,
        Requester requestedBy,
        Instant requestedAt,
        Instant expiresAt,
        int required,
        String approvers,
        String summary,
        String contentHash,
        String approvePath,
        List<String> reasons,
        List<String> consents) {

    public String eventId() {
        return requestId + ".approval-requested";
    }
}
