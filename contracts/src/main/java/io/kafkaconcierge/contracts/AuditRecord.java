package io.kafkaconcierge.contracts;

import java.time.Instant;

/**
 * One decision of the concierge, as written to {@link ConciergeTopics#AUDIT} keyed by {@link #team()}: the data of
 * an {@code io.kafkaconcierge.audit.recorded} CloudEvent. Never holds a secret (token, password, webhook secret,
 * Authorization header).
 *
 * @param id        unique per decision (the CloudEvent id); a record written twice keeps its id
 * @param time      when it was decided
 * @param team      the team the decision concerns; {@code -} when none is known (a caller without identity)
 * @param subject   who asked ({@code anonymous} without identity; {@code system:<service>} for the concierge itself)
 * @param name      a name for people, if known
 * @param tokenName the API token's name when the caller used one
 * @param action    what was asked, e.g. {@code topic.create}, {@code token.revoke}, {@code http.request}
 * @param decision  what was decided
 * @param reason    why, for a refusal or failure: {@code validation}, {@code unauthorized}, {@code forbidden}, ...
 * @param detail    a sentence for people
 * @param status    the HTTP status answered, when the decision was an answer
 * @param requestId the request this is about, if any
 * @param resource  the resource this is about, if any (e.g. {@code local/orders.v1}, {@code instance:analytics})
 * @param service   which service decided
 */
public record AuditRecord(
        String id,
        Instant time,
        String team,
        String subject,
        String name,
        String tokenName,
        String action,
        Decision decision,
        String reason,
        String detail,
        Integer status,
        String requestId,
        String resource,
        String service) {

    /** The CloudEvent type of every audit record. */
    public static final String TYPE = CloudEvents.TYPE_PREFIX + "audit.recorded";
    /** The team of a decision about a caller the concierge could not identify. */
    public static final String NO_TEAM = "-";

    public enum Decision {
        ACCEPTED,
        REFUSED,
        PROVISIONED,
        FAILED,
        DELETED,
        CREATED,
        CHANGED,
        REVOKED
    }
}
