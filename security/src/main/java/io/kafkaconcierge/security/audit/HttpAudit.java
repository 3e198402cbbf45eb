package io.kafkaconcierge.security.audit;

import io.kafkaconcierge.contracts.AuditRecord.Decision;
import io.kafkaconcierge.problem.Problem;
import io.kafkaconcierge.security.Callers;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerResponseContext;
import java.util.Objects;
import java.util.Set;
import org.jboss.resteasy.reactive.server.ServerResponseFilter;

/**
 * One audit record per decision taken over HTTP, written as the answer leaves: every change asked for (POST, PUT,
 * PATCH, DELETE) whatever the answer, and every 401 and 403. Reads are not recorded. The team, action and resource
 * come from the {@link AuditContext} the service filled in. A dry run ({@code ?dryRun=true}) is no change: only its 401
 * or 403 is recorded.
 */
public class HttpAudit {

    private static final Set<String> CHANGES = Set.of("POST", "PUT", "PATCH", "DELETE");

    private final Audit audit;
    private final AuditContext context;
    private final Callers callers;

    public HttpAudit(Audit audit, AuditContext context, Callers callers) {
        this.audit = audit;
        this.context = context;
        this.callers = callers;
    }

    @ServerResponseFilter
    public void record(ContainerRequestContext request, ContainerResponseContext response) {
        String path = Objects.requireNonNullElse(Problem.instance(request.getUriInfo()), "");
        int status = response.getStatus();
        if (!path.startsWith("/api/") || !(CHANGES.contains(request.getMethod()) || status == 401 || status == 403)) {
            return;
        }
        if (status != 401
                && status != 403
                && "true"
                        .equalsIgnoreCase(
                                request.getUriInfo().getQueryParameters().getFirst("dryRun"))) {
            return; // a dry run changes nothing, accepted or refused: not a change for the audit
        }
        String reason = null;
        String detail = null;
        if (response.getEntity() instanceof Problem problem) {
            reason = problem.type() != null && problem.type().startsWith(Problem.TYPE_BASE)
                    ? problem.type().substring(Problem.TYPE_BASE.length())
                    : problem.type();
            detail = problem.detail();
        }
        Decision decision;
        if (status < 400) {
            decision = context.decision() != null ? context.decision() : Decision.ACCEPTED;
        } else if (status >= 500 && status != 503) {
            decision = Decision.FAILED;
        } else {
            decision = Decision.REFUSED;
        }
        String action = context.action() != null
                ? context.action()
                : request.getMethod().toLowerCase() + " " + truncate(path, 200);
        audit.record(
                status == 401 ? null : callers.optional().orElse(null),
                context.team(),
                action,
                decision,
                reason,
                truncate(detail, 500),
                status,
                context.requestId(),
                context.resource());
    }

    private static String truncate(String s, int max) {
        return s == null || s.length() <= max ? s : s.substring(0, max) + "...";
    }
}
