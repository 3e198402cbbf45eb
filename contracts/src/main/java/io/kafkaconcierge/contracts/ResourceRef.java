package io.kafkaconcierge.contracts;

/**
 * Names one resource; {@link #key()} is the Kafka record key of every command and event about it. */
public record ResourceRef(ResourceKind kind, String cluster, String name) {

    public static ResourceRef topic(String cluster, String name) {
        return new ResourceRef(ResourceKind.TOPIC, cluster, name);
    }

    /** An instance is a cluster of its own: {@code cluster} is null. */
    public static ResourceRef instance(String name) {
        return new ResourceRef(ResourceKind.INSTANCE, null, name);
    }

    /** A Kafka user on a cluster or instance. */
    public static ResourceRef user(String cluster, String name) {
        return new ResourceRef(ResourceKind.USER, cluster, name);
    }

    /**
     * {@code user:cluster/name} for a user, {@code cluster/name} for a topic, {@code instance:name} for an instance (a colon is in no cluster name): all
     * commands and events of one resource share a partition and so an order.
     */
    public String key() {
        if (kind == ResourceKind.USER) {
            return "user:" + cluster + "/" + name;
        }
        return kind == ResourceKind.INSTANCE ? "instance:" + name : cluster + "/" + name;
    }
}
