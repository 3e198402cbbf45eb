package io.kafkaconcierge.api.rest;

import io.kafkaconcierge.api.rest.dto.Accepted;
import io.kafkaconcierge.api.rest.dto.InstancePatchRequest;
import io.kafkaconcierge.api.rest.dto.InstanceRequest;
import io.kafkaconcierge.api.service.InstanceRequestService;
import io.kafkaconcierge.api.service.StatusService;
import io.kafkaconcierge.api.view.InstanceView;
import io.kafkaconcierge.api.view.RequestView.Page;
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

@Path("/api/v1/instances")
@Produces(MediaType.APPLICATION_JSON)
@Authenticated
@SecurityRequirement(name = "bearer")
@Tag(name = "Instances", description = "Ask for a dedicated Kafka instance with your parameters, change it, delete it")
public class InstanceResource {

    private static final String CREATE_EXAMPLE = """
            {"name": "analytics", "owner": "data-platform", "brokers": 3, "kafkaVersion": "4.1.1",
             "config": {"num.partitions": 6, "default.replication.factor": 3, "min.insync.replicas": 2,
                        "log.retention.hours": 72, "compression.type": "zstd"},
             "storage": {"type": "persistent", "size": "20Gi"},
             "listeners": [{"name": "plain", "port": 9092, "type": "internal", "tls": false}],
             "deletionProtection": true, "description": "Clickstream analytics"}""";

    private final InstanceRequestService requests;
    private final StatusService status;

    public InstanceResource(InstanceRequestService requests, StatusService status) {
        this.requests = requests;
        this.status = status;
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(
            operationId = "createInstance",
            summary = "Ask for an instance",
            description = "Validates the request and writes it durably to Kafka; "
                    + "follow the Location to see it provisioned. When READY, its name is a cluster that topic requests "
                    + "can target, and GET /api/v1/instances/{name} has its bootstrap servers.")
    @RequestBody(content = @Content(examples = @ExampleObject(name = "analytics", value = CREATE_EXAMPLE)))
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
            description = "The name is taken by an instance or a registered cluster",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(
            responseCode = "422",
            description = "Invalid fields: name, version, brokers, configs off the "
                    + "allow-list or out of range, listeners the backend cannot give",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(
            responseCode = "503",
            description = "Kafka cannot take the request now; see Retry-After",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @RolesAllowed(Roles.WRITE)
    public Uni<Response> create(
            InstanceRequest body,
            @Parameter(description = "Makes retries safe") @HeaderParam(TopicResource.IDEMPOTENCY_KEY)
                    String idempotencyKey,
            @Parameter(
                            description =
                                    "Decide, and write nothing: 200 with the plan (policy, quota, approval), or the refusal the request would get")
                    @QueryParam("dryRun")
                    boolean dryRun) {
        return requests.create(body, idempotencyKey, dryRun).map(TopicResource::accepted);
    }

    @PATCH
    @Path("{name}")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(
            operationId = "updateInstance",
            summary = "Change an instance",
            description =
                    "Set allowed configs (null: back to default), add " + "brokers, set or clear deletionProtection.")
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
            description = "No such instance",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(
            responseCode = "409",
            description = "Another request on the instance is still in progress",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(
            responseCode = "422",
            description = "Invalid change",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @RolesAllowed(Roles.WRITE)
    public Uni<Response> update(
            @PathParam("name") String name,
            InstancePatchRequest body,
            @HeaderParam(TopicResource.IDEMPOTENCY_KEY) String idempotencyKey,
            @Parameter(
                            description =
                                    "Decide, and write nothing: 200 with the plan (policy, quota, approval), or the refusal the request would get")
                    @QueryParam("dryRun")
                    boolean dryRun) {
        return requests.update(name, body, idempotencyKey, dryRun).map(TopicResource::accepted);
    }

    @DELETE
    @Path("{name}")
    @Operation(
            operationId = "deleteInstance",
            summary = "Delete an instance",
            description = "Stops it and removes its data. Refused while " + "deletionProtection is set.")
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
            description = "No such instance",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(
            responseCode = "409",
            description = "deletionProtection is set",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @RolesAllowed(Roles.WRITE)
    public Uni<Response> delete(
            @PathParam("name") String name,
            @HeaderParam(TopicResource.IDEMPOTENCY_KEY) String idempotencyKey,
            @Parameter(
                            description =
                                    "Decide, and write nothing: 200 with the plan (policy, quota, approval), or the refusal the request would get")
                    @QueryParam("dryRun")
                    boolean dryRun) {
        return requests.delete(name, idempotencyKey, dryRun).map(TopicResource::accepted);
    }

    @GET
    @Operation(
            operationId = "listInstances",
            summary = "List instances",
            description = "Filter by owner and state; paginated.")
    public Page<InstanceView> list(
            @QueryParam("owner") String owner,
            @Parameter(description = "ACCEPTED, PROVISIONING, UPDATING, DELETING, DEGRADED, READY, FAILED or DELETED")
                    @QueryParam("state")
                    String state,
            @QueryParam("page") @DefaultValue("0") int page,
            @QueryParam("size") @DefaultValue("50") int size) {
        return status.instances(owner, state, page, size);
    }

    @GET
    @Path("{name}")
    @Operation(
            operationId = "getInstance",
            summary = "One instance: state, conditions, bootstrap servers per listener, version, brokers, backend, "
                    + "the applied spec")
    @APIResponse(
            responseCode = "200",
            description = "The instance",
            content = @Content(schema = @Schema(implementation = InstanceView.class)))
    @APIResponse(
            responseCode = "404",
            description = "No such instance",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public InstanceView get(@PathParam("name") String name) {
        return status.instance(name);
    }
}
