package io.kafkaconcierge.api.rest;

import io.kafkaconcierge.api.rest.dto.TokenRequest;
import io.kafkaconcierge.api.rest.dto.TokenView;
import io.kafkaconcierge.api.service.TokenService;
import io.kafkaconcierge.problem.Problem;
import io.kafkaconcierge.security.Roles;
import io.quarkus.security.Authenticated;
import io.smallrye.common.annotation.Blocking;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.net.URI;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

@Path("/api/v1/teams/{team}/tokens")
@Produces(MediaType.APPLICATION_JSON)
@Authenticated
@Blocking
@Tag(name = "Identity", description = "Who you are to the concierge, and your teams' API tokens")
public class TokenResource {

    private final TokenService tokens;

    public TokenResource(TokenService tokens) {
        this.tokens = tokens;
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @RolesAllowed(Roles.WRITE)
    @Operation(operationId = "createToken", summary = "A new API token for automation: shown once, in this answer")
    @APIResponse(
            responseCode = "201",
            description = "Made; the token is in this answer only",
            content = @Content(schema = @Schema(implementation = TokenView.class)))
    @APIResponse(
            responseCode = "403",
            description = "Not a member of the team, or an API token asking",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(
            responseCode = "422",
            description = "Invalid name, scope or expiry",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public Response create(@PathParam("team") String team, TokenRequest body) {
        TokenView made = tokens.create(team, body);
        return Response.created(URI.create("/api/v1/teams/" + team + "/tokens/" + made.id()))
                .entity(made)
                .header("Cache-Control", "no-store")
                .build();
    }

    @GET
    @Operation(
            operationId = "listTokens",
            summary = "A team's tokens: name, scope, who made it, expiry, last use; never the token")
    public List<TokenView> list(@PathParam("team") String team) {
        return tokens.list(team);
    }

    @DELETE
    @Path("{id}")
    @RolesAllowed(Roles.WRITE)
    @Operation(operationId = "revokeToken", summary = "Revoke a token: refused on every replica within seconds")
    @APIResponse(responseCode = "204", description = "Revoked")
    @APIResponse(
            responseCode = "404",
            description = "The team has no such token",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public Response revoke(@PathParam("team") String team, @PathParam("id") String id) {
        tokens.revoke(team, id);
        return Response.noContent().build();
    }
}
