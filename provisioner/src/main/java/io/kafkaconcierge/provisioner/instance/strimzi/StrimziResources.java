package io.kafkaconcierge.provisioner.instance.strimzi;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import io.strimzi.api.kafka.model.kafka.Kafka;
import io.strimzi.api.kafka.model.nodepool.KafkaNodePool;
import io.strimzi.api.kafka.model.topic.KafkaTopic;
import io.strimzi.api.kafka.model.user.KafkaUser;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;

/**
 * The Strimzi kinds the concierge writes, always in API version {@code kafka.strimzi.io/v1} (the model classes of
 * {@code io.strimzi:api} 0.51 default to v1beta2, which Strimzi 1.x no longer serves): read and written as generic
 * resources of an explicit v1 context, converted to and from the typed model.
 */
final class StrimziResources {

    static final String GROUP = "kafka.strimzi.io";
    static final String API_VERSION = GROUP + "/v1";
    static final ResourceDefinitionContext KAFKA = context("Kafka", "kafkas");
    static final ResourceDefinitionContext NODE_POOL = context("KafkaNodePool", "kafkanodepools");
    static final ResourceDefinitionContext TOPIC = context("KafkaTopic", "kafkatopics");
    static final ResourceDefinitionContext USER = context("KafkaUser", "kafkausers");

    /** The label Strimzi links node pools and topics to their Kafka with. */
    static final String CLUSTER_LABEL = "strimzi.io/cluster";

    static final String MANAGED_BY = "app.kubernetes.io/managed-by";
    static final String MANAGER = "kafka-concierge";
    static final String OWNER_LABEL = "kafka-concierge.io/owner";
    static final String REQUEST_LABEL = "kafka-concierge.io/request-id";
    /** The latest request on the resource, as JSON: the durable record a restarted provisioner resumes from. */
    static final String REQUEST_ANNOTATION = "kafka-concierge.io/request";
    /** {@code true} once that request's outcome is published. */
    static final String DONE_ANNOTATION = "kafka-concierge.io/request-done";
    /** Keeps a deleted resource until its DELETED event is out, so a restart cannot lose the delete. */
    static final String FINALIZER = "kafka-concierge.io/request-outcome";

    private StrimziResources() {}

    private static ResourceDefinitionContext context(String kind, String plural) {
        return new ResourceDefinitionContext.Builder()
                .withGroup(GROUP)
                .withVersion("v1")
                .withKind(kind)
                .withPlural(plural)
                .withNamespaced(true)
                .build();
    }

    static GenericKubernetesResource generic(KubernetesClient client, HasMetadata typed) {
        GenericKubernetesResource g =
                client.getKubernetesSerialization().convertValue(typed, GenericKubernetesResource.class);
        g.setApiVersion(API_VERSION);
        g.setKind(typed.getKind());
        return g;
    }

    static Kafka kafka(KubernetesClient client, GenericKubernetesResource g) {
        return g == null ? null : client.getKubernetesSerialization().convertValue(g, Kafka.class);
    }

    static KafkaNodePool pool(KubernetesClient client, GenericKubernetesResource g) {
        return g == null ? null : client.getKubernetesSerialization().convertValue(g, KafkaNodePool.class);
    }

    static KafkaTopic topic(KubernetesClient client, GenericKubernetesResource g) {
        return g == null ? null : client.getKubernetesSerialization().convertValue(g, KafkaTopic.class);
    }

    /**
     * A Kubernetes name for a Kafka topic (topic names may have '_', '.', upper case and 249 characters): lower
     * case, other characters as '-', and a hash of the real name when anything had to change.
     */
    static String topicResourceName(String cluster, String topic) {
        String base = (cluster + "-" + topic)
                .toLowerCase(Locale.ROOT)
                .replaceAll("[^a-z0-9.-]", "-")
                .replaceAll("^[^a-z0-9]+", "")
                .replaceAll("[^a-z0-9]+$", "");
        boolean changed = !base.equals(cluster + "-" + topic);
        if (base.length() > 200) {
            base = base.substring(0, 200).replaceAll("[^a-z0-9]+$", "");
            changed = true;
        }
        return changed ? base + "-" + hash(topic) : base;
    }

    private static String hash(String s) {
        try {
            byte[] d = MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(d, 0, 4);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    static KafkaUser user(KubernetesClient client, GenericKubernetesResource g) {
        return g == null ? null : client.getKubernetesSerialization().convertValue(g, KafkaUser.class);
    }

    static List<ResourceDefinitionContext> all() {
        return List.of(KAFKA, NODE_POOL, TOPIC, USER);
    }
}
