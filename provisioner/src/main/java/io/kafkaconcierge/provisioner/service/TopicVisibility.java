package io.kafkaconcierge.provisioner.service;

import io.kafkaconcierge.contracts.FailureReason;
import io.kafkaconcierge.contracts.Operation;
import io.kafkaconcierge.contracts.RequestCommand;
import io.kafkaconcierge.contracts.RequestState;
import io.quarkus.logging.Log;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.KafkaFuture;
import org.apache.kafka.common.TopicPartitionInfo;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;

/**
 * Holds back what the Admin calls of a round claim (READY, DELETED) until the cluster's metadata shows it: a created
 * topic listed with the asked partition count and a leader for every partition; an update's partitions and changed
 * configs; a deleted topic gone. One {@code describeTopics} (and, for updates with config changes, one
 * {@code describeConfigs}) per check for all the commands still waiting, checks repeated with a short doubling
 * backoff until a deadline, after which a command FAILS with {@code CLUSTER_UNAVAILABLE} instead of being announced
 * early. The waits between checks hold no thread; each check runs on a worker. See DESIGN.md.
 */
public final class TopicVisibility {

    private final Duration deadline;
    private final Duration initialBackoff;
    private final Duration maxBackoff;
    private final Duration callTimeout;
    private final Executor worker;

    /** Checks run on the given executor (blocking Admin calls, bounded by {@code callTimeout}). */
    public TopicVisibility(
            Duration deadline, Duration initialBackoff, Duration maxBackoff, Duration callTimeout, Executor worker) {
        this.deadline = deadline;
        this.initialBackoff = initialBackoff;
        this.maxBackoff = maxBackoff;
        this.callTimeout = callTimeout;
        this.worker = worker;
    }

    /** Checks run on the application's worker pool. */
    public TopicVisibility(Duration deadline, Duration initialBackoff, Duration maxBackoff, Duration callTimeout) {
        this(
                deadline,
                initialBackoff,
                maxBackoff,
                callTimeout,
                task -> Infrastructure.getDefaultWorkerPool().execute(task));
    }

    /** What one check saw of one command. */
    sealed interface Check {
        /** The metadata shows what the command claims. */
        record Visible() implements Check {}

        /** Not yet; {@code what} says what is missing, for the log and the message at the deadline. */
        record NotYet(String what) implements Check {}

        /** Checking failed for a reason that waiting will not fix. */
        record Failed(Outcome outcome) implements Check {}
    }

    /**
     * Answers the same outcomes once each claimed READY or DELETED shows in the metadata of the cluster that
     * {@code admin} talks to; the others pass unchanged. Never fails: a check error becomes the command's outcome.
     */
    public Uni<Map<RequestCommand, Outcome>> confirm(Admin admin, Map<RequestCommand, Outcome> claimed) {
        Map<RequestCommand, Outcome> done = new LinkedHashMap<>();
        Map<RequestCommand, Outcome> pending = new LinkedHashMap<>();
        claimed.forEach((c, o) -> (needsCheck(c, o) ? pending : done).put(c, o));
        if (pending.isEmpty()) {
            return Uni.createFrom().item(done);
        }
        return loop(admin, pending, done, System.nanoTime() + deadline.toNanos(), initialBackoff, 1);
    }

    static boolean needsCheck(RequestCommand c, Outcome o) {
        return o.state() == RequestState.DELETED && c.operation() == Operation.DELETE
                || o.state() == RequestState.READY
                        && (c.operation() == Operation.CREATE || c.operation() == Operation.UPDATE);
    }

    private Uni<Map<RequestCommand, Outcome>> loop(
            Admin admin,
            Map<RequestCommand, Outcome> pending,
            Map<RequestCommand, Outcome> done,
            long deadlineNanos,
            Duration backoff,
            int checks) {
        return Uni.createFrom()
                .item(() -> check(admin, pending.keySet()))
                .runSubscriptionOn(worker)
                .chain(seen -> {
                    Map<RequestCommand, Outcome> still = new LinkedHashMap<>();
                    Map<RequestCommand, String> missing = new HashMap<>();
                    seen.forEach((c, check) -> {
                        if (check instanceof Check.Visible) {
                            done.put(c, pending.get(c));
                        } else if (check instanceof Check.Failed f) {
                            done.put(c, f.outcome());
                        } else if (check instanceof Check.NotYet n) {
                            still.put(c, pending.get(c));
                            missing.put(c, n.what());
                        }
                    });
                    if (still.isEmpty()) {
                        return Uni.createFrom().item(done);
                    }
                    long left = deadlineNanos - System.nanoTime();
                    if (left <= 0) {
                        still.keySet().forEach(c -> done.put(c, late(c, missing.get(c), checks)));
                        return Uni.createFrom().item(done);
                    }
                    RequestCommand first = still.keySet().iterator().next();
                    Log.debugf(
                            "%d topic change(s) not yet in the metadata after %d check(s), e.g. %s: %s",
                            still.size(), checks, first.resource().key(), missing.get(first));
                    Duration wait = backoff.toNanos() < left ? backoff : Duration.ofNanos(left);
                    Duration next =
                            backoff.multipliedBy(2).compareTo(maxBackoff) <= 0 ? backoff.multipliedBy(2) : maxBackoff;
                    return Uni.createFrom()
                            .voidItem()
                            .onItem()
                            .delayIt()
                            .by(wait)
                            .chain(() -> loop(admin, still, done, deadlineNanos, next, checks + 1));
                });
    }

    /** One check of the commands on one cluster: one describeTopics, at most one describeConfigs. */
    Map<RequestCommand, Check> check(Admin admin, Collection<RequestCommand> commands) {
        List<String> names =
                commands.stream().map(c -> c.resource().name()).distinct().toList();
        Map<String, KafkaFuture<TopicDescription>> described =
                admin.describeTopics(names).topicNameValues();
        Map<RequestCommand, Check> seen = new LinkedHashMap<>();
        List<RequestCommand> configsToCheck = new ArrayList<>();
        for (RequestCommand c : commands) {
            String name = c.resource().name();
            TopicDescription d;
            try {
                d = get(described.get(name));
            } catch (Exception e) {
                boolean unknown = AdminErrors.unwrap(e) instanceof UnknownTopicOrPartitionException;
                if (c.operation() == Operation.DELETE) {
                    seen.put(c, unknown ? new Check.Visible() : error(e, "Checking that topic '" + name + "' is gone"));
                } else {
                    seen.put(
                            c,
                            unknown
                                    ? new Check.NotYet("not in the metadata yet")
                                    : error(e, "Checking that topic '" + name + "' is usable"));
                }
                continue;
            }
            if (c.operation() == Operation.DELETE) {
                seen.put(
                        c,
                        new Check.NotYet(
                                "still in the metadata with " + d.partitions().size() + " partition(s)"));
                continue;
            }
            Check partitions = partitions(d, c.spec().partitions());
            if (partitions instanceof Check.Visible
                    && c.operation() == Operation.UPDATE
                    && c.change() != null
                    && c.change().config() != null
                    && !c.change().config().isEmpty()) {
                configsToCheck.add(c);
            } else {
                seen.put(c, partitions);
            }
        }
        if (!configsToCheck.isEmpty()) {
            Map<ConfigResource, KafkaFuture<Config>> configs = admin.describeConfigs(configsToCheck.stream()
                            .map(c -> new ConfigResource(
                                    ConfigResource.Type.TOPIC, c.resource().name()))
                            .toList())
                    .values();
            for (RequestCommand c : configsToCheck) {
                String name = c.resource().name();
                try {
                    seen.put(
                            c,
                            configs(
                                    get(configs.get(new ConfigResource(ConfigResource.Type.TOPIC, name))),
                                    c.change().config()));
                } catch (Exception e) {
                    seen.put(
                            c,
                            AdminErrors.unwrap(e) instanceof UnknownTopicOrPartitionException
                                    ? new Check.NotYet("its configs are not in the metadata yet")
                                    : error(e, "Checking the configs of topic '" + name + "'"));
                }
            }
        }
        return seen;
    }

    /** The asked partition count, each with a leader. */
    static Check partitions(TopicDescription d, int asked) {
        int count = d.partitions().size();
        if (count != asked) {
            return new Check.NotYet(count + " of " + asked + " partitions in the metadata");
        }
        long leaderless =
                d.partitions().stream().filter(TopicVisibility::leaderless).count();
        return leaderless == 0
                ? new Check.Visible()
                : new Check.NotYet(leaderless + " of " + asked + " partitions without a leader");
    }

    private static boolean leaderless(TopicPartitionInfo p) {
        return p.leader() == null || p.leader().isEmpty();
    }

    /** Each changed config as asked: a set one with its value, a removed one no longer set on the topic. */
    static Check configs(Config config, Map<String, String> changed) {
        List<String> differ = new ArrayList<>();
        changed.forEach((k, v) -> {
            ConfigEntry e = config.get(k);
            if (v == null) {
                if (e != null && e.source() == ConfigEntry.ConfigSource.DYNAMIC_TOPIC_CONFIG) {
                    differ.add(k + " still set to " + e.value());
                }
            } else if (e == null || !normalize(v).equals(normalize(e.value()))) {
                differ.add(k + "=" + (e == null ? "unset" : e.value()) + " (asked " + v + ")");
            }
        });
        return differ.isEmpty() ? new Check.Visible() : new Check.NotYet(String.join(", ", differ));
    }

    static String normalize(String value) {
        return value == null ? "" : value.replace(" ", "");
    }

    private static Check error(Exception e, String what) {
        Outcome o = AdminErrors.classify(e, what);
        return o.retry() ? new Check.NotYet(o.message()) : new Check.Failed(o);
    }

    /** Past the deadline: an honest FAILED with what was last seen, never an early READY or DELETED. */
    private Outcome late(RequestCommand c, String missing, int checks) {
        String name = c.resource().name();
        String cluster = c.resource().cluster();
        String after = "after " + human(deadline) + " (" + checks + " check(s))";
        String message = switch (c.operation()) {
            case CREATE ->
                "Topic '" + name + "' was created on cluster '" + cluster + "', but " + after
                        + " the cluster's metadata did not yet show it with a leader for each of its "
                        + c.spec().partitions() + " partition(s): " + missing + ". It is not announced READY. It may "
                        + "still become usable; ask for it again with the same spec, which is READY once it is.";
            case UPDATE ->
                "The change to topic '" + name + "' was applied on cluster '" + cluster + "', but "
                        + after + " the cluster's metadata did not yet show it: " + missing + ". It is not announced "
                        + "READY; send the same change again, which is READY once the change shows.";
            case DELETE ->
                "Topic '" + name + "' was deleted on cluster '" + cluster + "', but " + after
                        + " it was still in the cluster's metadata: " + missing + ". It is not announced DELETED; "
                        + "delete it again, which is DELETED once it is gone.";
        };
        return Outcome.failed(FailureReason.CLUSTER_UNAVAILABLE, message);
    }

    private static String human(Duration d) {
        return d.toMillis() % 1000 == 0 ? d.toSeconds() + " s" : d.toMillis() + " ms";
    }

    private <T> T get(KafkaFuture<T> future) throws Exception {
        return future.get(callTimeout.toMillis(), TimeUnit.MILLISECONDS);
    }
}
