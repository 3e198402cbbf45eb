package io.kafkaconcierge.provisioner.instance.strimzi;

import static io.kafkaconcierge.provisioner.instance.strimzi.StrimziResources.CLUSTER_LABEL;
import static io.kafkaconcierge.provisioner.instance.strimzi.StrimziResources.DONE_ANNOTATION;
import static io.kafkaconcierge.provisioner.instance.strimzi.StrimziResources.FINALIZER;
import static io.kafkaconcierge.provisioner.instance.strimzi.StrimziResources.KAFKA;
import static io.kafkaconcierge.provisioner.instance.strimzi.StrimziResources.MANAGED_BY;
import static io.kafkaconcierge.provisioner.instance.strimzi.StrimziResources.MANAGER;
import static io.kafkaconcierge.provisioner.instance.strimzi.StrimziResources.NODE_POOL;
import static io.kafkaconcierge.provisioner.instance.strimzi.StrimziResources.OWNER_LABEL;
import static io.kafkaconcierge.provisioner.instance.strimzi.StrimziResources.REQUEST_ANNOTATION;
import static io.kafkaconcierge.provisioner.instance.strimzi.StrimziResources.REQUEST_LABEL;
import static io.kafkaconcierge.provisioner.instance.strimzi.StrimziResources.TOPIC;
import static io.kafkaconcierge.provisioner.instance.strimzi.StrimziResources.USER;
import static io.kafkaconcierge.provisioner.instance.strimzi.StrimziStatus.READY;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ResourceRequirements;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.kafkaconcierge.contracts.FailureReason;
import io.kafkaconcierge.contracts.InstanceSpec;
import io.kafkaconcierge.contracts.InstanceStatus;
import io.kafkaconcierge.contracts.Json;
import io.kafkaconcierge.contracts.Operation;
import io.kafkaconcierge.contracts.RequestCommand;
import io.kafkaconcierge.contracts.RequestState;
import io.kafkaconcierge.contracts.ResourceKind;
import io.kafkaconcierge.contracts.TopicSpec;
import io.kafkaconcierge.contracts.UserSpec;
import io.kafkaconcierge.contracts.secrets.SecretBox;
import io.kafkaconcierge.provisioner.config.ProvisionerConfig;
import io.kafkaconcierge.provisioner.instance.InstanceBackend;
import io.kafkaconcierge.provisioner.instance.strimzi.StrimziStatus.Deadline;
import io.kafkaconcierge.provisioner.instance.strimzi.StrimziStatus.Failed;
import io.kafkaconcierge.provisioner.instance.strimzi.StrimziStatus.Observed;
import io.kafkaconcierge.provisioner.instance.strimzi.StrimziStatus.Report;
import io.kafkaconcierge.provisioner.instance.strimzi.StrimziStatus.Verdict;
import io.kafkaconcierge.provisioner.instance.strimzi.StrimziStatus.Waiting;
import io.kafkaconcierge.provisioner.service.Outcome;
import io.quarkus.logging.Log;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import io.strimzi.api.kafka.model.kafka.EphemeralStorage;
import io.strimzi.api.kafka.model.kafka.Kafka;
import io.strimzi.api.kafka.model.kafka.KafkaClusterSpec;
import io.strimzi.api.kafka.model.kafka.KafkaSpec;
import io.strimzi.api.kafka.model.kafka.PersistentClaimStorage;
import io.strimzi.api.kafka.model.kafka.Storage;
import io.strimzi.api.kafka.model.kafka.entityoperator.EntityOperatorSpec;
import io.strimzi.api.kafka.model.kafka.entityoperator.EntityTopicOperatorSpec;
import io.strimzi.api.kafka.model.kafka.entityoperator.EntityUserOperatorSpec;
import io.strimzi.api.kafka.model.kafka.listener.GenericKafkaListener;
import io.strimzi.api.kafka.model.kafka.listener.KafkaListenerType;
import io.strimzi.api.kafka.model.nodepool.KafkaNodePool;
import io.strimzi.api.kafka.model.nodepool.KafkaNodePoolSpec;
import io.strimzi.api.kafka.model.nodepool.ProcessRoles;
import io.strimzi.api.kafka.model.topic.KafkaTopic;
import io.strimzi.api.kafka.model.topic.KafkaTopicSpec;
import io.strimzi.api.kafka.model.user.KafkaUser;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Named;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import org.jboss.logging.MDC;

/**
 * Instances as Strimzi {@code Kafka} + {@code KafkaNodePool} resources, and topics and users on them as
 * {@code KafkaTopic} and {@code KafkaUser} resources for the entity operator (a user's password in a Secret the
 * concierge owns). The resources themselves are the durable record of each request (annotations
 * and a finalizer). Informers watch them; a resource whose status changed is examined on a worker thread, where
 * {@link StrimziStatus} decides the outcome and this class does the I/O. No lock is held while the listener writes
 * an event; the API server calls on a resource hold that resource's lock only. See DESIGN.md in the instance package.
 */
@ApplicationScoped
@Named(StrimziInstanceBackend.NAME)
public class StrimziInstanceBackend implements InstanceBackend {

    public static final String NAME = "strimzi";
    /** How soon a resource is examined again after acting on its status failed. */
    private static final Duration RETRY = Duration.ofSeconds(1);

    private final Instance<KubernetesClient> clients;
    private final ProvisionerConfig.Instances config;
    /** Whether each finished instance was Ready when last examined, to tell health changes. */
    private final Map<String, Boolean> health = new ConcurrentHashMap<>();
    /** The NotReady reason last reported for each request in progress, so that each new one is reported once. */
    private final Map<String, String> reported = new ConcurrentHashMap<>();
    /** Instances that exist and are not being deleted: topic requests for them become KafkaTopics. */
    private final Set<String> live = ConcurrentHashMap.newKeySet();

    /** One informer per kind, on the resources the concierge manages; their caches are what is examined. */
    private final Map<ResourceDefinitionContext, SharedIndexInformer<GenericKubernetesResource>> informers =
            new ConcurrentHashMap<>();
    /** Resources to examine, in the order they were marked; each at most once however often it was marked. */
    private final Set<Key> dirty = new LinkedHashSet<>();
    /** Whether marking a resource starts a drain (after start's own drain, before stop); guarded by {@link #dirty}. */
    private boolean running;
    /** Whether a drain runs; guarded by {@link #dirty}. */
    private boolean draining;
    /** Whether the backend stopped; guarded by {@link #dirty}. */
    private boolean stopped;

    /**
     * One lock per resource (a Kafka with its node pools, a KafkaTopic, a KafkaUser with its Secret), not one for the
     * backend: {@code begin} and the examination of the resource hold it while they read and write the resource on
     * the API server, so that a request {@code begin} writes never crosses a decision about the one before, and
     * resources do not wait for one another. Never held while the listener writes an event (see {@link #examine}).
     * Kept for the life of the backend: one small object per resource name seen.
     */
    private final Map<Key, Object> locks = new ConcurrentHashMap<>();

    // set once by start, before anything reads them; volatile as no lock is common to start, begin and the drain
    private volatile KubernetesClient client;
    private volatile String namespace;
    private volatile Executor workers;
    private volatile Listener listener;

    private final SecretBox secrets;

    /** A resource of one of the watched kinds, by name (all are in {@link #namespace}). */
    private record Key(ResourceDefinitionContext kind, String name) {}

    /**
     * What examining a resource came to, in the order it is done: writes on the API server before the listener hears
     * anything, the listener's call (it writes an event and waits for Kafka's ack), then writes that must follow the
     * event because they say it is out (the done annotation, the finalizer's removal, a failed create's removal).
     */
    private record Act(Runnable before, Runnable event, Runnable after) {
        static final Runnable NOTHING = () -> {};
        static final Act NONE = new Act(NOTHING, NOTHING, NOTHING);

        static Act writes(Runnable writes) {
            return new Act(writes, NOTHING, NOTHING);
        }

        static Act event(Runnable event) {
            return new Act(NOTHING, event, NOTHING);
        }
    }

    public StrimziInstanceBackend(Instance<KubernetesClient> clients, ProvisionerConfig config, SecretBox secrets) {
        this.clients = clients;
        this.config = config.instances();
        this.secrets = secrets;
    }

    @Override
    public String name() {
        return NAME;
    }

    /**
     * Starts an informer per kind (each lists its resources once, then watches them), then examines every resource
     * found before it returns, as the first poll did: unfinished requests resume, existing instances are found.
     */
    @Override
    public void start(Listener listener) {
        this.listener = listener;
        this.client = clients.get();
        this.namespace = config.strimzi()
                .namespace()
                .orElseGet(() -> Optional.ofNullable(client.getNamespace()).orElse("default"));
        this.workers = Infrastructure.getDefaultWorkerPool();
        long resync = config.strimzi().pollInterval().toMillis();
        try {
            for (ResourceDefinitionContext kind : List.of(KAFKA, TOPIC, USER)) {
                informers.put(kind, inform(kind, resync, marking(kind)));
            }
            informers.put(NODE_POOL, inform(NODE_POOL, 0, poolsGone()));
        } catch (RuntimeException e) {
            stop();
            throw e;
        }
        synchronized (dirty) {
            for (ResourceDefinitionContext kind : List.of(KAFKA, TOPIC, USER)) {
                informers
                        .get(kind)
                        .getStore()
                        .list()
                        .forEach(g -> dirty.add(new Key(kind, g.getMetadata().getName())));
            }
            draining = true;
        }
        drain(); // here, before start returns
        boolean more;
        synchronized (dirty) {
            running = !stopped;
            more = running && !dirty.isEmpty() && !draining;
            draining |= more;
        }
        if (more) {
            workers.execute(this::drain);
        }
        Log.infof(
                "strimzi backend: namespace %s, %d instance(s), watching with a resync every %s",
                namespace, live.size(), config.strimzi().pollInterval());
    }

    /** Closes the informers; a drain under way ends after the resource it is examining. */
    @Override
    public void stop() {
        synchronized (dirty) {
            stopped = true;
            running = false;
            dirty.clear();
        }
        for (SharedIndexInformer<GenericKubernetesResource> informer : informers.values()) {
            try {
                informer.close();
            } catch (RuntimeException e) {
                Log.debugf("strimzi backend: closing an informer: %s", e.toString());
            }
        }
    }

    @Override
    public boolean managesTopicsOf(String cluster) {
        return live.contains(cluster);
    }

    /** Under the lock of the request's resource only: a slow examination of another resource does not hold it up. */
    @Override
    public InstanceStatus begin(RequestCommand command) {
        ResourceKind kind = command.resource().kind();
        Key key = kind == ResourceKind.TOPIC
                ? new Key(
                        TOPIC,
                        StrimziResources.topicResourceName(
                                command.spec().cluster(), command.spec().name()))
                : kind == ResourceKind.USER
                        ? new Key(USER, command.user().name())
                        : new Key(KAFKA, command.resource().name());
        synchronized (lock(key)) {
            if (kind == ResourceKind.TOPIC) {
                beginTopic(command);
                return null;
            }
            if (kind == ResourceKind.USER) {
                beginUser(command);
                return null;
            }
            return beginInstance(command);
        }
    }

    private Object lock(Key key) {
        return locks.computeIfAbsent(key, k -> new Object());
    }

    private InstanceStatus beginInstance(RequestCommand command) {
        String name = command.resource().name();
        InstanceSpec spec = command.instance();
        switch (command.operation()) {
            case CREATE -> {
                GenericKubernetesResource existing =
                        resources(KAFKA).withName(name).get();
                if (existing != null) {
                    Optional<RequestCommand> theirs = request(existing.getMetadata());
                    if (theirs.isEmpty() || !theirs.get().requestId().equals(command.requestId())) {
                        finishLater(
                                command,
                                Outcome.failed(
                                        FailureReason.CONFLICT,
                                        "A Kafka named '" + name + "' already exists in namespace " + namespace));
                    }
                    break; // else a redelivered command: already written
                }
                pools(spec).forEach(p -> resources(NODE_POOL).resource(p).createOr(op -> op.update()));
                resources(KAFKA).resource(kafka(spec, command)).create();
                live.add(name);
            }
            case UPDATE -> {
                GenericKubernetesResource existing =
                        resources(KAFKA).withName(name).get();
                if (existing == null) {
                    finishLater(
                            command,
                            Outcome.failed(
                                    FailureReason.NOT_FOUND,
                                    "No Kafka named '" + name + "' in namespace " + namespace));
                    break;
                }
                for (GenericKubernetesResource pool : pools(spec)) {
                    resources(NODE_POOL).resource(pool).createOr(op -> op.update());
                }
                GenericKubernetesResource desired = kafka(spec, command);
                desired.getMetadata().setResourceVersion(existing.getMetadata().getResourceVersion());
                desired.getMetadata().setFinalizers(existing.getMetadata().getFinalizers());
                resources(KAFKA).resource(desired).update();
            }
            case DELETE -> {
                GenericKubernetesResource existing =
                        resources(KAFKA).withName(name).get();
                if (existing == null) {
                    finishLater(command, Outcome.done(RequestState.DELETED));
                    break;
                }
                annotate(KAFKA, name, command);
                live.remove(name);
                resources(KAFKA).withName(name).delete();
            }
        }
        return new InstanceStatus(
                NAME,
                spec.kafkaVersion(),
                0,
                List.of(),
                List.of(new InstanceStatus.Condition(
                        READY,
                        "False",
                        progress(command.operation()),
                        "Kafka resources " + "written to namespace " + namespace + "; waiting for the Strimzi operator",
                        Instant.now())));
    }

    private void beginTopic(RequestCommand command) {
        TopicSpec spec = command.spec();
        String name = StrimziResources.topicResourceName(spec.cluster(), spec.name());
        if (command.operation() == Operation.DELETE) {
            if (resources(TOPIC).withName(name).get() == null) {
                finishLater(command, Outcome.done(RequestState.DELETED));
                return;
            }
            annotate(TOPIC, name, command);
            resources(TOPIC).withName(name).delete();
            return;
        }
        KafkaTopic topic = new KafkaTopic();
        topic.setMetadata(metadata(name, spec.cluster(), spec.owner(), command));
        KafkaTopicSpec s = new KafkaTopicSpec();
        s.setTopicName(spec.name());
        s.setPartitions(spec.partitions());
        s.setReplicas((int) spec.replicationFactor());
        s.setConfig(new TreeMap<>(spec.config()));
        topic.setSpec(s);
        GenericKubernetesResource desired = StrimziResources.generic(client, topic);
        GenericKubernetesResource existing = resources(TOPIC).withName(name).get();
        if (existing == null) {
            resources(TOPIC).resource(desired).create();
        } else {
            desired.getMetadata().setResourceVersion(existing.getMetadata().getResourceVersion());
            desired.getMetadata().setFinalizers(existing.getMetadata().getFinalizers());
            resources(TOPIC).resource(desired).update();
        }
    }

    /**
     * A user as a KafkaUser named as the user (the User Operator takes the SCRAM user name from the resource's name),
     * its password first written to the concierge's own Secret, which the KafkaUser names. The request annotation
     * holds the command without its sealed password.
     */
    private void beginUser(RequestCommand command) {
        UserSpec user = command.user();
        String name = user.name();
        GenericKubernetesResource existing = resources(USER).withName(name).get();
        if (existing != null
                && !user.cluster().equals(existing.getMetadata().getLabels().get(CLUSTER_LABEL))) {
            finishLater(
                    command,
                    Outcome.failed(
                            FailureReason.CONFLICT,
                            "A KafkaUser named '" + name + "' of another "
                                    + "Kafka exists in namespace " + namespace
                                    + "; KafkaUser names are the SCRAM user names, one per "
                                    + "namespace. Nothing was changed."));
            return;
        }
        RequestCommand recorded = command.withoutCredential();
        if (command.operation() == Operation.DELETE) {
            if (existing == null) {
                client.secrets()
                        .inNamespace(namespace)
                        .withName(StrimziUsers.secretName(name))
                        .delete();
                finishLater(command, Outcome.done(RequestState.DELETED));
                return;
            }
            annotate(USER, name, recorded);
            resources(USER).withName(name).delete();
            return;
        }
        String unsupported = StrimziUsers.unsupported(user);
        if (unsupported != null) {
            finishLater(
                    command,
                    Outcome.failed(
                            FailureReason.INVALID_SPEC,
                            "On a Strimzi instance " + unsupported + ". Nothing was changed."));
            return;
        }
        if (command.credential() != null) {
            String password;
            try {
                password = secrets.open(command.credential());
            } catch (RuntimeException e) {
                finishLater(
                        command,
                        Outcome.failed(
                                FailureReason.INTERNAL,
                                "The user's new password cannot be opened ("
                                        + e.getMessage()
                                        + "); nothing was changed. Check that the API and the provisioner share "
                                        + "concierge.secrets.key, then ask again."));
                return;
            }
            Secret secret = new SecretBuilder()
                    .withMetadata(metadata(StrimziUsers.secretName(name), user.cluster(), user.owner(), null))
                    .withType("Opaque")
                    .withStringData(Map.of(StrimziUsers.PASSWORD_KEY, password))
                    .build();
            client.secrets().inNamespace(namespace).resource(secret).createOr(op -> op.update());
        } else if (existing == null) {
            finishLater(
                    command,
                    Outcome.failed(
                            FailureReason.INVALID_SPEC,
                            "The request carries no password for " + "the new user; nothing was changed"));
            return;
        }
        KafkaUser kafkaUser = new KafkaUser();
        kafkaUser.setMetadata(metadata(name, user.cluster(), user.owner(), recorded));
        kafkaUser.setSpec(StrimziUsers.spec(user));
        GenericKubernetesResource desired = StrimziResources.generic(client, kafkaUser);
        if (existing == null) {
            resources(USER).resource(desired).create();
        } else {
            desired.getMetadata().setResourceVersion(existing.getMetadata().getResourceVersion());
            desired.getMetadata().setFinalizers(existing.getMetadata().getFinalizers());
            resources(USER).resource(desired).update();
        }
    }

    /** The Kafka resource of an instance: version, listeners, configs, and the topic and user operators. */
    private GenericKubernetesResource kafka(InstanceSpec spec, RequestCommand command) {
        Kafka kafka = new Kafka();
        kafka.setMetadata(metadata(spec.name(), null, spec.owner(), command));
        KafkaClusterSpec cluster = new KafkaClusterSpec();
        cluster.setVersion(spec.kafkaVersion());
        List<GenericKafkaListener> listeners = new ArrayList<>();
        for (InstanceSpec.Listener l : spec.listeners()) {
            GenericKafkaListener listener = new GenericKafkaListener();
            listener.setName(l.name());
            listener.setPort(l.port());
            listener.setTls(l.tls());
            listener.setType(
                    InstanceSpec.Listener.EXTERNAL.equals(l.type())
                            ? KafkaListenerType.forValue(config.strimzi().externalListenerType())
                            : KafkaListenerType.INTERNAL);
            listeners.add(listener);
        }
        cluster.setListeners(listeners);
        Map<String, Object> configs = new LinkedHashMap<>();
        int rf = Math.min(3, spec.brokers());
        configs.put("offsets.topic.replication.factor", rf);
        configs.put("transaction.state.log.replication.factor", rf);
        configs.put("transaction.state.log.min.isr", Math.min(2, spec.brokers()));
        configs.put("default.replication.factor", rf);
        configs.put("min.insync.replicas", Math.min(2, spec.brokers()));
        configs.putAll(spec.config());
        cluster.setConfig(configs);
        KafkaSpec kafkaSpec = new KafkaSpec();
        kafkaSpec.setKafka(cluster);
        EntityOperatorSpec entityOperator = new EntityOperatorSpec();
        entityOperator.setTopicOperator(new EntityTopicOperatorSpec());
        entityOperator.setUserOperator(new EntityUserOperatorSpec());
        kafkaSpec.setEntityOperator(entityOperator);
        kafka.setSpec(kafkaSpec);
        GenericKubernetesResource g = StrimziResources.generic(client, kafka);
        g.getMetadata().setFinalizers(List.of(FINALIZER));
        return g;
    }

    /**
     * Node pools as the local backend lays out processes: one combined node for one broker, else one controller
     * (two brokers) or a quorum of three, and a pool of brokers.
     */
    private List<GenericKubernetesResource> pools(InstanceSpec spec) {
        List<GenericKubernetesResource> pools = new ArrayList<>();
        if (spec.brokers() == 1) {
            pools.add(pool(spec, "dual", 1, List.of(ProcessRoles.CONTROLLER, ProcessRoles.BROKER)));
        } else {
            pools.add(pool(spec, "controller", spec.brokers() >= 3 ? 3 : 1, List.of(ProcessRoles.CONTROLLER)));
            pools.add(pool(spec, "broker", spec.brokers(), List.of(ProcessRoles.BROKER)));
        }
        return pools;
    }

    private GenericKubernetesResource pool(InstanceSpec spec, String role, int replicas, List<ProcessRoles> roles) {
        KafkaNodePool pool = new KafkaNodePool();
        ObjectMeta meta = metadata(spec.name() + "-" + role, spec.name(), spec.owner(), null);
        pool.setMetadata(meta);
        KafkaNodePoolSpec s = new KafkaNodePoolSpec();
        s.setReplicas(replicas);
        s.setRoles(roles);
        Storage storage;
        if (InstanceSpec.Storage.PERSISTENT.equals(spec.storage().type())) {
            PersistentClaimStorage claim = new PersistentClaimStorage();
            claim.setSize(spec.storage().size());
            claim.setDeleteClaim(true);
            storage = claim;
        } else {
            storage = new EphemeralStorage();
        }
        s.setStorage(storage);
        if (spec.resources() != null && roles.contains(ProcessRoles.BROKER)) {
            ResourceRequirements r = new ResourceRequirements();
            r.setRequests(quantities(spec.resources().requests()));
            r.setLimits(quantities(spec.resources().limits()));
            s.setResources(r);
        }
        pool.setSpec(s);
        return StrimziResources.generic(client, pool);
    }

    private static Map<String, Quantity> quantities(Map<String, String> values) {
        Map<String, Quantity> q = new HashMap<>();
        if (values != null) {
            values.forEach((k, v) -> q.put(k, new Quantity(v)));
        }
        return q;
    }

    /** Labels that say who asked; for a request's primary resource, the request as an annotation. */
    private ObjectMeta metadata(String name, String cluster, String owner, RequestCommand command) {
        Map<String, String> labels = new LinkedHashMap<>();
        labels.put(MANAGED_BY, MANAGER);
        labels.put(OWNER_LABEL, owner);
        if (cluster != null) {
            labels.put(CLUSTER_LABEL, cluster);
        }
        ObjectMetaBuilder meta =
                new ObjectMetaBuilder().withName(name).withNamespace(namespace).withLabels(labels);
        if (command != null) {
            labels.put(REQUEST_LABEL, command.requestId());
            meta.withLabels(labels)
                    .withAnnotations(Map.of(
                            REQUEST_ANNOTATION,
                            new String(Json.write(command), StandardCharsets.UTF_8),
                            DONE_ANNOTATION,
                            "false"))
                    .withFinalizers(FINALIZER);
        }
        return meta.build();
    }

    private void annotate(ResourceDefinitionContext kind, String name, RequestCommand command) {
        resources(kind).withName(name).edit(g -> {
            g.getMetadata()
                    .getAnnotations()
                    .put(REQUEST_ANNOTATION, new String(Json.write(command), StandardCharsets.UTF_8));
            g.getMetadata().getAnnotations().put(DONE_ANNOTATION, "false");
            g.getMetadata().getLabels().put(REQUEST_LABEL, command.requestId());
            return g;
        });
    }

    /** Starts an informer on the managed resources of a kind: its events mark resources to examine. */
    private SharedIndexInformer<GenericKubernetesResource> inform(
            ResourceDefinitionContext kind,
            long resyncMillis,
            ResourceEventHandler<GenericKubernetesResource> handler) {
        return resources(kind).withLabel(MANAGED_BY, MANAGER).inform(handler, resyncMillis);
    }

    /**
     * Runs on the informer's thread, so it only looks at the resource in memory and marks it: a Kafka always (its
     * health is followed after its request), a KafkaTopic or KafkaUser while its request is open or it is being
     * deleted.
     */
    private ResourceEventHandler<GenericKubernetesResource> marking(ResourceDefinitionContext kind) {
        return new ResourceEventHandler<>() {
            @Override
            public void onAdd(GenericKubernetesResource g) {
                mark(g);
            }

            @Override
            public void onUpdate(GenericKubernetesResource before, GenericKubernetesResource g) {
                mark(g); // also every resync, with before == g
            }

            @Override
            public void onDelete(GenericKubernetesResource g, boolean finalStateUnknown) {
                // gone: the finalizer kept it until its outcome was out
            }

            private void mark(GenericKubernetesResource g) {
                Map<String, String> annotations = g.getMetadata().getAnnotations();
                if (annotations == null || !annotations.containsKey(REQUEST_ANNOTATION)) {
                    return;
                }
                if (kind == KAFKA
                        || !"true".equals(annotations.get(DONE_ANNOTATION))
                        || g.getMetadata().getDeletionTimestamp() != null) {
                    touch(new Key(kind, g.getMetadata().getName()));
                }
            }
        };
    }

    /** A node pool that goes may be the last one a deleted Kafka waits for. */
    private ResourceEventHandler<GenericKubernetesResource> poolsGone() {
        return new ResourceEventHandler<>() {
            @Override
            public void onAdd(GenericKubernetesResource g) {}

            @Override
            public void onUpdate(GenericKubernetesResource before, GenericKubernetesResource g) {}

            @Override
            public void onDelete(GenericKubernetesResource g, boolean finalStateUnknown) {
                Map<String, String> labels = g.getMetadata().getLabels();
                if (labels != null && labels.get(CLUSTER_LABEL) != null) {
                    touch(new Key(KAFKA, labels.get(CLUSTER_LABEL)));
                }
            }
        };
    }

    /** Marks a resource to examine and, unless one runs already, starts a drain on a worker thread. */
    private void touch(Key key) {
        boolean start;
        synchronized (dirty) {
            dirty.add(key);
            start = running && !draining;
            draining |= start;
        }
        if (start) {
            try {
                workers.execute(this::drain);
            } catch (RejectedExecutionException e) { // shutting down
                synchronized (dirty) {
                    draining = false;
                }
            }
        }
    }

    /**
     * Examines the marked resources one at a time, in the order they were marked, until none is left. One drain runs
     * at a time (on a worker thread, or on the starting thread at start), so the resources are examined one by one
     * as the poll did; {@link #examine} relies on it to send an outcome once, with no lock held while it is sent.
     */
    private void drain() {
        while (true) {
            Key key;
            synchronized (dirty) {
                Iterator<Key> next = dirty.iterator();
                if (!next.hasNext() || stopped) {
                    draining = false;
                    return;
                }
                key = next.next();
                next.remove();
            }
            try {
                examine(key);
            } catch (RuntimeException e) {
                // recorded, and examined again a little later (the next resync would too)
                Log.warnf(
                        "strimzi backend: acting on the status of %s %s failed (%s); trying again in %s",
                        key.kind().getKind(), key.name(), e.toString(), RETRY);
                Uni.createFrom()
                        .voidItem()
                        .onItem()
                        .delayIt()
                        .by(RETRY)
                        .subscribe()
                        .with(x -> touch(key));
            }
        }
    }

    /**
     * Acts on a resource as the informer's cache has it now (its latest state, not the one that marked it), in three
     * steps: under the resource's lock, the decision (from the cache) and the writes that come before any event; then,
     * with no lock held, the listener's call, which writes an event and waits for Kafka's ack (up to minutes when
     * Kafka is slow), so that no {@code begin} waits for it, of this resource or another; then, under the lock again,
     * the writes that say the event is out, which check that the resource still carries the request decided on.
     *
     * <p>Only the drain calls this, one resource at a time, each to its end before the next: so the events of one
     * resource keep the order they were decided in, and an outcome found not out yet ({@code finishedBefore}) under
     * the lock is sent once: nothing else sends the outcome of a request recorded on a resource ({@code begin}'s
     * {@link #finishLater} only those it did not record), and the next look at it comes after the listener recorded
     * it and the done annotation was written. The NotReady reason and the health are noted under the lock, before
     * their event, as before: a failed event is not sent again.
     */
    private void examine(Key key) {
        Object lock = lock(key);
        try {
            Act act;
            synchronized (lock) {
                act = decide(key);
                act.before().run();
            }
            act.event().run(); // no lock held
            if (act.after() != Act.NOTHING) {
                synchronized (lock) {
                    act.after().run();
                }
            }
        } finally {
            MDC.remove("requestId");
        }
    }

    /** What to do about a resource as the cache has it; called under the resource's lock. */
    private Act decide(Key key) {
        GenericKubernetesResource g = informers.get(key.kind()).getStore().getByKey(namespace + "/" + key.name());
        if (g == null) {
            return Act.NONE;
        }
        Optional<RequestCommand> command = request(g.getMetadata());
        if (command.isEmpty()) {
            return Act.NONE;
        }
        boolean done = "true".equals(g.getMetadata().getAnnotations().get(DONE_ANNOTATION));
        boolean deleting = g.getMetadata().getDeletionTimestamp() != null;
        if (key.kind() != KAFKA && done && !deleting) {
            return Act.NONE;
        }
        if (command.get().operation() == Operation.DELETE && !deleting) {
            // begin() writes a delete request, then deletes: the cache may show the step between (which the poll,
            // under begin's lock, never saw), where the status is still about the resource's last spec
            return Act.NONE;
        }
        MDC.put("requestId", command.get().requestId());
        if (key.kind() == KAFKA) {
            return instance(StrimziResources.kafka(client, g), command.get(), done);
        } else if (key.kind() == TOPIC) {
            return topic(StrimziResources.topic(client, g), command.get(), done);
        }
        return user(StrimziResources.user(client, g), command.get(), done);
    }

    private Act instance(Kafka kafka, RequestCommand command, boolean done) {
        String name = kafka.getMetadata().getName();
        if (kafka.getMetadata().getDeletionTimestamp() != null) {
            live.remove(name);
            health.remove(name);
            List<GenericKubernetesResource> pools =
                    resources(NODE_POOL).withLabel(CLUSTER_LABEL, name).list().getItems();
            if (!pools.isEmpty()) {
                // examined again when a pool's deletion is seen
                return Act.writes(() -> pools.forEach(p ->
                        resources(NODE_POOL).withName(p.getMetadata().getName()).delete()));
            }
            Runnable event = done || listener.finishedBefore(command.requestId())
                    ? Act.NOTHING
                    : () -> listener.finished(
                            command,
                            Outcome.done(RequestState.DELETED),
                            new InstanceStatus(
                                    NAME,
                                    command.instance().kafkaVersion(),
                                    0,
                                    List.of(),
                                    List.of(new InstanceStatus.Condition(
                                            READY,
                                            "False",
                                            "Deleted",
                                            "Kafka and node pools deleted",
                                            Instant.now()))));
            return new Act(Act.NOTHING, event, () -> release(KAFKA, name, command));
        }
        live.add(name);
        boolean readyNow = StrimziStatus.healthy(kafka);
        InstanceStatus status = StrimziStatus.instanceStatus(NAME, kafka, command.instance(), readyNow);
        if (!done) {
            if (listener.finishedBefore(command.requestId())) {
                return Act.writes(() -> markDone(KAFKA, name, command));
            }
            Verdict verdict = StrimziStatus.instance(
                    kafka,
                    new Deadline(command.acceptedAt(), config.readyTimeout()),
                    Instant.now(),
                    reported.get(command.requestId()));
            if (verdict instanceof StrimziStatus.Ready) {
                return new Act(
                        Act.NOTHING, () -> listener.finished(command, Outcome.done(RequestState.READY), status), () -> {
                            markDone(KAFKA, name, command);
                            health.put(name, true);
                        });
            } else if (verdict instanceof Report report) {
                reported.put(command.requestId(), report.key());
                return Act.event(() -> listener.progress(command, status));
            } else if (verdict instanceof Failed failed) {
                return fail(KAFKA, name, command, failed, status);
            } else if (verdict instanceof Waiting waiting) {
                Log.debugf("strimzi backend: Kafka %s not Ready yet: %s", name, waiting.missing());
            }
            return Act.NONE;
        }
        reported.remove(command.requestId());
        Boolean before = health.put(name, readyNow);
        if (before == null) {
            return readyNow ? Act.event(() -> listener.adopted(command, status)) : Act.NONE;
        } else if (before != readyNow) {
            return Act.event(
                    () -> listener.health(command, readyNow ? RequestState.READY : RequestState.DEGRADED, status));
        }
        return Act.NONE;
    }

    private Act topic(KafkaTopic topic, RequestCommand command, boolean done) {
        return entity(
                TOPIC,
                topic,
                Observed.of(topic),
                command,
                done,
                "topic",
                "is the entity operator of " + command.spec().cluster() + " running?",
                () -> {});
    }

    /** READY on the User Operator's Ready; a refusal FAILS; DELETED once the KafkaUser and its Secret are gone. */
    private Act user(KafkaUser user, RequestCommand command, boolean done) {
        String name = user.getMetadata().getName();
        return entity(
                USER,
                user,
                Observed.of(user),
                command,
                done,
                "user",
                "does the Kafka " + command.user().cluster() + " run the entity operator's user operator?",
                () -> client.secrets()
                        .inNamespace(namespace)
                        .withName(StrimziUsers.secretName(name))
                        .delete());
    }

    /**
     * A resource of the entity operator (a KafkaTopic, a KafkaUser): READY on its Ready (about the current spec), a
     * refusal FAILS with its reason, a deletion waits for the operator's own finalizer, then {@code whenGone} and the
     * DELETED outcome.
     */
    private Act entity(
            ResourceDefinitionContext kind,
            HasMetadata resource,
            Observed observed,
            RequestCommand command,
            boolean done,
            String what,
            String timeoutHint,
            Runnable whenGone) {
        String name = resource.getMetadata().getName();
        if (resource.getMetadata().getDeletionTimestamp() != null) {
            List<String> others = new ArrayList<>(resource.getMetadata().getFinalizers());
            others.remove(FINALIZER);
            if (!others.isEmpty()) {
                return Act.NONE; // the operator still removes it from Kafka
            }
            Runnable event = done || listener.finishedBefore(command.requestId())
                    ? Act.NOTHING
                    : () -> listener.finished(command, Outcome.done(RequestState.DELETED), null);
            return new Act(whenGone, event, () -> release(kind, name, command));
        }
        if (listener.finishedBefore(command.requestId())) {
            return Act.writes(() -> markDone(kind, name, command));
        }
        Verdict verdict = StrimziStatus.entity(
                observed, what, timeoutHint, new Deadline(command.acceptedAt(), config.readyTimeout()), Instant.now());
        if (verdict instanceof StrimziStatus.Ready) {
            return new Act(
                    Act.NOTHING,
                    () -> listener.finished(command, Outcome.done(RequestState.READY), null),
                    () -> markDone(kind, name, command));
        } else if (verdict instanceof Failed failed) {
            return fail(kind, name, command, failed, null);
        } else if (verdict instanceof Waiting waiting) {
            Log.debugf("strimzi backend: %s %s not Ready yet: %s", kind.getKind(), name, waiting.missing());
        }
        return Act.NONE;
    }

    /**
     * The outcome out, then the record marked done; a failed create removes what it wrote, unless a later request is
     * on the resource by now.
     */
    private Act fail(
            ResourceDefinitionContext kind, String name, RequestCommand command, Failed failed, InstanceStatus status) {
        return new Act(
                Act.NOTHING,
                () -> listener.finished(command, Outcome.failed(failed.reason(), failed.message()), status),
                () -> {
                    if (!markDone(kind, name, command) || command.operation() != Operation.CREATE) {
                        return;
                    }
                    if (kind == KAFKA) {
                        resources(NODE_POOL).withLabel(CLUSTER_LABEL, name).delete();
                        live.remove(name);
                    }
                    resources(kind).withName(name).delete();
                    if (kind == USER) {
                        client.secrets()
                                .inNamespace(namespace)
                                .withName(StrimziUsers.secretName(name))
                                .delete();
                    }
                });
    }

    /**
     * Marks the request's outcome as out on its resource, unless the resource carries a later request by now (the
     * informer's copy the decision was made on may be older than a request {@code begin} just wrote) or is gone.
     *
     * @return false if the resource carries another request by now
     */
    private boolean markDone(ResourceDefinitionContext kind, String name, RequestCommand command) {
        boolean[] ours = {true};
        try {
            resources(kind).withName(name).edit(g -> {
                ours[0] = carries(g, command);
                if (ours[0]) {
                    g.getMetadata().getAnnotations().put(DONE_ANNOTATION, "true");
                }
                return g;
            });
        } catch (KubernetesClientException e) {
            if (e.getCode() != 404) {
                throw e;
            }
        }
        return ours[0];
    }

    /**
     * Lets a deleted resource go once its outcome is out, unless it carries another request by now (then that
     * request's examination lets it go).
     */
    private void release(ResourceDefinitionContext kind, String name, RequestCommand command) {
        try {
            resources(kind).withName(name).edit(g -> {
                if (request(g.getMetadata()).isEmpty() || carries(g, command)) {
                    g.getMetadata()
                            .setFinalizers(new ArrayList<>(g.getMetadata().getFinalizers().stream()
                                    .filter(f -> !FINALIZER.equals(f))
                                    .toList()));
                }
                return g;
            });
        } catch (KubernetesClientException e) {
            if (e.getCode() != 404) {
                throw e;
            }
        }
    }

    /** An outcome known in {@code begin}, written from a worker thread rather than from within {@code begin}. */
    private void finishLater(RequestCommand command, Outcome outcome) {
        workers.execute(() -> listener.finished(
                command,
                outcome,
                command.instance() == null
                        ? null
                        : new InstanceStatus(NAME, command.instance().kafkaVersion(), 0, List.of(), List.of())));
    }

    private static boolean carries(GenericKubernetesResource g, RequestCommand command) {
        return request(g.getMetadata())
                .filter(c -> c.requestId().equals(command.requestId()))
                .isPresent();
    }

    private static Optional<RequestCommand> request(ObjectMeta meta) {
        String json =
                meta.getAnnotations() == null ? null : meta.getAnnotations().get(REQUEST_ANNOTATION);
        if (json == null) {
            return Optional.empty();
        }
        try {
            return Optional.of(Json.MAPPER.readValue(json, RequestCommand.class));
        } catch (java.io.IOException e) {
            Log.warnf("strimzi backend: %s has an unreadable request annotation: %s", meta.getName(), e.getMessage());
            return Optional.empty();
        }
    }

    private static String progress(Operation operation) {
        return switch (operation) {
            case CREATE -> "Provisioning";
            case UPDATE -> "Updating";
            case DELETE -> "Deleting";
        };
    }

    private io.fabric8.kubernetes.client.dsl.NonNamespaceOperation<
                    GenericKubernetesResource,
                    io.fabric8.kubernetes.api.model.GenericKubernetesResourceList,
                    io.fabric8.kubernetes.client.dsl.Resource<GenericKubernetesResource>>
            resources(ResourceDefinitionContext kind) {
        return client.genericKubernetesResources(kind).inNamespace(namespace);
    }
}
