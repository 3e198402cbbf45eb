package io.kafkaconcierge.api.guard;

import io.kafkaconcierge.contracts.InstanceSpec;
import io.kafkaconcierge.contracts.TopicSpec;
import java.util.Map;

/**
 * What a team's resources count against its quota: topics, their partitions, storage (partitions times
 * {@code retention.bytes}), instances and their brokers. A topic without a bounded {@code retention.bytes} counts no
 * storage; {@link #unboundedStorage} says so, and a team with a storage quota may not have one.
 */
public record Usage(
        long topics, long partitions, long storageBytes, long instances, long brokers, boolean unboundedStorage) {

    public static final Usage ZERO = new Usage(0, 0, 0, 0, 0, false);

    public static Usage of(TopicSpec spec) {
        if (spec == null) {
            return ZERO;
        }
        long retentionBytes = retentionBytes(spec.config());
        return new Usage(
                1,
                spec.partitions(),
                retentionBytes < 0 ? 0 : retentionBytes * spec.partitions(),
                0,
                0,
                retentionBytes < 0);
    }

    public static Usage of(InstanceSpec spec) {
        return spec == null ? ZERO : new Usage(0, 0, 0, 1, spec.brokers(), false);
    }

    /** {@code retention.bytes} as set, or -1 (unbounded, Kafka's default) when not set or not a number. */
    static long retentionBytes(Map<String, String> config) {
        String value = config == null ? null : config.get("retention.bytes");
        if (value == null) {
            return -1;
        }
        try {
            return Long.parseLong(value.trim());
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    public Usage plus(Usage o) {
        return new Usage(
                topics + o.topics,
                partitions + o.partitions,
                storageBytes + o.storageBytes,
                instances + o.instances,
                brokers + o.brokers,
                unboundedStorage || o.unboundedStorage);
    }

    public Usage minus(Usage o) {
        return new Usage(
                topics - o.topics,
                partitions - o.partitions,
                storageBytes - o.storageBytes,
                instances - o.instances,
                brokers - o.brokers,
                unboundedStorage);
    }

    /** What going from {@code before} to this adds: the growing part of each count, never negative. */
    public Usage growthFrom(Usage before) {
        return new Usage(
                Math.max(0, topics - before.topics),
                Math.max(0, partitions - before.partitions),
                Math.max(0, storageBytes - before.storageBytes),
                Math.max(0, instances - before.instances),
                Math.max(0, brokers - before.brokers),
                unboundedStorage && !before.unboundedStorage);
    }

    public boolean isZero() {
        return topics == 0
                && partitions == 0
                && storageBytes == 0
                && instances == 0
                && brokers == 0
                && !unboundedStorage;
    }
}
