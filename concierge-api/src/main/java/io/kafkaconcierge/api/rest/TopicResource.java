package io.kafkaconcierge.api.rest;

import io.kafkaconcierge.api.rest.dto.Accepted;
import io.kafkaconcierge.api.rest.dto.TopicPatchRequest;
import io.kafkaconcierge.api.rest.dto.TopicRequest;
import io.kafkaconcierge.api.service.StatusService;
import io.kafkaconcierge.api.service.TopicRequestService;
import io.kafkaconcierge.api.view.RequestView.Page;
import io.kafkaconcierge.api.view.TopicStatus;
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
import java.net.URI;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.ExampleObject;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

@Path("/api/v1/topics")
@Produces(MediaType.APPLICATION_JSON)
@Authenticated
@SecurityRequirement(name = "bearer")
@Tag(name = "Topics", description = "Ask for topics on registered clusters, change and delete them")
public class TopicResource {

    static final String IDEMPOTENCY_KEY = "Idempotency-Key";
    private static final String CREATE_EXAMPLE = """
            {"cluster": "local", "name": "orders.v1", "partitions": 6, "replicationFactor": 1,
             "config": {"retention.ms": "604800000", "cleanup.policy": "delete"},
             "owner": "payments", "description": "Orders placed in the web shop"}""";
    private static final String ACCESS_EXAMPLE = """
            {"cluster": "local", "name": "payments.shipments", "partitions": 3, "replicationFactor": 1,
             "owner": "payments",
             "access": [{"user": "payments-orders-writer", "operations": ["produce"]},
                        {"user": "payments-billing", "operations": ["consume"], "group": "payments-billing"}]}""";

    private final TopicRequestService requests;
    private final StatusService status;

    public TopicResource(TopicRequestService requests, StatusService status) {
        this.requests = requests;
        this.status = status;
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(
            operationId = "createTopic",
            summary = "Ask for a topic",
            description = "Validates the request and writes it durably to Kafka; "
                    + "follow the Location to see it provisioned. The same Idempotency-Key with the same body within 24 "
                    + "hours returns the first request.")
    @RequestBody(
            content =
                    @Content(
                            examples = {
                                @ExampleObject(name = "orders", value = CREATE_EXAMPLE),
                                @ExampleObject(
                                        name = "with-access",
                                        summary = "With access for two users of the team",
                                        description =
                                                "The topic and the users' ACLs in one request: READY once both are in force",
                                        value = ACCESS_EXAMPLE)
                            }))
    @APIResponse(
            responseCode = "202",
            description = "Accepted; durably on Kafka (state AWAITING_APPROVAL when the "
                    + "policy asks for approvers first)",
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
            responseCode = "409",
            description = "The topic is already managed with another spec",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(
            responseCode = "422",
            description = "Invalid fields, unknown cluster, or a reused Idempotency-Key",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(
            responseCode = "503",
            description = "Kafka cannot take the request now; see Retry-After",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @RolesAllowed(Roles.WRITE)
    public Uni<Response> create(
            TopicRequest body,
            @Parameter(description = "Makes retries safe") @HeaderParam(IDEMPOTENCY_KEY) String idempotencyKey,
            @Parameter(
                            description =
                                    "Decide, and write nothing: 200 with the plan (policy, quota, approval), or the refusal the request would get")
                    @QueryParam("dryRun")
                    boolean dryRun) {
        return requests.create(body, idempotencyKey, dryRun).map(TopicResource::accepted);
    }

    @PATCH
    @Path("{cluster}/{name}")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(
            operationId = "updateTopic",
            summary = "Change a topic",
            description = "Raise the partition count (never lower it), set configs, "
                    + "or return them to the cluster default with null.")
    @APIResponse(
            responseCode = "202",
            description = "Accepted; durably on Kafka (state AWAITING_APPROVAL when the "
                    + "policy asks for approvers first)",
            content = @Content(schema = @Schema(implementation = Accepted.class)))
    @APIResponse(
            responseCode = "200",
            description = "A dry run: the plan of the guard rails; nothing was written",
            content = @Content(schema = @Schema(implementation = Accepted.class)))
    @APIResponse(
            responseCode = "404",
            description = "The concierge manages no such topic",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(
            responseCode = "422",
            description = "Invalid change",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @RolesAllowed(Roles.WRITE)
    public Uni<Response> update(
            @PathParam("cluster") String cluster,
            @PathParam("name") String name,
            TopicPatchRequest body,
            @HeaderParam(IDEMPOTENCY_KEY) String idempotencyKey,
            @Parameter(
                            description =
                                    "Decide, and write nothing: 200 with the plan (policy, quota, approval), or the refusal the request would get")
                    @QueryParam("dryRun")
                    boolean dryRun) {
        return requests.update(cluster, name, body, idempotencyKey, dryRun).map(TopicResource::accepted);
    }

    @DELETE
    @Path("{cluster}/{name}")
    @Operation(operationId = "deleteTopic", summary = "Delete a topic")
    @APIResponse(
            responseCode = "202",
            description = "Accepted; durably on Kafka (state AWAITING_APPROVAL when the "
                    + "policy asks for approvers first)",
            content = @Content(schema = @Schema(implementation = Accepted.class)))
    @APIResponse(
            responseCode = "200",
            description = "A dry run: the plan of the guard rails; nothing was written",
            content = @Content(schema = @Schema(implementation = Accepted.class)))
    @APIResponse(
            responseCode = "404",
            description = "The concierge manages no such topic",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @RolesAllowed(Roles.WRITE)
    public Uni<Response> delete(
            @PathParam("cluster") String cluster,
            @PathParam("name") String name,
            @HeaderParam(IDEMPOTENCY_KEY) String idempotencyKey,
            @Parameter(
                            description =
                                    "Decide, and write nothing: 200 with the plan (policy, quota, approval), or the refusal the request would get")
                    @QueryParam("dryRun")
                    boolean dryRun) {
        return requests.delete(cluster, name, idempotencyKey, dryRun).map(TopicResource::accepted);
    }

    @GET
    @Operation(
            operationId = "listTopics",
            summary = "List managed topics",
            description = "Filter by cluster, owner and state; paginated.")
    public Page<TopicStatus> list(
            @QueryParam("cluster") String cluster,
            @QueryParam("owner") String owner,
            @Parameter(description = "ACCEPTED, PROVISIONING, READY, FAILED or DELETED") @QueryParam("state")
                    String state,
            @QueryParam("page") @DefaultValue("0") int page,
            @QueryParam("size") @DefaultValue("50") int size) {
        return status.topics(cluster, owner, state, page, size);
    }

    @GET
    @Path("{cluster}/{name}")
    @Operation(operationId = "getTopic", summary = "One managed topic: its state, applied spec and latest request")
    @APIResponse(
            responseCode = "200",
            description = "The topic",
            content = @Content(schema = @Schema(implementation = TopicStatus.class)))
    @APIResponse(
            responseCode = "404",
            description = "The concierge has no such topic",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public TopicStatus get(@PathParam("cluster") String cluster, @PathParam("name") String name) {
        return status.topic(cluster, name);
    }

    static Response accepted(Accepted accepted) {
        if (accepted.isDryRun()) {
            return Response.ok(accepted).build();
        }
        Response.ResponseBuilder response = Response.accepted(accepted).location(URI.create(accepted.location()));
        if (accepted.replayed()) {
            response.header("Idempotent-Replayed", "true");
        }
        return response.build();
    }
}
