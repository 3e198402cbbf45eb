package io.kafkaconcierge.provisioner.cluster;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.apache.kafka.clients.admin.Admin;
import org.eclipse.microprofile.reactive.messaging.Channel;

import io.kafkaconcierge.contracts.ClusterInfo;
import io.kafkaconcierge.provisioner.config.ProvisionerConfig;
import io.kafkaconcierge.provisioner.messaging.Channels;
import io.quarkus.logging.Log;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.reactive.messaging.MutinyEmitter;
import io.smallrye.reactive.messaging.kafka.Record;

/**
 * Describes every registered cluster at start and then periodically, and publishes what it learned on the compacted
 * {@code concierge.clusters}: the API validates requests (cluster exists, replication factor fits) against it.
 */
@ApplicationScoped
public class ClusterPublisher {

    private final ClusterRegistry registry;
    private final ProvisionerConfig config;
    private final MutinyEmitter<Record<String, ClusterInfo>> emitter;
    private final Map<String, Integer> lastBrokers = new ConcurrentHashMap<>();
    private ScheduledExecutorService scheduler;

    public ClusterPublisher(ClusterRegistry registry, ProvisionerConfig config,
            @Channel(Channels.CLUSTERS_OUT) MutinyEmitter<Record<String, ClusterInfo>> emitter) {
        this.registry = registry;
        this.config = config;
        this.emitter = emitter;
    }

    void onStart(@Observes StartupEvent event) {
        scheduler = Executors.newSingleThreadScheduledExecutor(r -> new Thread(r, "cluster-checks"));
        scheduler.scheduleWithFixedDelay(this::checkAll, 0, config.clusterCheckInterval().toMillis(),
                TimeUnit.MILLISECONDS);
    }

    void onStop(@Observes ShutdownEvent event) {
        if (scheduler != null) {
            scheduler.shutdownNow();
        }
    }

    synchronized void checkAll() {
        for (String name : registry.names()) {
            if (!registry.names().contains(name)) {
                continue; // left the registry meanwhile
            }
            ClusterInfo info = check(name);
            emitter.send(Record.of(name, info))
                    .subscribe().with(ok -> {
                    }, failure -> Log.warnf("could not publish facts of cluster %s: %s", name, failure));
        }
    }

    /** Describes a newly registered cluster and waits until its facts are on Kafka. */
    public synchronized void publishNow(String name) {
        emitter.send(Record.of(name, check(name))).await().atMost(Duration.ofMinutes(1));
    }

    /** A tombstone for a cluster that left the registry, so that the API stops accepting requests for it. */
    public synchronized void publishRemoved(String name) {
        lastBrokers.remove(name);
        emitter.send(Record.of(name, (ClusterInfo) null)).await().atMost(Duration.ofMinutes(1));
    }

    private ClusterInfo check(String name) {
        try {
            // creating the client fails at once when no bootstrap address resolves (a Service not there yet)
            Admin admin = registry.admin(name).orElseThrow();
            int brokers = admin.describeCluster().nodes().get(config.adminTimeout().toMillis(), TimeUnit.MILLISECONDS)
                    .size();
            lastBrokers.put(name, brokers);
            return new ClusterInfo(name, registry.bootstrapServers(name), brokers, true, null, Instant.now(),
                    registry.environment(name));
        } catch (Exception e) {
            Throwable cause = e instanceof ExecutionException ? e.getCause() : e;
            Log.warnf("cluster %s did not answer describeCluster: %s", name, cause.toString());
            return new ClusterInfo(name, registry.bootstrapServers(name), lastBrokers.getOrDefault(name, 0), false,
                    cause.toString(), Instant.now(), registry.environment(name));
        }
    }
}
