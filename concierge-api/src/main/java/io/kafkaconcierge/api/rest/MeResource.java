package io.kafkaconcierge.api.rest;

import io.kafkaconcierge.security.Caller;
import io.kafkaconcierge.security.Callers;
import io.quarkus.security.Authenticated;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

@Path("/api/v1/me")
@Produces(MediaType.APPLICATION_JSON)
@Authenticated
@Tag(name = "Identity", description = "Who you are to the concierge, and your teams' API tokens")
public class MeResource {

    /** The caller as the concierge sees it. */
    public record Me(
            String subject,
            String name,
            Set<String> teams,
            List<String> roles,
            String scope,
            String tokenName,
            Instant expiresAt) {}

    private final Callers callers;

    public MeResource(Callers callers) {
        this.callers = callers;
    }

    @GET
    @Operation(
            operationId = "getMe",
            summary = "Who is calling: subject, teams, roles, and the credential's name and expiry")
    public Me me() {
        Caller c = callers.current();
        return new Me(
                c.subject(),
                c.name(),
                c.teams(),
                c.admin() ? List.of("admin") : List.of(),
                c.scope().name().toLowerCase(),
                c.tokenName(),
                c.expiresAt());
    }
}
