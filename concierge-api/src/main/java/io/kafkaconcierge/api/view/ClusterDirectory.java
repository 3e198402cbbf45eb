package io.kafkaconcierge.api.view;

import io.kafkaconcierge.contracts.ClusterInfo;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentSkipListMap;

/**
 * The clusters the concierge can put topics and users on, as {@code concierge.clusters} (compacted, keyed by name)
 * says now: registered clusters and dedicated instances that are ready. A removed cluster's tombstone removes it.
 */
@ApplicationScoped
public class ClusterDirectory {

    private final Map<String, ClusterInfo> clusters = new ConcurrentSkipListMap<>();

    /** A record of {@code concierge.clusters}: {@code info} null for a tombstone. */
    public void apply(String name, ClusterInfo info) {
        if (info == null) {
            clusters.remove(name);
        } else {
            clusters.put(name, info);
        }
    }

    public Optional<ClusterInfo> cluster(String name) {
        return Optional.ofNullable(clusters.get(name));
    }

    /** The names, sorted. */
    public List<String> names() {
        return List.copyOf(clusters.keySet());
    }
}
