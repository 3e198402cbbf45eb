package io.kafkaconcierge.api.rest;

import io.kafkaconcierge.api.guard.Approvals;
import io.kafkaconcierge.api.guard.Approvals.Waiting;
import io.quarkus.security.Authenticated;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** Requests waiting for approvers, and their decisions. */
@Path("/api/v1/approvals")
@Produces(MediaType.APPLICATION_JSON)
@Authenticated
@SecurityRequirement(name = "bearer")
@Tag(name = "Approvals", description = "Requests the policy holds for approvers (four eyes)")
public class ApprovalResource {

    private final Approvals approvals;

    public ApprovalResource(Approvals approvals) {
        this.approvals = approvals;
    }

    @GET
    @Operation(operationId = "listApprovals", summary = "What the caller may decide, oldest first")
    @APIResponse(responseCode = "200", description = "Requests waiting for the caller's decision")
    public List<Waiting> queue() {
        return approvals.queue();
    }
}
