package io.kafkaconcierge.api.guard;

import io.kafkaconcierge.problem.Problem.FieldError;
import java.util.ArrayList;
import java.util.List;

/**
 * A team's limits; a null limit is no limit. With {@code storageBytes} set, every topic of the team needs a bounded
 * {@code retention.bytes} ({@code -1} would make the storage count meaningless).
 */
public record Quota(Long topics, Long partitions, Long storageBytes, Long instances, Long brokers) {

    public static final Quota NONE = new Quota(null, null, null, null, null);

    /**
     * What adding {@code delta} to {@code usage} breaks: one error per quota, naming the quota, what the request
     * adds, the limit and the usage. Only growth is checked: a request that adds nothing to a count is never refused
     * for it, even by a team over its limit (a lowered quota).
     */
    public List<FieldError> check(Usage usage, Usage delta) {
        List<FieldError> errors = new ArrayList<>();
        check("topics", topics, usage.topics(), delta.topics(), errors);
        check("partitions", partitions, usage.partitions(), delta.partitions(), errors);
        check("storageBytes", storageBytes, usage.storageBytes(), delta.storageBytes(), errors);
        check("instances", instances, usage.instances(), delta.instances(), errors);
        check("brokers", brokers, usage.brokers(), delta.brokers(), errors);
        if (storageBytes != null && delta.unboundedStorage()) {
            errors.add(new FieldError(
                    "config.retention.bytes",
                    "the team has a storage quota of " + storageBytes
                            + " bytes: every topic needs a bounded retention.bytes (not -1, not unset)",
                    "quota.storageBytes",
                    "unbounded",
                    storageBytes,
                    usage.storageBytes()));
        }
        return errors;
    }

    private static void check(String name, Long limit, long used, long adding, List<FieldError> errors) {
        if (limit != null && adding > 0 && used + adding > limit) {
            errors.add(new FieldError(
                    "quota." + name,
                    "over the team's " + name + " quota: " + used + " in use or " + "asked, this request adds " + adding
                            + ", the limit is " + limit,
                    "quota." + name,
                    adding,
                    limit,
                    used));
        }
    }

    /** This quota with {@code other}'s limits where this one has none. */
    public Quota or(Quota other) {
        return new Quota(
                topics != null ? topics : other.topics,
                partitions != null ? partitions : other.partitions,
                storageBytes != null ? storageBytes : other.storageBytes,
                instances != null ? instances : other.instances,
                brokers != null ? brokers : other.brokers);
    }
}
