package io.kafkaconcierge.notifier.rest;

import io.kafkaconcierge.contracts.Json;
import io.kafkaconcierge.notifier.delivery.DeliveryAttempt;
import io.kafkaconcierge.notifier.rest.dto.SubscriptionPatch;
import io.kafkaconcierge.notifier.rest.dto.SubscriptionRequest;
import io.kafkaconcierge.notifier.rest.dto.SubscriptionView;
import io.kafkaconcierge.notifier.subscription.DeliveryService;
import io.kafkaconcierge.notifier.subscription.SubscriptionService;
import io.kafkaconcierge.problem.Problem;
import io.kafkaconcierge.problem.Problem.FieldError;
import io.kafkaconcierge.problem.ProblemException;
import io.kafkaconcierge.security.Roles;
import io.quarkus.security.Authenticated;
import io.smallrye.common.annotation.Blocking;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PATCH;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.net.URI;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** Subscriptions: who gets which events, by webhook or e-mail, and what became of each delivery. */
@Path("/api/v1/subscriptions")
@Produces(MediaType.APPLICATION_JSON)
@Tag(
        name = "subscriptions",
        description = "Who gets which events, by signed webhook or e-mail, and what became " + "of each delivery")
@Blocking
@Authenticated
public class SubscriptionResource {

    private final SubscriptionService subscriptions;
    private final DeliveryService deliveries;

    public SubscriptionResource(SubscriptionService subscriptions, DeliveryService deliveries) {
        this.subscriptions = subscriptions;
        this.deliveries = deliveries;
    }

    /** The body of a rotation: how long the previous secret is still sent (ISO-8601, e.g. PT24H). */
    public record Rotation(String overlap) {}

    @Consumes(MediaType.APPLICATION_JSON)
    @POST
    @Operation(
            operationId = "createSubscription",
            summary = "Subscribe a webhook or e-mail addresses to events; a webhook's secret is in the answer, once")
    @APIResponse(
            responseCode = "201",
            description = "Made; a webhook's secret is in this answer only",
            content = @Content(schema = @Schema(implementation = SubscriptionView.class)))
    @APIResponse(
            responseCode = "400",
            description = "The body is not readable JSON or has unknown fields",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(
            responseCode = "422",
            description = "Invalid fields: filter, channel, URL, addresses",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @RolesAllowed(Roles.WRITE)
    public Response create(SubscriptionRequest request) {
        SubscriptionView created = subscriptions.create(request);
        return Response.created(URI.create("/api/v1/subscriptions/" + created.id()))
                .entity(created)
                .build();
    }

    @GET
    @Operation(operationId = "listSubscriptions", summary = "List subscriptions, optionally of one owner")
    public List<SubscriptionView> list(@QueryParam("owner") String owner) {
        return subscriptions.list(owner).stream()
                .map(s -> SubscriptionView.of(s, null))
                .toList();
    }

    @GET
    @Path("/{id}")
    @Operation(operationId = "getSubscription", summary = "One subscription (never its secrets)")
    @APIResponse(
            responseCode = "200",
            description = "The subscription",
            content = @Content(schema = @Schema(implementation = SubscriptionView.class)))
    @APIResponse(
            responseCode = "404",
            description = "No such subscription (or one of another team)",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public SubscriptionView get(@PathParam("id") String id) {
        return SubscriptionView.of(subscriptions.get(id), null);
    }

    @Consumes(MediaType.APPLICATION_JSON)
    @PATCH
    @Path("/{id}")
    @Operation(
            operationId = "updateSubscription",
            summary = "Change the filter, URL, addresses or description; turn it on (ACTIVE) or off (DISABLED)")
    @APIResponse(
            responseCode = "200",
            description = "The changed subscription",
            content = @Content(schema = @Schema(implementation = SubscriptionView.class)))
    @APIResponse(
            responseCode = "404",
            description = "No such subscription (or one of another team)",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(
            responseCode = "400",
            description = "The body is not readable JSON or has unknown fields",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(
            responseCode = "422",
            description = "Invalid change",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @RolesAllowed(Roles.WRITE)
    public SubscriptionView update(@PathParam("id") String id, SubscriptionPatch patch) {
        return SubscriptionView.of(subscriptions.update(id, patch), null);
    }

    @DELETE
    @Path("/{id}")
    @Operation(operationId = "deleteSubscription", summary = "Delete a subscription: no more deliveries")
    @APIResponse(responseCode = "204", description = "Deleted")
    @APIResponse(
            responseCode = "404",
            description = "No such subscription (or one of another team)",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @RolesAllowed(Roles.WRITE)
    public Response delete(@PathParam("id") String id) {
        subscriptions.delete(id);
        return Response.noContent().build();
    }

    @POST
    @Path("/{id}/secret/rotate")
    @Consumes(MediaType.WILDCARD)
    @Operation(
            operationId = "rotateSubscriptionSecret",
            summary = "A new webhook secret, in the answer once; the previous one is still sent until the overlap ends")
    @APIResponse(
            responseCode = "200",
            description = "The subscription with its new secret, shown once",
            content = @Content(schema = @Schema(implementation = SubscriptionView.class)))
    @APIResponse(
            responseCode = "404",
            description = "No such subscription (or one of another team)",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(
            responseCode = "422",
            description = "The body is not {\"overlap\": \"<ISO-8601 duration>\"} or the overlap is too long",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @RolesAllowed(Roles.WRITE)
    public SubscriptionView rotate(
            @PathParam("id") String id, @RequestBody(description = "optional: {\"overlap\": \"PT24H\"}") String body) {
        Duration overlap = null;
        if (body != null && !body.isBlank()) {
            Rotation rotation;
            try {
                rotation = Json.MAPPER.readValue(body, Rotation.class);
            } catch (Exception e) {
                rotation = null;
            }
            if (rotation == null) {
                // not JSON, or JSON that is no object: "null" reads as no Rotation at all
                throw ProblemException.validation(List.of(
                        new FieldError("", "the body must be {\"overlap\": " + "\"<ISO-8601 duration>\"} or empty")));
            }
            if (rotation.overlap() != null) {
                try {
                    overlap = Duration.parse(rotation.overlap());
                } catch (DateTimeParseException e) {
                    throw ProblemException.validation(
                            List.of(new FieldError("overlap", "must be an ISO-8601 duration such as PT24H")));
                }
            }
        }
        return subscriptions.rotate(id, overlap);
    }

    @GET
    @Path("/{id}/deliveries")
    @Operation(
            operationId = "listDeliveries",
            summary = "The latest delivery attempts, newest first: event, attempt, status code, latency, next retry")
    @APIResponse(
            responseCode = "200",
            description = "The latest attempts, newest first",
            content = @Content(schema = @Schema(type = SchemaType.ARRAY, implementation = DeliveryAttempt.class)))
    @APIResponse(
            responseCode = "404",
            description = "No such subscription (or one of another team)",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public List<DeliveryAttempt> deliveries(
            @PathParam("id") String id, @QueryParam("limit") @DefaultValue("100") int limit) {
        return deliveries.latest(id, limit);
    }

    @POST
    @Path("/{id}/deliveries/{deliveryId}/redeliver")
    @Operation(operationId = "redeliver", summary = "Deliver an event again (same webhook-id), with the usual retries")
    @APIResponse(responseCode = "202", description = "Will be delivered again")
    @APIResponse(
            responseCode = "404",
            description = "No such subscription or delivery",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @RolesAllowed(Roles.WRITE)
    public Response redeliver(@PathParam("id") String id, @PathParam("deliveryId") String deliveryId) {
        return Response.accepted(deliveries.redeliver(id, deliveryId)).build();
    }

    @POST
    @Path("/{id}/test")
    @Operation(
            operationId = "testSubscription",
            summary = "Send a test (a subscription.ping webhook, or a test e-mail) now and say how it went")
    @APIResponse(
            responseCode = "200",
            description = "How the test went",
            content = @Content(schema = @Schema(implementation = DeliveryAttempt.class)))
    @APIResponse(
            responseCode = "404",
            description = "No such subscription (or one of another team)",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @RolesAllowed(Roles.WRITE)
    public DeliveryAttempt test(@PathParam("id") String id) {
        return deliveries.test(id);
    }
}
