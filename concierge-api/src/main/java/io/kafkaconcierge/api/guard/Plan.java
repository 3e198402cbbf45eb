package io.kafkaconcierge.api.guard;

import io.kafkaconcierge.problem.Problem.FieldError;
import java.time.Duration;
import java.util.List;

/**
 * What the guard rails decided about a request before it is written: the policy that applies, what breaks it, what
 * it adds to the team's usage against which quota, and who has to approve it. A dry run answers with this.
 *
 * @param environment       the environment class of the target
 * @param policy            the policy's scope ({@code prod}, or {@code cluster:<name>}) and version
 * @param violations        the claims and policy rules the request breaks (each names its rule, asked and bound)
 * @param quota             the team's quota, its usage (resources plus requests in flight or waiting), what the
 *                          request adds, and what it would exceed
 * @param approval          null when the request goes through at once
 * @param cluster           for a topic's dry run: what the target cluster itself said ({@code validateOnly})
 */
public record Plan(
        String environment,
        String policy,
        long policyVersion,
        List<FieldError> violations,
        QuotaCheck quota,
        ApprovalNeed approval,
        ClusterOpinion.Opinion cluster) {

    public Plan(
            String environment,
            String policy,
            long policyVersion,
            List<FieldError> violations,
            QuotaCheck quota,
            ApprovalNeed approval) {
        this(environment, policy, policyVersion, violations, quota, approval, null);
    }

    /** This plan with the cluster's opinion. */
    public Plan withCluster(ClusterOpinion.Opinion opinion) {
        return new Plan(environment, policy, policyVersion, violations, quota, approval, opinion);
    }

    public record QuotaCheck(Quota limits, Usage usage, Usage adding, List<FieldError> exceeded) {}

    /**
     * @param required  distinct approvers needed (0: only consents)
     * @param approvers who may approve: {@code admins} or {@code team}
     * @param expiresIn how long it may wait
     * @param reasons   why (the policy's rules, the consents)
     * @param consents  teams that must each consent through one of their members (a grant to their topics)
     */
    public record ApprovalNeed(
            int required, String approvers, Duration expiresIn, List<String> reasons, List<String> consents) {

        public ApprovalNeed {
            consents = consents == null ? List.of() : List.copyOf(consents);
        }
    }

    /** Whether the ledger must see it: it grows the team's usage or waits for approvers. */
    boolean reserves() {
        return !quota.adding().isZero() || approval != null;
    }
}
