package io.kafkaconcierge.contracts.kafka;

import io.kafkaconcierge.contracts.ConciergeTopics;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.apache.kafka.common.acl.AccessControlEntry;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.acl.AclPermissionType;
import org.apache.kafka.common.resource.PatternType;
import org.apache.kafka.common.resource.ResourcePattern;
import org.apache.kafka.common.resource.ResourceType;

/**
 * Who may do what on the concierge's own Kafka: one user per service and the least it needs, read from the code
 * (every topic each service writes or reads, its consumer groups, its Admin calls). The test broker's users
 * (test-support {@code SecuredKafka}) and the Strimzi {@code KafkaUser}s of {@code deploy/} are both held to
 * {@link #acls()}, so they cannot drift apart. See the README, "The concierge's own Kafka, locked down".
 *
 * <p>No service uses transactions (idempotent producers only, which need {@code Write} on a topic and nothing on
 * the cluster). Reading without a consumer group ({@link TopicTail}, the API's event streams, the notifier's
 * redelivery) needs {@code Read} on the topic only.
 */
public final class ServiceAccess {

    /** The cluster resource's name in Kafka's ACLs. */
    public static final String CLUSTER = "kafka-cluster";

    /**
     * What one service needs.
     *
     * @param service        the service, as {@code quarkus.application.name}
     * @param user           its Kafka user (SCRAM), {@code User:<user>} in ACLs, a {@code KafkaUser} of that name
     * @param reads          topics it reads
     * @param writes         topics it writes
     * @param groupPrefixes  consumer groups it consumes in (prefixes)
     * @param describedGroups consumer groups it only looks at (lag)
     * @param localCluster   whether it manages user topics on this Kafka: the provisioner's registered cluster
     *                       {@code local} ({@code concierge.provisioner.local-cluster}, on by default) is the
     *                       concierge's own Kafka; any topic but the concierge's own ({@code concierge.*}, denied)
     */
    public record Grant(
            String service,
            String user,
            Set<String> reads,
            Set<String> writes,
            Set<String> groupPrefixes,
            Set<String> describedGroups,
            boolean localCluster) {

        public Grant {
            reads = Set.copyOf(reads);
            writes = Set.copyOf(writes);
            groupPrefixes = Set.copyOf(groupPrefixes);
            describedGroups = Set.copyOf(describedGroups);
        }

        public String principal() {
            return "User:" + user;
        }

        /** The ACLs that give exactly this, for {@code Admin.createAcls} (a {@code KafkaUser}'s, translated). */
        public List<AclBinding> acls() {
            List<AclBinding> acls = new ArrayList<>();
            for (String topic : new TreeSet<>(reads)) {
                allow(acls, ResourceType.TOPIC, topic, PatternType.LITERAL, AclOperation.READ, AclOperation.DESCRIBE);
            }
            for (String topic : new TreeSet<>(writes)) {
                allow(acls, ResourceType.TOPIC, topic, PatternType.LITERAL, AclOperation.WRITE, AclOperation.DESCRIBE);
            }
            for (String group : new TreeSet<>(groupPrefixes)) {
                allow(acls, ResourceType.GROUP, group, PatternType.PREFIXED, AclOperation.READ);
            }
            for (String group : new TreeSet<>(describedGroups)) {
                allow(acls, ResourceType.GROUP, group, PatternType.LITERAL, AclOperation.DESCRIBE);
            }
            if (localCluster) {
                // the registered cluster "local": the provisioner's Admin calls on user topics (see the provisioner's
                // DESIGN.md, "Permissions it needs on a target cluster"), never on the concierge's own topics
                allow(acls, ResourceType.CLUSTER, CLUSTER, PatternType.LITERAL, AclOperation.DESCRIBE);
                allow(
                        acls,
                        ResourceType.TOPIC,
                        "*",
                        PatternType.LITERAL,
                        AclOperation.CREATE,
                        AclOperation.DELETE,
                        AclOperation.ALTER,
                        AclOperation.DESCRIBE,
                        AclOperation.DESCRIBE_CONFIGS,
                        AclOperation.ALTER_CONFIGS);
                for (AclOperation op : List.of(
                        AclOperation.CREATE, AclOperation.DELETE, AclOperation.ALTER, AclOperation.ALTER_CONFIGS)) {
                    acls.add(new AclBinding(
                            new ResourcePattern(ResourceType.TOPIC, OWN_PREFIX, PatternType.PREFIXED),
                            new AccessControlEntry(principal(), "*", op, AclPermissionType.DENY)));
                }
            }
            return List.copyOf(new LinkedHashSet<>(acls)); // Describe comes with both Read and Write
        }

        private void allow(
                List<AclBinding> acls,
                ResourceType type,
                String name,
                PatternType pattern,
                AclOperation... operations) {
            for (AclOperation op : operations) {
                acls.add(new AclBinding(
                        new ResourcePattern(type, name, pattern),
                        new AccessControlEntry(principal(), "*", op, AclPermissionType.ALLOW)));
            }
        }
    }

    /** The prefix of the concierge's own topics. */
    public static final String OWN_PREFIX = "concierge.";

    /**
     * The API: commands, tokens, audit, its ledger and approval-stage events out; its view (requests, events,
     * clusters), tokens, audit and ledger in. No consumer group.
     */
    public static final Grant CONCIERGE_API = new Grant(
            "concierge-api",
            "concierge-api",
            Set.of(
                    ConciergeTopics.REQUESTS,
                    ConciergeTopics.EVENTS,
                    ConciergeTopics.CLUSTERS,
                    ConciergeTopics.TOKENS,
                    ConciergeTopics.AUDIT,
                    ConciergeTopics.LEDGER,
                    ConciergeTopics.GOVERNANCE,
                    ConciergeTopics.CREDENTIAL_REVEALS),
            Set.of(
                    ConciergeTopics.REQUESTS,
                    ConciergeTopics.EVENTS,
                    ConciergeTopics.TOKENS,
                    ConciergeTopics.AUDIT,
                    ConciergeTopics.LEDGER,
                    ConciergeTopics.GOVERNANCE,
                    ConciergeTopics.CREDENTIAL_REVEALS),
            Set.of(),
            Set.of(),
            false);

    /**
     * The provisioner: commands in (group {@code concierge-provisioner}); events, clusters, dead letters and audit
     * out; its outcomes read back from events; the lag of its group and the notifier's; user topics on
     * {@code local}. The only writer of {@code concierge.clusters}.
     */
    public static final Grant PROVISIONER = new Grant(
            "provisioner",
            "concierge-provisioner",
            Set.of(ConciergeTopics.REQUESTS, ConciergeTopics.EVENTS),
            Set.of(
                    ConciergeTopics.EVENTS,
                    ConciergeTopics.CLUSTERS,
                    ConciergeTopics.REQUESTS_DLQ,
                    ConciergeTopics.AUDIT),
            Set.of("concierge-provisioner"),
            Set.of("concierge-provisioner", "concierge-notifier"),
            true);

    /**
     * The notifier: events in (a group per subscription, all {@code concierge-notifier...}); clusters, its
     * subscriptions, deliveries and tokens read; subscriptions, deliveries, dead letters, audit, token usage and its
     * {@code subscription.disabled} events out. The only reader of {@code concierge.subscriptions}.
     */
    public static final Grant NOTIFIER = new Grant(
            "notifier",
            "concierge-notifier",
            Set.of(
                    ConciergeTopics.EVENTS,
                    ConciergeTopics.CLUSTERS,
                    ConciergeTopics.SUBSCRIPTIONS,
                    ConciergeTopics.DELIVERIES,
                    ConciergeTopics.TOKENS),
            Set.of(
                    ConciergeTopics.SUBSCRIPTIONS,
                    ConciergeTopics.DELIVERIES,
                    ConciergeTopics.NOTIFIER_DLQ,
                    ConciergeTopics.EVENTS,
                    ConciergeTopics.AUDIT,
                    ConciergeTopics.TOKENS),
            Set.of("concierge-notifier"),
            Set.of(),
            false);

    public static final List<Grant> ALL = List.of(CONCIERGE_API, PROVISIONER, NOTIFIER);

    private ServiceAccess() {}

    /** The grant of a service, by {@code quarkus.application.name}. */
    public static Grant of(String service) {
        return ALL.stream()
                .filter(g -> g.service().equals(service))
                .findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no such service: " + service));
    }

    /** Every ACL of every service. */
    public static List<AclBinding> acls() {
        return ALL.stream().flatMap(g -> g.acls().stream()).toList();
    }
}
