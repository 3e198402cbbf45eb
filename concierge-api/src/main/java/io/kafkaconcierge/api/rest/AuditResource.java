package io.kafkaconcierge.api.rest;

import io.kafkaconcierge.api.service.AuditService;
import io.kafkaconcierge.api.view.RequestView.Page;
import io.kafkaconcierge.contracts.AuditRecord;
import io.quarkus.security.Authenticated;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

@Path("/api/v1/audit")
@Produces(MediaType.APPLICATION_JSON)
@Authenticated
@Tag(name = "Audit", description = "Every decision: who asked what, when, and what was decided")
public class AuditResource {

    private final AuditService audit;

    public AuditResource(AuditService audit) {
        this.audit = audit;
    }

    @GET
    @Operation(operationId = "listAudit", summary = "Decisions, newest first: admins see all teams, members their own")
    public Page<AuditRecord> list(
            @QueryParam("team") String team,
            @Parameter(description = "Subject or name of who asked") @QueryParam("subject") String subject,
            @Parameter(
                            description =
                                    "An action (topic.create), a kind (topic, token, subscription) or a decision (refused)")
                    @QueryParam("type")
                    String type,
            @Parameter(description = "ISO-8601 instant, inclusive") @QueryParam("from") String from,
            @Parameter(description = "ISO-8601 instant, exclusive") @QueryParam("to") String to,
            @QueryParam("page") @DefaultValue("0") int page,
            @QueryParam("size") @DefaultValue("50") int size) {
        return audit.query(team, subject, type, from, to, page, size);
    }
}
