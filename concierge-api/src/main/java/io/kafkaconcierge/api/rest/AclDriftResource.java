package io.kafkaconcierge.api.rest;

import io.kafkaconcierge.api.rest.dto.AclDrift;
import io.kafkaconcierge.api.service.AclDriftService;
import io.kafkaconcierge.problem.Problem;
import io.quarkus.security.Authenticated;
import io.smallrye.mutiny.Uni;
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

@Path("/api/v1/clusters/{cluster}/acls/drift")
@Produces(MediaType.APPLICATION_JSON)
@Authenticated
@SecurityRequirement(name = "bearer")
@Tag(
        name = "Users",
        description = "Kafka users (service accounts) of a team: SCRAM credentials, grants as ACLs, quotas")
public class AclDriftResource {

    private final AclDriftService drift;

    public AclDriftResource(AclDriftService drift) {
        this.drift = drift;
    }

    @GET
    @Operation(
            operationId = "getAclDrift",
            summary = "ACLs and SCRAM users no concierge user accounts for (admins)",
            description = "Reads the cluster's ACLs and SCRAM users now and lists those that no live concierge user "
                    + "accounts for (a user's ACLs count when its grants give them), leaving out the concierge's "
                    + "own service principals: candidates to adopt (as users with grants) or to remove. Changes "
                    + "nothing.")
    @APIResponse(
            responseCode = "200",
            description = "The drift; empty lists when the cluster holds nothing else",
            content = @Content(schema = @Schema(implementation = AclDrift.class)))
    @APIResponse(
            responseCode = "403",
            description = "Not a platform admin",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(
            responseCode = "404",
            description = "No such registered cluster",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(
            responseCode = "409",
            description = "The cluster cannot be compared: no authorizer, or the API's "
                    + "client there may not read ACLs (the detail says which and what to configure)",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(
            responseCode = "503",
            description =
                    "The cluster cannot be read now (unreachable, no answer); " + "Retry-After says when to ask again",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public Uni<AclDrift> drift(@PathParam("cluster") String cluster) {
        return drift.drift(cluster);
    }
}
