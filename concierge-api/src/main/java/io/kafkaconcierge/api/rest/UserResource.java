package io.kafkaconcierge.api.rest;

import io.kafkaconcierge.api.rest.dto.Accepted;
import io.kafkaconcierge.api.rest.dto.UserPatchRequest;
import io.kafkaconcierge.api.rest.dto.UserRequest;
import io.kafkaconcierge.api.service.StatusService;
import io.kafkaconcierge.api.service.UserRequestService;
import io.kafkaconcierge.api.view.RequestView.Page;
import io.kafkaconcierge.api.view.UserStatus;
import io.kafkaconcierge.problem.Problem;
import io.kafkaconcierge.security.Roles;
import io.quarkus.security.Authenticated;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.PATCH;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.ExampleObject;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

@Path("/api/v1/users")
@Produces(MediaType.APPLICATION_JSON)
@Authenticated
@SecurityRequirement(name = "bearer")
@Tag(
        name = "Users",
        description = "Kafka users (service accounts) of a team: SCRAM credentials, grants as ACLs, quotas")
public class UserResource {

    private static final String CREATE_EXAMPLE = """
            {"cluster": "local", "name": "payments-orders-writer", "owner": "payments",
             "grants": [{"topic": "orders.v1", "operations": ["produce"]},
                        {"topic": "payments.", "patternType": "prefixed", "operations": ["consume"],
                         "group": "payments-billing"}],
             "quotas": {"producerByteRate": 1048576, "requestPercentage": 25},
             "description": "The web shop's order writer"}""";

    private final UserRequestService requests;
    private final StatusService status;

    public UserResource(UserRequestService requests, StatusService status) {
        this.requests = requests;
        this.status = status;
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(
            operationId = "createUser",
            summary = "Ask for a Kafka user",
            description = "A SCRAM-SHA-512 user of the owner team, its grants made ACLs and its quotas set. Its "
                    + "password is made by the concierge and shown once, in GET /api/v1/requests/{id} after READY.")
    @RequestBody(content = @Content(examples = @ExampleObject(name = "writer", value = CREATE_EXAMPLE)))
    @APIResponse(
            responseCode = "202",
            description = "Accepted; durably on Kafka (or waiting for approvers or a "
                    + "team's consent: state AWAITING_APPROVAL)",
            content = @Content(schema = @Schema(implementation = Accepted.class)))
    @APIResponse(
            responseCode = "200",
            description = "A dry run: the plan of the guard rails; nothing was written",
            content = @Content(schema = @Schema(implementation = Accepted.class)))
    @APIResponse(
            responseCode = "400",
            description = "The body is not readable JSON or has unknown fields",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(
            responseCode = "403",
            description = "Not your team",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(
            responseCode = "409",
            description = "The user exists",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(
            responseCode = "422",
            description = "Invalid fields, unknown cluster, names outside the team's "
                    + "claims, quotas over the policy, or a reused Idempotency-Key",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(
            responseCode = "503",
            description = "Kafka cannot take the request now; see Retry-After",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @RolesAllowed(Roles.WRITE)
    public Uni<Response> create(
            UserRequest body,
            @Parameter(description = "Makes retries safe") @HeaderParam(TopicResource.IDEMPOTENCY_KEY)
                    String idempotencyKey,
            @Parameter(
                            description =
                                    "Decide, and write nothing: 200 with the plan (policy, approval, consents), or the refusal the request would get")
                    @QueryParam("dryRun")
                    boolean dryRun) {
        return requests.create(body, idempotencyKey, dryRun).map(TopicResource::accepted);
    }

    @GET
    @Operation(
            operationId = "listUsers",
            summary = "List the Kafka users of your teams",
            description = "Filter by cluster, owner and state; paginated. Never a password.")
    public Page<UserStatus> list(
            @QueryParam("cluster") String cluster,
            @QueryParam("owner") String owner,
            @Parameter(description = "ACCEPTED, PROVISIONING, READY, FAILED or DELETED") @QueryParam("state")
                    String state,
            @QueryParam("page") @DefaultValue("0") int page,
            @QueryParam("size") @DefaultValue("50") int size) {
        return status.users(cluster, owner, state, page, size);
    }

    @GET
    @Path("{cluster}/{name}")
    @Operation(operationId = "getUser", summary = "One Kafka user: its state, applied spec and latest request")
    @APIResponse(
            responseCode = "200",
            description = "The user",
            content = @Content(schema = @Schema(implementation = UserStatus.class)))
    @APIResponse(
            responseCode = "404",
            description = "The concierge has no such user",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public UserStatus get(@PathParam("cluster") String cluster, @PathParam("name") String name) {
        return status.user(cluster, name);
    }

    @PATCH
    @Path("{cluster}/{name}")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(
            operationId = "updateUser",
            summary = "Change a user's grants, quotas or description",
            description = "grants and quotas replace the whole list and all quotas; new ACLs are added before old "
                    + "ones are removed.")
    @APIResponse(
            responseCode = "202",
            description = "Accepted; durably on Kafka (or waiting for approvers or a "
                    + "team's consent: state AWAITING_APPROVAL)",
            content = @Content(schema = @Schema(implementation = Accepted.class)))
    @APIResponse(
            responseCode = "200",
            description = "A dry run: the plan of the guard rails; nothing was written",
            content = @Content(schema = @Schema(implementation = Accepted.class)))
    @APIResponse(
            responseCode = "403",
            description = "Not your team",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(
            responseCode = "404",
            description = "The concierge manages no such user",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(
            responseCode = "422",
            description = "Invalid change, or one the guard rails refuse",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @RolesAllowed(Roles.WRITE)
    public Uni<Response> update(
            @PathParam("cluster") String cluster,
            @PathParam("name") String name,
            UserPatchRequest body,
            @HeaderParam(TopicResource.IDEMPOTENCY_KEY) String idempotencyKey,
            @Parameter(
                            description =
                                    "Decide, and write nothing: 200 with the plan (policy, approval, consents), or the refusal the request would get")
                    @QueryParam("dryRun")
                    boolean dryRun) {
        return requests.update(cluster, name, body, idempotencyKey, dryRun).map(TopicResource::accepted);
    }

    @POST
    @Path("{cluster}/{name}/credentials/rotate")
    @Operation(
            operationId = "rotateUserCredential",
            summary = "Give a user a new password",
            description = "The old password stops working when the request is READY; the new one is shown once in "
                    + "GET /api/v1/requests/{id}.")
    @APIResponse(
            responseCode = "202",
            description = "Accepted; durably on Kafka (or waiting for approvers or a "
                    + "team's consent: state AWAITING_APPROVAL)",
            content = @Content(schema = @Schema(implementation = Accepted.class)))
    @APIResponse(
            responseCode = "200",
            description = "A dry run: the plan of the guard rails; nothing was written",
            content = @Content(schema = @Schema(implementation = Accepted.class)))
    @APIResponse(
            responseCode = "404",
            description = "The concierge manages no such user",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @RolesAllowed(Roles.WRITE)
    public Uni<Response> rotate(
            @PathParam("cluster") String cluster,
            @PathParam("name") String name,
            @HeaderParam(TopicResource.IDEMPOTENCY_KEY) String idempotencyKey,
            @Parameter(
                            description =
                                    "Decide, and write nothing: 200 with the plan (policy, approval, consents), or the refusal the request would get")
                    @QueryParam("dryRun")
                    boolean dryRun) {
        return requests.rotate(cluster, name, idempotencyKey, dryRun).map(TopicResource::accepted);
    }

    @DELETE
    @Path("{cluster}/{name}")
    @Operation(operationId = "deleteUser", summary = "Delete a user: its credential, ACLs and quotas")
    @APIResponse(
            responseCode = "202",
            description = "Accepted; durably on Kafka (or waiting for approvers or a "
                    + "team's consent: state AWAITING_APPROVAL)",
            content = @Content(schema = @Schema(implementation = Accepted.class)))
    @APIResponse(
            responseCode = "200",
            description = "A dry run: the plan of the guard rails; nothing was written",
            content = @Content(schema = @Schema(implementation = Accepted.class)))
    @APIResponse(
            responseCode = "404",
            description = "The concierge manages no such user",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @RolesAllowed(Roles.WRITE)
    public Uni<Response> delete(
            @PathParam("cluster") String cluster,
            @PathParam("name") String name,
            @HeaderParam(TopicResource.IDEMPOTENCY_KEY) String idempotencyKey,
            @Parameter(
                            description =
                                    "Decide, and write nothing: 200 with the plan (policy, approval, consents), or the refusal the request would get")
                    @QueryParam("dryRun")
                    boolean dryRun) {
        return requests.delete(cluster, name, idempotencyKey, dryRun).map(TopicResource::accepted);
    }
}
