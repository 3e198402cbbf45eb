package io.kafkaconcierge.provisioner.service;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

import io.kafkaconcierge.contracts.FailureReason;
import io.kafkaconcierge.contracts.RequestCommand;
import io.kafkaconcierge.provisioner.config.ProvisionerConfig;
import io.quarkus.logging.Log;

/**
 * Rounds of Admin calls on one cluster: the commands whose cluster did not answer go into the next round after a
 * backoff, until each has a terminal outcome or the attempts are spent (then FAILED, {@code CLUSTER_UNAVAILABLE}).
 */
final class Retries {

    private Retries() {
    }

    static Map<RequestCommand, Outcome> run(ProvisionerConfig.Retry config, String cluster,
            List<RequestCommand> commands, Function<List<RequestCommand>, Map<RequestCommand, Outcome>> round) {
        Map<RequestCommand, Outcome> done = new HashMap<>();
        List<RequestCommand> pending = commands;
        Duration backoff = config.initialBackoff();
        for (int attempt = 1;; attempt++) {
            Map<RequestCommand, Outcome> result = round.apply(pending);
            List<RequestCommand> retry = new ArrayList<>();
            result.forEach((c, o) -> {
                if (o.retry()) {
                    retry.add(c);
                } else {
                    done.put(c, o);
                }
            });
            if (retry.isEmpty()) {
                return done;
            }
            if (attempt >= config.maxAttempts()) {
                for (RequestCommand c : retry) {
                    done.put(c, Outcome.failed(FailureReason.CLUSTER_UNAVAILABLE, "Cluster '" + cluster
                            + "' did not answer after " + attempt + " attempts (" + result.get(c).message()
                            + "). Nothing more will be tried; send the request again when the cluster is back."));
                }
                return done;
            }
            Log.infof("cluster %s: %d request(s) will be retried in %s (attempt %d): %s", cluster, retry.size(),
                    backoff, attempt, result.get(retry.get(0)).message());
            pause(backoff);
            backoff = backoff.multipliedBy(2).compareTo(config.maxBackoff()) <= 0 ? backoff.multipliedBy(2)
                    : config.maxBackoff();
            pending = retry;
        }
    }

    /** The backoff between rounds; this runs on a worker thread of its own, never on an event loop. */
    private static void pause(Duration backoff) {
        try {
            TimeUnit.MILLISECONDS.sleep(backoff.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting to retry", e);
        }
    }
}
