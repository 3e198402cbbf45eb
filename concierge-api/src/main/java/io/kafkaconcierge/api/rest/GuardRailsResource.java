package io.kafkaconcierge.api.rest;

import io.kafkaconcierge.api.guard.Claim;
import io.kafkaconcierge.api.guard.GovernanceService;
import io.kafkaconcierge.api.guard.GovernanceService.ClaimRequest;
import io.kafkaconcierge.api.guard.GovernanceService.ClusterView;
import io.kafkaconcierge.api.guard.GovernanceService.PolicyView;
import io.kafkaconcierge.api.guard.GovernanceService.UsageView;
import io.kafkaconcierge.api.guard.Policy;
import io.kafkaconcierge.api.guard.Quota;
import io.kafkaconcierge.problem.Problem;
import io.kafkaconcierge.problem.ProblemException;
import io.kafkaconcierge.security.Roles;
import io.quarkus.security.Authenticated;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
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
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** The guard rails' data: teams' prefix claims, policies per environment and cluster, quotas and usage. */
@Path("/api/v1")
@Produces(MediaType.APPLICATION_JSON)
@Authenticated
@SecurityRequirement(name = "bearer")
@Tag(name = "Guard rails", description = "Prefix claims, policies, quotas and usage; the registered clusters")
public class GuardRailsResource {

    private final GovernanceService governance;

    public GuardRailsResource(GovernanceService governance) {
        this.governance = governance;
    }

    @GET
    @Path("teams/{team}/claims")
    @Operation(operationId = "listClaims", summary = "A team's prefix claims (members and admins)")
    @APIResponse(responseCode = "200", description = "The claims")
    public List<Claim> claims(@PathParam("team") String team) {
        return governance.claims(team);
    }

    @POST
    @Path("teams/{team}/claims")
    @Consumes(MediaType.APPLICATION_JSON)
    @RolesAllowed(Roles.WRITE)
    @Operation(
            operationId = "grantClaim",
            summary = "Grant a team the names under a prefix (admins)",
            description = "The prefix ends with '.', '-' or '_'; one overlapping another team's claim is refused "
                    + "('.' and '_' compared as the same, as Kafka's metrics do).")
    @APIResponse(
            responseCode = "201",
            description = "Granted (or held already)",
            content = @Content(schema = @Schema(implementation = Claim.class)))
    @APIResponse(
            responseCode = "409",
            description = "Overlaps another team's claim",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(
            responseCode = "422",
            description = "Invalid type or prefix",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public Uni<Response> grant(@PathParam("team") String team, ClaimRequest body) {
        return governance
                .grant(team, body)
                .map(claim -> Response.created(URI.create("/api/v1/teams/" + team + "/claims"))
                        .entity(claim)
                        .build());
    }

    @DELETE
    @Path("teams/{team}/claims/{resourceType}/{prefix}")
    @RolesAllowed(Roles.WRITE)
    @Operation(operationId = "revokeClaim", summary = "Revoke a claim (admins); existing topics stay")
    @APIResponse(responseCode = "204", description = "Revoked")
    @APIResponse(
            responseCode = "404",
            description = "No such claim",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public Uni<Response> revoke(
            @PathParam("team") String team,
            @PathParam("resourceType") String resourceType,
            @PathParam("prefix") String prefix) {
        return governance
                .revoke(team, resourceType, prefix)
                .map(ignored -> Response.noContent().build());
    }

    @GET
    @Path("policies/{environment}")
    @Operation(
            operationId = "getPolicy",
            summary = "The policy of an environment class (dev, test, prod)",
            description = "Its version is also the ETag; PUT with If-Match to change it without losing another "
                    + "admin's change.")
    @APIResponse(
            responseCode = "200",
            description = "The policy",
            content = @Content(schema = @Schema(implementation = PolicyView.class)))
    @APIResponse(
            responseCode = "404",
            description = "No such environment class",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public Response policy(@PathParam("environment") String environment) {
        PolicyView view = governance.policy(environment);
        return Response.ok(view).tag(String.valueOf(view.version())).build();
    }

    @PUT
    @Path("policies/{environment}")
    @Consumes(MediaType.APPLICATION_JSON)
    @RolesAllowed(Roles.WRITE)
    @Operation(operationId = "setPolicy", summary = "Set the policy of an environment class (admins)")
    @APIResponse(
            responseCode = "200",
            description = "Set; the new version",
            content = @Content(schema = @Schema(implementation = PolicyView.class)))
    @APIResponse(
            responseCode = "412",
            description = "If-Match names an older version",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(
            responseCode = "422",
            description = "An invalid policy",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public Uni<Response> setPolicy(
            @PathParam("environment") String environment, Policy policy, @HeaderParam("If-Match") String ifMatch) {
        requirePolicy(policy);
        return governance
                .setPolicy(environment, null, policy, version(ifMatch))
                .map(view ->
                        Response.ok(view).tag(String.valueOf(view.version())).build());
    }

    @GET
    @Path("clusters")
    @Operation(
            operationId = "listClusters",
            summary = "The registered clusters: environment class and bootstrap " + "servers",
            description = "What a client of a topic on one of them needs to connect (no credential; a "
                    + "dedicated instance's listeners are on the instance)")
    @APIResponse(responseCode = "200", description = "The clusters, by name")
    public List<ClusterView> clusters() {
        return governance.clusters();
    }

    @GET
    @Path("clusters/{cluster}/policy")
    @Operation(operationId = "getClusterPolicy", summary = "A cluster's own policy, overriding its environment's")
    @APIResponse(
            responseCode = "200",
            description = "The policy",
            content = @Content(schema = @Schema(implementation = PolicyView.class)))
    @APIResponse(
            responseCode = "404",
            description = "The cluster has none of its own",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public PolicyView clusterPolicy(@PathParam("cluster") String cluster) {
        return governance.clusterPolicy(cluster);
    }

    @PUT
    @Path("clusters/{cluster}/policy")
    @Consumes(MediaType.APPLICATION_JSON)
    @RolesAllowed(Roles.WRITE)
    @Operation(operationId = "setClusterPolicy", summary = "Give a cluster a policy of its own (admins)")
    @APIResponse(
            responseCode = "200",
            description = "Set",
            content = @Content(schema = @Schema(implementation = PolicyView.class)))
    @APIResponse(
            responseCode = "422",
            description = "An invalid policy",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public Uni<PolicyView> setClusterPolicy(
            @PathParam("cluster") String cluster, Policy policy, @HeaderParam("If-Match") String ifMatch) {
        requirePolicy(policy);
        return governance.setPolicy(null, cluster, policy, version(ifMatch));
    }

    @DELETE
    @Path("clusters/{cluster}/policy")
    @RolesAllowed(Roles.WRITE)
    @Operation(operationId = "removeClusterPolicy", summary = "Back to the environment's policy (admins)")
    @APIResponse(responseCode = "204", description = "Removed")
    public Uni<Response> removeClusterPolicy(@PathParam("cluster") String cluster) {
        return governance
                .setPolicy(null, cluster, null, null)
                .map(ignored -> Response.noContent().build());
    }

    @GET
    @Path("teams/{team}/usage")
    @Operation(
            operationId = "getUsage",
            summary = "A team's usage against its quota",
            description = "usage = resources (what exists) + inFlight (requests accepted or waiting for approval)")
    @APIResponse(
            responseCode = "200",
            description = "The usage",
            content = @Content(schema = @Schema(implementation = UsageView.class)))
    public UsageView usage(@PathParam("team") String team) {
        return governance.usage(team);
    }

    @PUT
    @Path("teams/{team}/quota")
    @Consumes(MediaType.APPLICATION_JSON)
    @RolesAllowed(Roles.WRITE)
    @Operation(operationId = "setQuota", summary = "Set a team's quota (admins); absent limits: the default")
    @APIResponse(
            responseCode = "200",
            description = "Set; the usage against it",
            content = @Content(schema = @Schema(implementation = UsageView.class)))
    @APIResponse(
            responseCode = "422",
            description = "A negative limit",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public Uni<UsageView> setQuota(@PathParam("team") String team, Quota quota) {
        return governance.setQuota(team, quota);
    }

    private static void requirePolicy(Policy policy) {
        if (policy == null) {
            throw new ProblemException(
                    400, "malformed-body", "The body cannot be read", "A policy is required", null, null);
        }
    }

    private static Long version(String ifMatch) {
        if (ifMatch == null || ifMatch.isBlank() || ifMatch.equals("*")) {
            return null;
        }
        try {
            return Long.parseLong(ifMatch.replace("\"", "").replace("W/", "").trim());
        } catch (NumberFormatException e) {
            throw new ProblemException(
                    412,
                    "policy-changed",
                    "The policy changed meanwhile",
                    "If-Match must be a version this API answered",
                    null,
                    null);
        }
    }
}
