package io.kafkaconcierge.api.guard;

import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * The rules of one environment class (or of one cluster, overriding its environment's): what a topic or an instance
 * may be, whether names must be under the owner team's claims, and who approves. Data: admins change it at run time
 * ({@code PUT /api/v1/policies/{environment}}); the defaults come from configuration. A null bound is no bound.
 *
 * @param partitions          partitions a topic may have
 * @param replicationFactors  replication factors a topic may have (null: any the cluster can place)
 * @param minInsyncReplicas   {@code min.insync.replicas} bounds (unset counts as Kafka's default, 1)
 * @param retentionMs         {@code retention.ms} bounds (unset counts as Kafka's default, 7 days; -1 as unbounded)
 * @param retentionBytes      {@code retention.bytes} bounds (unset and -1 count as unbounded)
 * @param configs             topic configs a request may set, each with optional numeric bounds (null: any config
 *                            the API accepts; the four above are always allowed)
 * @param requiredConfigs     topic configs every topic must set
 * @param unclaimedNames      whether a topic may have a name under no team's claim (a name under another team's
 *                            claim is refused everywhere)
 * @param instances           what an instance of this environment may be
 * @param approval            who approves requests
 * @param users               the client quotas a Kafka user of this environment may be given
 */
public record Policy(
        Range partitions,
        List<Integer> replicationFactors,
        Range minInsyncReplicas,
        Range retentionMs,
        Range retentionBytes,
        Map<String, Range> configs,
        List<String> requiredConfigs,
        boolean unclaimedNames,
        InstanceRules instances,
        Approval approval,
        UserRules users) {

    public Policy {
        requiredConfigs = requiredConfigs == null ? List.of() : List.copyOf(requiredConfigs);
        instances = instances == null ? new InstanceRules(null, null, null) : instances;
        users = users == null ? new UserRules(null, null, null) : users;
        approval = approval == null ? new Approval(0, Approval.ADMINS, Duration.ofDays(7), 0, null) : approval;
    }

    /** Inclusive bounds; either may be null. */
    public record Range(Long min, Long max) {

        public boolean contains(long value) {
            return (min == null || value >= min) && (max == null || value <= max);
        }

        @Override
        public String toString() {
            return (min == null ? "" : min.toString()) + ".." + (max == null ? "" : max.toString());
        }
    }

    /**
     * @param brokers    brokers an instance may have
     * @param configs    broker configs an instance request may set (null: the API's whole allow-list)
     * @param maxStorage the largest persistent storage per broker, as Kubernetes writes it ({@code 100Gi})
     */
    public record InstanceRules(Range brokers, List<String> configs, String maxStorage) {}

    /**
     * Upper bounds of a Kafka user's client quotas (null: only the API's own bounds). A user asking for no quota at
     * all is not bounded: the cluster's defaults apply to it.
     *
     * @param maxProducerByteRate  the highest {@code producer_byte_rate} (bytes/s)
     * @param maxConsumerByteRate  the highest {@code consumer_byte_rate} (bytes/s)
     * @param maxRequestPercentage the highest {@code request_percentage}
     */
    public record UserRules(Long maxProducerByteRate, Long maxConsumerByteRate, Double maxRequestPercentage) {}

    /**
     * @param required          distinct approvers a request needs (0: approved at once)
     * @param approvers         who approves: {@code admins} (the platform admins) or {@code team} (another member of
     *                          the owning team; admins too)
     * @param expiry            how long a request waits before it fails with APPROVAL_EXPIRED
     * @param instanceDeletion  distinct approvers the deletion of an instance needs (at least {@code required})
     * @param autoPerMinute     with no approvers required: how many requests of one team each API replica lets
     *                          through per minute before answering 429 (null: no limit)
     */
    public record Approval(
            int required, String approvers, Duration expiry, int instanceDeletion, Integer autoPerMinute) {
        public static final String ADMINS = "admins";
        public static final String TEAM = "team";
    }
}
