package io.kafkaconcierge.api.rest;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import io.kafkaconcierge.problem.Problem;
import io.quarkus.security.Authenticated;
import io.kafkaconcierge.api.service.StatusService;
import io.kafkaconcierge.api.view.RequestStatus;

@Path("/api/v1/requests")
@Produces(MediaType.APPLICATION_JSON)
@Authenticated
@SecurityRequirement(name = "bearer")
@Tag(name = "Requests", description = "Where each request is, and how it got there")
public class RequestResource {

    private final StatusService status;

    public RequestResource(StatusService status) {
        this.status = status;
    }

    @GET
    @Path("{id}")
    @Operation(operationId = "getRequest",
            summary = "A request's state and history of transitions, with times and reasons")
    @APIResponse(responseCode = "200", content = @Content(schema = @Schema(implementation = RequestStatus.class)))
    @APIResponse(responseCode = "404", description = "No such request",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public RequestStatus get(@PathParam("id") String id) {
        return status.request(id);
    }
}
