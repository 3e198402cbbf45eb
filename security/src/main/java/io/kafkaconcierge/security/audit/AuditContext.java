package io.kafkaconcierge.security.audit;

import io.kafkaconcierge.contracts.AuditRecord.Decision;
import jakarta.enterprise.context.RequestScoped;

/**
 * What the service serving a request knows about it, for its audit record: the team it concerns, the action, the
 * resource, the request id, and the decision when it is not a plain acceptance. Set by services as they learn it;
 * read once by {@link HttpAudit} when the answer leaves.
 */
@RequestScoped
public class AuditContext {

    private String team;
    private String action;
    private String resource;
    private String requestId;
    private Decision decision;

    public AuditContext about(String team, String action, String resource) {
        if (team != null) {
            this.team = team;
        }
        this.action = action;
        this.resource = resource;
        return this;
    }

    public AuditContext team(String team) {
        this.team = team;
        return this;
    }

    public AuditContext requestId(String requestId) {
        this.requestId = requestId;
        return this;
    }

    /** The decision when the answer is a success: CREATED, CHANGED, DELETED, REVOKED; ACCEPTED if unset. */
    public AuditContext decision(Decision decision) {
        this.decision = decision;
        return this;
    }

    public String team() {
        return team;
    }

    public String action() {
        return action;
    }

    public String resource() {
        return resource;
    }

    public String requestId() {
        return requestId;
    }

    public Decision decision() {
        return decision;
    }
}
