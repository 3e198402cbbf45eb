package io.kafkaconcierge.api.guard;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import io.kafkaconcierge.contracts.Requester;
import java.time.Instant;

/** A record of {@code concierge.governance}: an admin's change to claims, policies or quotas. */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "type")
@JsonSubTypes({
    @JsonSubTypes.Type(value = GovernanceRecord.ClaimGranted.class, name = "claim-granted"),
    @JsonSubTypes.Type(value = GovernanceRecord.ClaimRevoked.class, name = "claim-revoked"),
    @JsonSubTypes.Type(value = GovernanceRecord.PolicySet.class, name = "policy-set"),
    @JsonSubTypes.Type(value = GovernanceRecord.QuotaSet.class, name = "quota-set")
})
sealed interface GovernanceRecord {

    /** Unique per record: the writer finds its record's outcome by it. */
    String id();

    /** A claim, granted unless another team's claim overlaps it. */
    record ClaimGranted(String id, Claim claim) implements GovernanceRecord {}

    record ClaimRevoked(String id, String team, String resourceType, String prefix, Requester by, Instant at)
            implements GovernanceRecord {}

    /**
     * A policy for a scope ({@code dev}, {@code test}, {@code prod}, or {@code cluster:<name>} for one cluster's
     * override); null removes a cluster's override. With {@code expectedVersion}, set only if the scope is still at
     * that version.
     */
    record PolicySet(String id, String scope, Policy policy, Long expectedVersion, Requester by, Instant at)
            implements GovernanceRecord {}

    /** A team's quota; null goes back to the configured default. */
    record QuotaSet(String id, String team, Quota quota, Requester by, Instant at) implements GovernanceRecord {}

    /** How the fold decided a record. */
    record Outcome(boolean accepted, String reason) {
        static final Outcome OK = new Outcome(true, null);
    }
}
