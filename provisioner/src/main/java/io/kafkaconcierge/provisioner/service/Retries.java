package io.kafkaconcierge.provisioner.service;

import io.kafkaconcierge.contracts.FailureReason;
import io.kafkaconcierge.contracts.RequestCommand;
import io.kafkaconcierge.provisioner.config.ProvisionerConfig;
import io.quarkus.logging.Log;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * Rounds of Admin calls on one cluster: the commands whose cluster did not answer go into the next round after a
 * backoff, until each has a terminal outcome or the attempts are spent (then FAILED, {@code CLUSTER_UNAVAILABLE}).
 * A round runs on a worker of the managed pool (its Admin calls block); the backoff between rounds is a timer, so no
 * thread sleeps through it and a cluster that does not answer holds no worker while it waits.
 */
final class Retries {

    private Retries() {}

    static Uni<Map<RequestCommand, Outcome>> run(
            ProvisionerConfig.Retry config,
            String cluster,
            List<RequestCommand> commands,
            Function<List<RequestCommand>, Map<RequestCommand, Outcome>> round) {
        return attempt(config, cluster, commands, round, 1, config.initialBackoff(), new HashMap<>());
    }

    private static Uni<Map<RequestCommand, Outcome>> attempt(
            ProvisionerConfig.Retry config,
            String cluster,
            List<RequestCommand> pending,
            Function<List<RequestCommand>, Map<RequestCommand, Outcome>> round,
            int attempt,
            Duration backoff,
            Map<RequestCommand, Outcome> done) {
        return Uni.createFrom()
                .item(() -> round.apply(pending))
                .runSubscriptionOn(Infrastructure.getDefaultWorkerPool())
                .chain(result -> {
                    List<RequestCommand> retry = new ArrayList<>();
                    result.forEach((c, o) -> {
                        if (o.retry()) {
                            retry.add(c);
                        } else {
                            done.put(c, o);
                        }
                    });
                    if (retry.isEmpty()) {
                        return Uni.createFrom().item(done);
                    }
                    if (attempt >= config.maxAttempts()) {
                        for (RequestCommand c : retry) {
                            done.put(
                                    c,
                                    Outcome.failed(
                                            FailureReason.CLUSTER_UNAVAILABLE,
                                            "Cluster '" + cluster
                                                    + "' did not answer after " + attempt + " attempts ("
                                                    + result.get(c).message()
                                                    + "). Nothing more will be tried; send the request again when the cluster is "
                                                    + "back."));
                        }
                        return Uni.createFrom().item(done);
                    }
                    Log.infof(
                            "cluster %s: %d request(s) will be retried in %s (attempt %d): %s",
                            cluster,
                            retry.size(),
                            backoff,
                            attempt,
                            result.get(retry.get(0)).message());
                    Duration next = backoff.multipliedBy(2).compareTo(config.maxBackoff()) <= 0
                            ? backoff.multipliedBy(2)
                            : config.maxBackoff();
                    Duration delay = backoff.compareTo(Duration.ofMillis(1)) < 0 ? Duration.ofMillis(1) : backoff;
                    return Uni.createFrom()
                            .voidItem()
                            .onItem()
                            .delayIt()
                            .by(delay)
                            .chain(() -> attempt(config, cluster, retry, round, attempt + 1, next, done));
                });
    }
}
