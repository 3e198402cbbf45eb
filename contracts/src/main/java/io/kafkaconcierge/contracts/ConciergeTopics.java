package io.kafkaconcierge.contracts;

import io.kafkaconcierge.contracts.kafka.ClientSettings;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.errors.TopicExistsException;

/**
 * The concierge's own topics: their names (use these constants, never string literals) and the layout they are
 * created with locally and in tests. On Kubernetes the same layout is written as KafkaTopic resources.
 */
public final class ConciergeTopics {

    /** Commands from the API to the provisioner, keyed by resource ({@code cluster/name}). */
    public static final String REQUESTS = "concierge.requests";
    /** Status events as CloudEvents (binary mode), keyed by resource. The public contract. */
    public static final String EVENTS = "concierge.events";
    /** Compacted: what the provisioner knows of each registered cluster, keyed by cluster name. */
    public static final String CLUSTERS = "concierge.clusters";
    /** Commands the provisioner could not even read (poison records), with the reason in headers. */
    public static final String REQUESTS_DLQ = "concierge.requests.dlq";
    /** Events the notifier could not deliver after its last retry. */
    public static final String NOTIFIER_DLQ = "concierge.notifier.dlq";
    /** Compacted: the notifier's subscriptions, keyed by subscription id; a tombstone deletes one. */
    public static final String SUBSCRIPTIONS = "concierge.subscriptions";
    /** Every delivery attempt of the notifier, keyed by subscription id: what the deliveries endpoint shows. */
    public static final String DELIVERIES = "concierge.notifier.deliveries";
    /** Compacted: API tokens of teams, keyed by token id, stored as a hash only; a tombstone revokes one. */
    public static final String TOKENS = "concierge.tokens";
    /** Every decision (accepted, refused, provisioned, failed, token and subscription changes) as a CloudEvent, keyed by team. */
    public static final String AUDIT = "concierge.audit";

    /**
     * The guard rails' ledger, keyed by team: quota reservations, requests waiting for approval and their decisions,
     * what each team's resources count. Every replica of the API reads it whole and decides from it in the same
     * order (concierge-api's guard/DESIGN.md); kept for ever.
     */
    public static final String LEDGER = "concierge.ledger";
    /** Admins' data for the guard rails, in one partition: prefix claims, policies, quotas. Kept for ever. */
    public static final String GOVERNANCE = "concierge.governance";
    /**
     * Compacted: which user credentials were shown to their team, keyed by request id; the first claim of a request
     * on the log is the one reveal (not a public contract: the API's own record that "once" holds across replicas).
     */
    public static final String CREDENTIAL_REVEALS = "concierge.credential-reveals";

    /** One topic of the concierge's own: name, partitions and the topic configs it needs. */
    public record Layout(String name, int partitions, Map<String, String> config) {}

    public static final List<Layout> LAYOUT = List.of(
            new Layout(REQUESTS, 6, Map.of(TopicConfig.RETENTION_MS_CONFIG, String.valueOf(30L * 24 * 3600 * 1000))),
            new Layout(EVENTS, 6, Map.of(TopicConfig.RETENTION_MS_CONFIG, String.valueOf(30L * 24 * 3600 * 1000))),
            new Layout(CLUSTERS, 1, Map.of(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT)),
            new Layout(REQUESTS_DLQ, 1, Map.of()),
            new Layout(NOTIFIER_DLQ, 1, Map.of()),
            new Layout(SUBSCRIPTIONS, 1, Map.of(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT)),
            new Layout(DELIVERIES, 3, Map.of(TopicConfig.RETENTION_MS_CONFIG, String.valueOf(7L * 24 * 3600 * 1000))),
            new Layout(TOKENS, 1, Map.of(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT)),
            new Layout(LEDGER, 6, Map.of(TopicConfig.RETENTION_MS_CONFIG, "-1")),
            new Layout(GOVERNANCE, 1, Map.of(TopicConfig.RETENTION_MS_CONFIG, "-1")),
            new Layout(AUDIT, 3, Map.of(TopicConfig.RETENTION_MS_CONFIG, String.valueOf(400L * 24 * 3600 * 1000))),
            new Layout(
                    CREDENTIAL_REVEALS,
                    1,
                    Map.of(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT)));

    private ConciergeTopics() {}

    /** Creates the topics of {@link #LAYOUT} that do not exist yet; returns the names it created. */
    public static Set<String> createMissing(Admin admin, short replicationFactor) throws InterruptedException {
        Set<String> existing;
        try {
            existing = admin.listTopics().names().get();
        } catch (ExecutionException e) {
            throw new IllegalStateException(
                    "cannot list topics: " + e.getCause().getMessage(), e.getCause());
        }
        List<NewTopic> missing = LAYOUT.stream()
                .filter(l -> !existing.contains(l.name()))
                .map(l -> new NewTopic(l.name(), l.partitions(), replicationFactor).configs(l.config()))
                .toList();
        if (missing.isEmpty()) {
            return Set.of();
        }
        try {
            admin.createTopics(missing).all().get();
        } catch (ExecutionException e) {
            if (!(e.getCause() instanceof TopicExistsException)) {
                throw new IllegalStateException(
                        "cannot create topics: " + e.getCause().getMessage(), e.getCause());
            }
        }
        return missing.stream().map(NewTopic::name).collect(Collectors.toSet());
    }

    /**
     * {@code java -cp ... io.kafkaconcierge.contracts.ConciergeTopics <bootstrap-servers> [replication-factor]}; a
     * secured Kafka's settings come from the same {@code KAFKA_*} environment variables as the services'.
     */
    public static void main(String[] args) throws Exception {
        if (args.length < 1) {
            System.err.println("usage: ConciergeTopics <bootstrap-servers> [replication-factor]");
            System.exit(2);
        }
        short rf = args.length > 1 ? Short.parseShort(args[1]) : 1;
        try (Admin admin = Admin.create(ClientSettings.fromEnvironment(System.getenv(), args[0]))) {
            Set<String> created = createMissing(admin, rf);
            System.out.println(created.isEmpty() ? "concierge topics already present" : "created topics " + created);
        }
    }
}
