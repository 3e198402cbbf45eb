package io.kafkaconcierge.api.rest.dto;

import io.kafkaconcierge.contracts.Requester;
import io.kafkaconcierge.security.tokens.ApiToken;
import java.time.Instant;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** An API token as shown: never the secret, but once, in the answer that made it. */
@Schema(name = "Token")
public record TokenView(
        String id,
        String team,
        String name,
        String scope,
        Requester createdBy,
        Instant createdAt,
        Instant expiresAt,
        Instant lastUsedAt,

        @Schema(description = "The token: only in the answer that made it. Use it as 'Authorization: Bearer <token>'.")
        String token) {

    public static TokenView of(ApiToken t, String secret) {
        return new TokenView(
                t.id(),
                t.team(),
                t.name(),
                t.scope().name().toLowerCase(),
                t.createdBy(),
                t.createdAt(),
                t.expiresAt(),
                t.lastUsedAt(),
                secret);
    }
}
