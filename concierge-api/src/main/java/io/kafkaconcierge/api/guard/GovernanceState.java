package io.kafkaconcierge.api.guard;

import io.kafkaconcierge.api.guard.GovernanceRecord.ClaimGranted;
import io.kafkaconcierge.api.guard.GovernanceRecord.ClaimRevoked;
import io.kafkaconcierge.api.guard.GovernanceRecord.Outcome;
import io.kafkaconcierge.api.guard.GovernanceRecord.PolicySet;
import io.kafkaconcierge.api.guard.GovernanceRecord.QuotaSet;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The fold of {@code concierge.governance} (one partition): claims, policies and quotas as admins set them. */
final class GovernanceState {

    /** A policy as set, with its version (1 for the first set; 0 is the configured default). */
    record Versioned(Policy policy, long version) {}

    private final List<Claim> claims = new ArrayList<>();
    private final Map<String, Versioned> policies = new HashMap<>();
    private final Map<String, Long> versions = new HashMap<>();
    private final Map<String, Quota> quotas = new HashMap<>();
    /**
     * The outcome of each record, by its id: read by its writer right after its reader applied it, so only the latest
     * {@link #OUTCOMES_KEPT} are kept (one partition: every replica forgets the same ones). Claims, policies and
     * quotas are what admins set, one per team or scope, not per request.
     */
    private final Map<String, Outcome> outcomes = new LinkedHashMap<>() {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Outcome> eldest) {
            return size() > OUTCOMES_KEPT;
        }
    };

    static final int OUTCOMES_KEPT = 10_000;

    synchronized void apply(GovernanceRecord record) {
        outcomes.put(record.id(), decide(record));
    }

    private Outcome decide(GovernanceRecord record) {
        if (record instanceof ClaimGranted g) {
            return grant(g.claim());
        }
        if (record instanceof ClaimRevoked r) {
            boolean removed = claims.removeIf(c -> c.team().equals(r.team())
                    && c.resourceType().equals(r.resourceType())
                    && c.prefix().equals(r.prefix()));
            return removed ? Outcome.OK : new Outcome(false, "the team has no such claim");
        }
        if (record instanceof PolicySet p) {
            long current = versions.getOrDefault(p.scope(), 0L);
            if (p.expectedVersion() != null && p.expectedVersion() != current) {
                return new Outcome(false, "the policy is at version " + current + ", not " + p.expectedVersion());
            }
            versions.put(p.scope(), current + 1);
            if (p.policy() == null) {
                policies.remove(p.scope());
            } else {
                policies.put(p.scope(), new Versioned(p.policy(), current + 1));
            }
            return Outcome.OK;
        }
        QuotaSet q = (QuotaSet) record;
        if (q.quota() == null) {
            quotas.remove(q.team());
        } else {
            quotas.put(q.team(), q.quota());
        }
        return Outcome.OK;
    }

    private Outcome grant(Claim claim) {
        for (Claim other : claims) {
            if (other.resourceType().equals(claim.resourceType()) && Claim.overlap(other.prefix(), claim.prefix())) {
                if (!other.team().equals(claim.team())) {
                    return new Outcome(
                            false,
                            "'" + claim.prefix() + "' overlaps '" + other.prefix() + "', claimed by another team");
                }
                if (other.prefix().equals(claim.prefix())) {
                    return Outcome.OK; // claimed already
                }
            }
        }
        claims.add(claim);
        return Outcome.OK;
    }

    synchronized Optional<Outcome> outcome(String id) {
        return Optional.ofNullable(outcomes.get(id));
    }

    synchronized List<Claim> claims(String team) {
        return claims.stream()
                .filter(c -> c.team().equals(team))
                .sorted(Comparator.comparing(Claim::resourceType).thenComparing(Claim::prefix))
                .toList();
    }

    /** The claim that covers {@code name} for a type of resource, whichever team holds it. */
    synchronized Optional<Claim> claimOf(String resourceType, String name) {
        return claims.stream()
                .filter(c -> c.resourceType().equals(resourceType) && c.covers(name))
                .max(Comparator.comparing(c -> c.prefix().length()));
    }

    synchronized Optional<Versioned> policy(String scope) {
        return Optional.ofNullable(policies.get(scope));
    }

    synchronized long version(String scope) {
        return versions.getOrDefault(scope, 0L);
    }

    synchronized Optional<Quota> quota(String team) {
        return Optional.ofNullable(quotas.get(team));
    }
}
