package io.kafkaconcierge.contracts;

import java.time.Instant;

/**
 * What the provisioner last learned of a registered cluster, published compacted on
 * {@link ConciergeTopics#CLUSTERS} keyed by name. The API validates requests against it without a connection of
 * its own to any cluster.
 *
 * @param name      the registry name requests use as {@code cluster}
 * @param bootstrapServers where clients connect (an address, not a credential)
 * @param brokers   how many brokers answered the last describeCluster (0 when unreachable)
 * @param reachable whether the last check reached the cluster
 * @param message   why not, when unreachable
 * @param checkedAt when it was checked
 * @param environment the environment class ({@link Environments}) whose policy applies to its topics; {@code dev}
 *                  when the provisioner did not say
 */
public record ClusterInfo(
        String name,
        String bootstrapServers,
        int brokers,
        boolean reachable,
        String message,
        Instant checkedAt,
        String environment) {

    public ClusterInfo {
        environment = environment == null ? Environments.DEV : environment;
    }

    public ClusterInfo(
            String name, String bootstrapServers, int brokers, boolean reachable, String message, Instant checkedAt) {
        this(name, bootstrapServers, brokers, reachable, message, checkedAt, null);
    }
}
