package io.kafkaconcierge.api.rest.dto;

import java.time.Instant;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** What a cluster holds that no concierge user accounts for: stray ACLs and SCRAM users. Never a credential. */
@Schema(name = "AclDrift", description = "ACLs and SCRAM users on a cluster that no concierge user accounts for")
public record AclDrift(
        @Schema(description = "The registered cluster", example = "local")
        String cluster,

        @Schema(description = "When the cluster was read") Instant checkedAt,

        @Schema(description = "ACLs no live concierge user's grants give (and not the concierge's own services')")
        List<StrayAcl> acls,

        @Schema(description = "SCRAM users that are no live concierge user (and not a concierge service)")
        List<StrayScramUser> scramUsers,

        @Schema(description = "How many live concierge users the cluster was compared with")
        int users,

        @Schema(
                description = "Principals left out as the concierge's own (its services, and the API's own login)",
                example = "[\"User:concierge-api\", \"User:concierge-provisioner\"]")
        List<String> ownPrincipals) {

    /** One ACL, as Kafka describes it, and why it is drift. */
    @Schema(name = "StrayAcl")
    public record StrayAcl(
            @Schema(example = "User:legacy-app") String principal,
            @Schema(example = "*") String host,

            @Schema(description = "Kafka's resource type", example = "TOPIC")
            String resourceType,

            @Schema(example = "orders.v1") String resourceName,
            @Schema(example = "LITERAL") String patternType,
            @Schema(example = "WRITE") String operation,
            @Schema(example = "ALLOW") String permission,

            @Schema(
                    description = "Why no concierge user accounts for it",
                    example = "no concierge user 'legacy-app' on this cluster")
            String reason) {}

    /** One SCRAM user and its mechanisms (never a credential). */
    @Schema(name = "StrayScramUser")
    public record StrayScramUser(
            @Schema(example = "legacy-app") String name,
            @Schema(example = "[\"SCRAM-SHA-512\"]") List<String> mechanisms,

            @Schema(example = "no concierge user 'legacy-app' on this cluster")
            String reason) {}
}
