package io.kafkaconcierge.contracts;

/** Names one resource; {@link #key()} is the Kafka record key of every command and event about it. */
public record ResourceRef(ResourceKind kind, String cluster, String name) {

    public static ResourceRef topic(String cluster, String name) {
        return new ResourceRef(ResourceKind.TOPIC, cluster, name);
    }

    /** {@code cluster/name}: all commands and events of one resource share a partition and so an order. */
    public String key() {
        return cluster + "/" + name;
    }
}
