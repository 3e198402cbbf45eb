package io.kafkaconcierge.notifier.rest;

import java.net.URI;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.List;

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

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import io.kafkaconcierge.contracts.Json;
import io.kafkaconcierge.notifier.delivery.DeliveryAttempt;
import io.kafkaconcierge.notifier.rest.dto.SubscriptionPatch;
import io.kafkaconcierge.notifier.rest.dto.SubscriptionRequest;
import io.kafkaconcierge.notifier.rest.dto.SubscriptionView;
import io.kafkaconcierge.notifier.subscription.DeliveryService;
import io.kafkaconcierge.notifier.subscription.SubscriptionService;
import io.kafkaconcierge.problem.Problem.FieldError;
import io.kafkaconcierge.problem.ProblemException;
import io.kafkaconcierge.security.Roles;
import io.quarkus.security.Authenticated;
import io.smallrye.common.annotation.Blocking;

/** Subscriptions: who gets which events, by webhook or e-mail, and what became of each delivery. */
@Path("/api/v1/subscriptions")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "subscriptions")
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
    public record Rotation(String overlap) {
    }

    @Consumes(MediaType.APPLICATION_JSON)
    @POST
    @Operation(summary = "Subscribe a webhook or e-mail addresses to events; a webhook's secret is in the answer, once")
    @RolesAllowed(Roles.WRITE)
    public Response create(SubscriptionRequest request) {
        SubscriptionView created = subscriptions.create(request);
        return Response.created(URI.create("/api/v1/subscriptions/" + created.id())).entity(created).build();
    }

    @GET
    @Operation(summary = "List subscriptions, optionally of one owner")
    public List<SubscriptionView> list(@QueryParam("owner") String owner) {
        return subscriptions.list(owner).stream().map(s -> SubscriptionView.of(s, null)).toList();
    }

    @GET
    @Path("/{id}")
    @Operation(summary = "One subscription (never its secrets)")
    public SubscriptionView get(@PathParam("id") String id) {
        return SubscriptionView.of(subscriptions.get(id), null);
    }

    @Consumes(MediaType.APPLICATION_JSON)
    @PATCH
    @Path("/{id}")
    @Operation(summary = "Change the filter, URL, addresses or description; turn it on (ACTIVE) or off (DISABLED)")
    @RolesAllowed(Roles.WRITE)
    public SubscriptionView update(@PathParam("id") String id, SubscriptionPatch patch) {
        return SubscriptionView.of(subscriptions.update(id, patch), null);
    }

    @DELETE
    @Path("/{id}")
    @Operation(summary = "Delete a subscription: no more deliveries")
    @RolesAllowed(Roles.WRITE)
    public Response delete(@PathParam("id") String id) {
        subscriptions.delete(id);
        return Response.noContent().build();
    }

    @POST
    @Path("/{id}/secret/rotate")
    @Consumes(MediaType.WILDCARD)
    @Operation(summary = "A new webhook secret, in the answer once; the previous one is still sent until the overlap ends")
    @RolesAllowed(Roles.WRITE)
    public SubscriptionView rotate(@PathParam("id") String id,
            @RequestBody(description = "optional: {\"overlap\": \"PT24H\"}") String body) {
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
                throw ProblemException.validation(List.of(new FieldError("", "the body must be {\"overlap\": "
                        + "\"<ISO-8601 duration>\"} or empty")));
            }
            if (rotation.overlap() != null) {
                try {
                    overlap = Duration.parse(rotation.overlap());
                } catch (DateTimeParseException e) {
                    throw ProblemException.validation(List.of(new FieldError("overlap",
                            "must be an ISO-8601 duration such as PT24H")));
                }
            }
        }
        return subscriptions.rotate(id, overlap);
    }

    @GET
    @Path("/{id}/deliveries")
    @Operation(summary = "The latest delivery attempts, newest first: event, attempt, status code, latency, next retry")
    public List<DeliveryAttempt> deliveries(@PathParam("id") String id,
            @QueryParam("limit") @DefaultValue("100") int limit) {
        return deliveries.latest(id, limit);
    }

    @POST
    @Path("/{id}/deliveries/{deliveryId}/redeliver")
    @Operation(summary = "Deliver an event again (same webhook-id), with the usual retries")
    @RolesAllowed(Roles.WRITE)
    public Response redeliver(@PathParam("id") String id, @PathParam("deliveryId") String deliveryId) {
        return Response.accepted(deliveries.redeliver(id, deliveryId)).build();
    }

    @POST
    @Path("/{id}/test")
    @Operation(summary = "Send a test (a subscription.ping webhook, or a test e-mail) now and say how it went")
    @RolesAllowed(Roles.WRITE)
    public DeliveryAttempt test(@PathParam("id") String id) {
        return deliveries.test(id);
    }
}
