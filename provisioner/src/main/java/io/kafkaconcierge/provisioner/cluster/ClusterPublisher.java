package io.kafkaconcierge.provisioner.cluster;

import io.kafkaconcierge.contracts.ClusterInfo;
import io.kafkaconcierge.provisioner.config.ProvisionerConfig;
import io.kafkaconcierge.provisioner.messaging.Channels;
import io.quarkus.logging.Log;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.reactive.messaging.MutinyEmitter;
import io.smallrye.reactive.messaging.kafka.Record;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.eclipse.microprofile.reactive.messaging.Channel;

/**
 * Describes every registered cluster at start and then periodically, and publishes what it learned on the compacted
 * {@code concierge.clusters}: the API validates requests (cluster exists, replication factor fits) against it.
 * The clusters are described all at once with the Admin clients' own futures (no thread waits on one), and no lock
 * is held while a cluster answers: an unreachable cluster delays neither the others nor a new instance's facts.
 */
@ApplicationScoped
public class ClusterPublisher {

    private final ClusterRegistry registry;
    private final ProvisionerConfig config;
    private final MutinyEmitter<Record<String, ClusterInfo>> emitter;
    private final Map<String, Integer> lastBrokers = new ConcurrentHashMap<>();
    /** Clusters whose facts reached Kafka at least once since start. */
    private final Set<String> published = ConcurrentHashMap.newKeySet();
    /** Orders the writes of one cluster's facts against its tombstone; held only for the send, never for I/O. */
    private final Object writes = new Object();

    public ClusterPublisher(
            ClusterRegistry registry,
            ProvisionerConfig config,
            @Channel(Channels.CLUSTERS_OUT) MutinyEmitter<Record<String, ClusterInfo>> emitter) {
        this.registry = registry;
        this.config = config;
        this.emitter = emitter;
    }

    @Scheduled(
            every = "${concierge.provisioner.cluster-check-interval:30s}",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void checkAll() {
        publish(registry.names());
    }

    /**
     * Publishes, soon after start, the clusters whose facts never reached Kafka yet: the first periodic round can run
     * before the outgoing channel is connected, and the API refuses requests for a cluster it has not heard of.
     */
    @Scheduled(every = "1s", delayed = "1s", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void catchUp() {
        List<String> missing = registry.names().stream()
                .filter(name -> !published.contains(name))
                .toList();
        if (!missing.isEmpty()) {
            publish(missing);
        }
    }

    private void publish(Iterable<String> names) {
        List<CompletableFuture<Void>> checks = new ArrayList<>();
        for (String name : names) {
            checks.add(check(name).thenAccept(info -> send(name, info)));
        }
        // the next round starts after this one's slowest answer (bounded by the admin timeout)
        CompletableFuture.allOf(checks.toArray(CompletableFuture[]::new)).join();
    }

    private void send(String name, ClusterInfo info) {
        synchronized (writes) {
            if (!registry.names().contains(name)) {
                return; // left the registry meanwhile: its tombstone stays the last word
            }
            try {
                emitter.send(Record.of(name, info))
                        .subscribe()
                        .with(
                                ok -> published.add(name),
                                failure -> Log.warnf("could not publish facts of cluster %s: %s", name, failure));
            } catch (RuntimeException e) { // the channel is not connected yet: catchUp tries again
                Log.debugf("could not publish facts of cluster %s yet: %s", name, e.getMessage());
            }
        }
    }

    /** Describes a newly registered cluster and waits until its facts are on Kafka. */
    public void publishNow(String name) {
        ClusterInfo info = check(name).join();
        synchronized (writes) {
            emitter.send(Record.of(name, info)).await().atMost(Duration.ofMinutes(1));
            published.add(name);
        }
    }

    /** A tombstone for a cluster that left the registry, so that the API stops accepting requests for it. */
    public void publishRemoved(String name) {
        lastBrokers.remove(name);
        published.remove(name);
        synchronized (writes) {
            emitter.send(Record.of(name, (ClusterInfo) null)).await().atMost(Duration.ofMinutes(1));
        }
    }

    /** The facts of one cluster, once it answered or the admin timeout passed; never fails. */
    private CompletableFuture<ClusterInfo> check(String name) {
        CompletableFuture<Integer> brokers;
        try {
            // creating the client fails at once when no bootstrap address resolves (a Service not there yet)
            Admin admin = registry.admin(name).orElseThrow();
            brokers = admin.describeCluster()
                    .nodes()
                    .toCompletionStage()
                    .toCompletableFuture()
                    .thenApply(nodes -> nodes.size())
                    .orTimeout(config.adminTimeout().toMillis(), TimeUnit.MILLISECONDS);
        } catch (RuntimeException e) {
            brokers = CompletableFuture.failedFuture(e);
        }
        return brokers.handle((count, failure) -> {
            if (failure == null) {
                lastBrokers.put(name, count);
                return new ClusterInfo(
                        name,
                        registry.bootstrapServers(name),
                        count,
                        true,
                        null,
                        Instant.now(),
                        registry.environment(name));
            }
            Throwable cause = failure instanceof CompletionException || failure instanceof ExecutionException
                    ? failure.getCause()
                    : failure;
            Log.warnf("cluster %s did not answer describeCluster: %s", name, cause.toString());
            return new ClusterInfo(
                    name,
                    registry.bootstrapServers(name),
                    lastBrokers.getOrDefault(name, 0),
                    false,
                    cause.toString(),
                    Instant.now(),
                    registry.environment(name));
        });
    }
}
