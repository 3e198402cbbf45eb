package io.kafkaconcierge.api.rest;

import io.kafkaconcierge.api.guard.Approvals;
import io.kafkaconcierge.api.guard.Approvals.Decided;
import io.kafkaconcierge.api.service.CredentialReveals;
import io.kafkaconcierge.api.service.StatusService;
import io.kafkaconcierge.api.view.RequestStatus;
import io.kafkaconcierge.problem.Problem;
import io.kafkaconcierge.security.Callers;
import io.kafkaconcierge.security.Roles;
import io.quarkus.security.Authenticated;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.CacheControl;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

@Path("/api/v1/requests")
@Produces(MediaType.APPLICATION_JSON)
@Authenticated
@SecurityRequirement(name = "bearer")
@Tag(name = "Requests", description = "Where each request is, and how it got there")
public class RequestResource {

    private final StatusService status;
    private final Approvals approvals;
    private final CredentialReveals reveals;
    private final Callers callers;

    public RequestResource(StatusService status, Approvals approvals, CredentialReveals reveals, Callers callers) {
        this.status = status;
        this.approvals = approvals;
        this.reveals = reveals;
        this.callers = callers;
    }

    @GET
    @Path("{id}")
    @Operation(
            operationId = "getRequest",
            summary = "A request's state and history of transitions, with times and reasons",
            description = "For a new Kafka user or a rotation: the first answer after READY to a member of the owning "
                    + "team carries the password (credential), once; every answer is Cache-Control: no-store.")
    @APIResponse(responseCode = "200", content = @Content(schema = @Schema(implementation = RequestStatus.class)))
    @APIResponse(
            responseCode = "404",
            description = "No such request",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public Uni<Response> get(@PathParam("id") String id) {
        return Uni.createFrom()
                .deferred(() -> reveals.revealOnce(status.request(id), callers.current()))
                .map(r -> Response.ok(r).cacheControl(NO_STORE).build());
    }

    private static final CacheControl NO_STORE = CacheControl.valueOf("no-store");

    /** An approver's decision. {@code contentHash}, when given, must be the content the approver saw. */
    public record Decision(String comment, String contentHash) {}

    @POST
    @Path("{id}/approve")
    @Consumes(MediaType.APPLICATION_JSON)
    @RolesAllowed(Roles.WRITE)
    @Operation(
            operationId = "approveRequest",
            summary = "Approve a waiting request",
            description = "Never the requester's own; an API token cannot approve. With the last approval needed, "
                    + "the request goes to the provisioner.")
    @APIResponse(
            responseCode = "200",
            description = "Counted",
            content = @Content(schema = @Schema(implementation = Decided.class)))
    @APIResponse(
            responseCode = "404",
            description = "No such request waiting",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(
            responseCode = "409",
            description = "Not waiting any more, already approved by the caller, or " + "another content",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public Uni<Decided> approve(@PathParam("id") String id, Decision body) {
        return approvals.approve(id, body == null ? null : body.comment(), body == null ? null : body.contentHash());
    }

    @POST
    @Path("{id}/reject")
    @Consumes(MediaType.APPLICATION_JSON)
    @RolesAllowed(Roles.WRITE)
    @Operation(
            operationId = "rejectRequest",
            summary = "Reject a waiting request (or withdraw one's own)",
            description = "It ends FAILED with reason APPROVAL_REJECTED and never reaches the provisioner.")
    @APIResponse(
            responseCode = "200",
            description = "Rejected",
            content = @Content(schema = @Schema(implementation = Decided.class)))
    @APIResponse(
            responseCode = "404",
            description = "No such request waiting",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(
            responseCode = "409",
            description = "Not waiting any more",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public Uni<Decided> reject(@PathParam("id") String id, Decision body) {
        return approvals.reject(id, body == null ? null : body.comment());
    }
}
