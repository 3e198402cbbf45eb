package io.kafkaconcierge.contracts;

import java.util.List;

/**
 * A Kafka user (service account) of a team on a cluster or instance, as asked for: what it may do ({@code grants})
 * and how much ({@code quotas}). Never holds its password: that travels sealed in {@link RequestCommand#credential()}.
 *
 * @param cluster     a registered cluster or an instance
 * @param name        the SCRAM user name; the principal is {@code User:<name>}
 * @param owner       the team that owns it
 * @param grants      its accesses, each turned into ACLs; empty: it may authenticate and nothing more
 * @param quotas      its client quotas; null: the cluster's defaults
 * @param description for people
 */
public record UserSpec(
        String cluster, String name, String owner, List<Grant> grants, Quotas quotas, String description) {

    public UserSpec {
        grants = grants == null ? List.of() : List.copyOf(grants);
    }

    public ResourceRef ref() {
        return ResourceRef.user(cluster, name);
    }

    /** The Kafka principal of the user. */
    public String principal() {
        return "User:" + name;
    }

    /**
     * One access of a user to topics (and the consumer group, transactional id and idempotent write that go with it).
     *
     * @param topic                      a topic name, or a prefix when {@code patternType} is {@code prefixed}
     * @param patternType                how {@code topic} matches; literal when absent
     * @param operations                 what it may do on the topics
     * @param group                      for {@code consume}: the consumer group (or prefix) it reads with
     * @param groupPatternType           how {@code group} matches; literal when absent
     * @param transactionalId            for a transactional producer: its transactional id (or prefix)
     * @param transactionalIdPatternType how {@code transactionalId} matches; literal when absent
     * @param idempotent                 for {@code produce}: the cluster-level IdempotentWrite (only older brokers
     *                                   need it; idempotence needs Write on a topic since Kafka 3.0)
     */
    public record Grant(
            String topic,
            PatternType patternType,
            List<Access> operations,
            String group,
            PatternType groupPatternType,
            String transactionalId,
            PatternType transactionalIdPatternType,
            Boolean idempotent) {

        public Grant {
            operations = operations == null ? List.of() : List.copyOf(operations);
        }

        public PatternType topicPattern() {
            return patternType == null ? PatternType.LITERAL : patternType;
        }

        public PatternType groupPattern() {
            return groupPatternType == null ? PatternType.LITERAL : groupPatternType;
        }

        public PatternType transactionalIdPattern() {
            return transactionalIdPatternType == null ? PatternType.LITERAL : transactionalIdPatternType;
        }
    }

    /** What a grant allows on its topics. */
    public enum Access {
        /** Write (and describe) the topics; with a transactional id, write and describe it too. */
        @com.fasterxml.jackson.annotation.JsonProperty("produce")
        PRODUCE,
        /** Read (and describe) the topics, with the grant's consumer group. */
        @com.fasterxml.jackson.annotation.JsonProperty("consume")
        CONSUME,
        /** Describe the topics and their configs. */
        @com.fasterxml.jackson.annotation.JsonProperty("describe")
        DESCRIBE
    }

    /** How a name in a grant matches resources, as Kafka's ACL pattern types. */
    public enum PatternType {
        @com.fasterxml.jackson.annotation.JsonProperty("literal")
        LITERAL,
        @com.fasterxml.jackson.annotation.JsonProperty("prefixed")
        PREFIXED
    }

    /**
     * Client quotas of the user (Kafka's {@code producer_byte_rate}, {@code consumer_byte_rate},
     * {@code request_percentage}); an absent one is not set.
     */
    public record Quotas(Long producerByteRate, Long consumerByteRate, Double requestPercentage) {}
}
