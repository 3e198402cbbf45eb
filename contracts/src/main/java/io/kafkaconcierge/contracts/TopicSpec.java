package io.kafkaconcierge.contracts;

import java.util.Map;
import java.util.TreeMap;

/**
 * A topic as asked for. {@code config} holds only the topic configs the requester set explicitly; everything
 * else is the cluster's default.
 */
public record TopicSpec(String cluster, String name, int partitions, short replicationFactor,
        Map<String, String> config, String owner, String description) {

    public TopicSpec {
        config = config == null ? Map.of() : java.util.Collections.unmodifiableMap(new TreeMap<>(config));
    }

    public ResourceRef ref() {
        return ResourceRef.topic(cluster, name);
    }

    /** The spec after a change: partitions raised if asked, configs set ({@code null} value: back to default). */
    public TopicSpec apply(TopicChange change) {
        Map<String, String> merged = ConfigChanges.apply(config, change.config());
        int newPartitions = change.partitions() == null ? partitions : change.partitions();
        String newDescription = change.description() == null ? description : change.description();
        return new TopicSpec(cluster, name, newPartitions, replicationFactor, merged, owner, newDescription);
    }
}
