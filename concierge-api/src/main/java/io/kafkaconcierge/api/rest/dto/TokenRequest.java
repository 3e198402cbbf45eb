package io.kafkaconcierge.api.rest.dto;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** The body of {@code POST /api/v1/teams/{team}/tokens}. */
@JsonIgnoreProperties(ignoreUnknown = false)
@Schema(name = "TokenRequest", description = "A new API token for a team")
public record TokenRequest(
        @Schema(description = "Unique within the team: [a-z0-9._-], 1 to 63", example = "ci-deploy", required = true)
        String name,

        @Schema(
                description = "read: GET only; write: everything the team may do",
                enumeration = {"read", "write"},
                required = true)
        String scope,

        @Schema(
                description = "When it stops working (ISO-8601), at most the configured maximum ahead (90 days)",
                example = "2027-02-01T00:00:00Z")
        String expiresAt,

        @Schema(description = "Or: how long it works (ISO-8601 duration)", example = "P30D")
        String expiresIn) {}
