package io.kafkaconcierge.contracts;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A topic as asked for. {@code config} holds only the topic configs the requester set explicitly; everything
 * else is the cluster's default.
 *
 * @param access for a CREATE only: accesses to this topic given, in the same request, to named users of the owner
 *               team on the same cluster. Once the request is READY they are grants of those users (see
 *               {@link UserAccess}); the spec after an update or a delete carries none.
 */
public record TopicSpec(
        String cluster,
        String name,
        int partitions,
        short replicationFactor,
        Map<String, String> config,
        String owner,
        String description,
        @JsonInclude(JsonInclude.Include.NON_EMPTY) List<UserAccess> access) {

    public TopicSpec {
        config = config == null ? Map.of() : java.util.Collections.unmodifiableMap(new TreeMap<>(config));
        access = access == null ? List.of() : List.copyOf(access);
    }

    /** A topic without accesses given with it. */
    public TopicSpec(
            String cluster,
            String name,
            int partitions,
            short replicationFactor,
            Map<String, String> config,
            String owner,
            String description) {
        this(cluster, name, partitions, replicationFactor, config, owner, description, List.of());
    }

    public ResourceRef ref() {
        return ResourceRef.topic(cluster, name);
    }

    /**
     * The spec after a change: partitions raised if asked, configs set ({@code null} value: back to default). The
     * accesses given at creation are the users' grants by then, so the result carries none.
     */
    public TopicSpec apply(TopicChange change) {
        Map<String, String> merged = ConfigChanges.apply(config, change.config());
        int newPartitions = change.partitions() == null ? partitions : change.partitions();
        String newDescription = change.description() == null ? description : change.description();
        return new TopicSpec(cluster, name, newPartitions, replicationFactor, merged, owner, newDescription);
    }

    /** This spec without the accesses given with it. */
    public TopicSpec withoutAccess() {
        return access.isEmpty()
                ? this
                : new TopicSpec(cluster, name, partitions, replicationFactor, config, owner, description);
    }

    /**
     * An access to the topic given with its creation to a user of the same team on the same cluster: the same
     * operations as a user's grant ({@link UserSpec.Grant}) on this topic, literally. It becomes a grant of the user
     * (merged into its grants), so that {@code GET /api/v1/users/...} shows it and a later PATCH of the user keeps
     * it unless that PATCH replaces the grants without it; deleting the user removes it with all the user's ACLs.
     *
     * @param user                       the user's name (a concierge user of the topic's owner team)
     * @param operations                 produce, consume, describe
     * @param group                      for {@code consume}: the consumer group (or prefix) it reads with
     * @param groupPatternType           how {@code group} matches; literal when absent
     * @param transactionalId            for a transactional producer: its transactional id (or prefix)
     * @param transactionalIdPatternType how {@code transactionalId} matches; literal when absent
     * @param idempotent                 for {@code produce}: IdempotentWrite on the cluster (older brokers only)
     */
    public record UserAccess(
            String user,
            List<UserSpec.Access> operations,
            String group,
            UserSpec.PatternType groupPatternType,
            String transactionalId,
            UserSpec.PatternType transactionalIdPatternType,
            Boolean idempotent) {

        public UserAccess {
            operations = operations == null ? List.of() : List.copyOf(operations);
        }

        /** The user's grant this access stands for, on the literal topic {@code topic}. */
        public UserSpec.Grant grant(String topic) {
            return new UserSpec.Grant(
                    topic,
                    UserSpec.PatternType.LITERAL,
                    operations,
                    group,
                    groupPatternType,
                    transactionalId,
                    transactionalIdPatternType,
                    idempotent);
        }
    }
}
