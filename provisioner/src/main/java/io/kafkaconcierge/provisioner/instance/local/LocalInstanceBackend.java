package io.kafkaconcierge.provisioner.instance.local;

import io.kafkaconcierge.contracts.FailureReason;
import io.kafkaconcierge.contracts.InstanceStatus;
import io.kafkaconcierge.contracts.InstanceStatus.Condition;
import io.kafkaconcierge.contracts.Operation;
import io.kafkaconcierge.contracts.RequestCommand;
import io.kafkaconcierge.contracts.RequestState;
import io.kafkaconcierge.contracts.secrets.Passwords;
import io.kafkaconcierge.contracts.secrets.SecretBox;
import io.kafkaconcierge.provisioner.config.ProvisionerConfig;
import io.kafkaconcierge.provisioner.instance.InstanceBackend;
import io.kafkaconcierge.provisioner.instance.local.LocalState.Node;
import io.kafkaconcierge.provisioner.service.Outcome;
import io.quarkus.logging.Log;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Named;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Predicate;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.utils.AppInfoParser;
import org.jboss.logging.MDC;

/**
 * Instances as real Kafka processes on this machine, one folder each under the configured root. This class
 * orchestrates (requests, failures, removal, adoption at start, the health check); the layout and the status are
 * {@link LocalTopology}'s, the state files {@link LocalStateFiles}', the processes {@link NodeProcesses}'. The work
 * runs on Quarkus's worker pool, the health check on its scheduler. See DESIGN.md in the parent package: process
 * model, ports, files, adoption after a restart, failure handling.
 */
@ApplicationScoped
@Named(LocalInstanceBackend.NAME)
public class LocalInstanceBackend implements InstanceBackend {

    public static final String NAME = "local";
    private static final int STOP_GRACE_SECONDS = 15;

    private final SecretBox secrets;
    private final ProvisionerConfig.Instances config;
    private final Path root;
    private final LocalStateFiles files;
    private final LocalTopology topology;
    private final Optional<NodeProcesses> processes;
    private final Map<String, LocalState> states = new ConcurrentHashMap<>();
    /** Instances a request or a repair is working on now; the health check leaves them alone. */
    private final Set<String> busy = ConcurrentHashMap.newKeySet();

    private Listener listener;
    /** Whether the health check runs: from the end of {@link #start} (with a broker classpath) to {@link #stop}. */
    private volatile boolean watching;

    public LocalInstanceBackend(ProvisionerConfig config, SecretBox secrets) {
        this.secrets = secrets;
        this.config = config.instances();
        ProvisionerConfig.Local local = this.config.local();
        this.root = Path.of(local.root()).toAbsolutePath();
        this.files = new LocalStateFiles(root);
        this.topology = new LocalTopology(NodeProcesses::freePorts, AppInfoParser.getVersion(), Clock.systemUTC());
        String java = local.java()
                .orElseGet(() -> ProcessHandle.current().info().command().orElse("java"));
        this.processes = local.brokerClasspath()
                .filter(cp -> !cp.isBlank())
                .map(cp -> new NodeProcesses(
                        root,
                        java,
                        cp,
                        List.of(local.brokerJvmOptions().trim().split("\\s+")),
                        List.of(local.controllerJvmOptions().trim().split("\\s+"))));
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public synchronized void start(Listener listener) {
        this.listener = listener;
        if (processes.isEmpty()) {
            Log.warn("local backend: no broker classpath (concierge.provisioner.instances.local.broker-classpath); "
                    + "instance requests will FAIL until one is configured");
            return;
        }
        LocalStateFiles.Found found = files.readAll();
        found.unreadable()
                .forEach((file, why) ->
                        Log.errorf("local backend: %s is unreadable; leaving that folder alone: %s", file, why));
        found.states().forEach(this::recover);
        watching = true;
        Log.infof("local backend: %d instance(s) under %s", states.size(), root);
    }

    @Override
    public void stop() {
        watching = false;
    }

    @Override
    public synchronized InstanceStatus begin(RequestCommand command) {
        String name = command.resource().name();
        LocalState current = states.get(name);
        if (current != null && current.command().requestId().equals(command.requestId())) {
            return status(current, topology.conditionFor(current)); // a redelivered command: its work is under way
        }
        if (processes.isEmpty()) {
            finishLater(
                    command,
                    Outcome.failed(
                            FailureReason.INTERNAL,
                            "The local backend has no broker classpath "
                                    + "(concierge.provisioner.instances.local.broker-classpath); bin/concierge-local sets it."),
                    null);
            return topology.absent(command, List.of());
        }
        String supported = AppInfoParser.getVersion();
        if (command.operation() == Operation.CREATE
                && !supported.equals(command.instance().kafkaVersion())) {
            finishLater(
                    command,
                    Outcome.failed(
                            FailureReason.INVALID_SPEC,
                            "The local backend runs Kafka " + supported + " only; asked "
                                    + command.instance().kafkaVersion()),
                    null);
            return topology.absent(command, List.of());
        }
        LocalState next;
        switch (command.operation()) {
            case CREATE -> {
                if (current != null) {
                    finishLater(
                            command,
                            Outcome.failed(
                                    FailureReason.CONFLICT,
                                    "Instance '" + name + "' already " + "exists on this machine"),
                            current);
                    return status(current, topology.conditionFor(current));
                }
                // a secured instance's super user: a password of its own, kept sealed so that a restarted
                // provisioner can reach the instance again
                String adminCredential = command.instance().secured() ? secrets.seal(Passwords.generate()) : null;
                next = new LocalState(
                        command,
                        false,
                        Uuid.randomUuid().toString(),
                        topology.newInstance(command.instance()),
                        adminCredential);
            }
            case UPDATE -> {
                if (current == null) {
                    finishLater(
                            command,
                            Outcome.failed(
                                    FailureReason.NOT_FOUND,
                                    "Instance '" + name + "' does not " + "exist on this machine"),
                            null);
                    return topology.absent(command, List.of());
                }
                int more = command.instance().brokers() - current.brokers().size();
                List<Node> nodes = new ArrayList<>(current.nodes());
                nodes.addAll(topology.addedBrokers(command.instance(), more, current.nodes()));
                next = current.with(command, false).withNodes(nodes);
            }
            default -> {
                if (current == null) {
                    finishLater(command, Outcome.done(RequestState.DELETED), null);
                    return topology.absent(command, List.of());
                }
                next = current.with(command, false);
            }
        }
        save(name, next);
        busy.add(name);
        submit(() -> carryOut(name));
        // not done: "working on request <id>", with the step the request is at
        return status(next, topology.conditionFor(next));
    }

    /** Carries out the instance's latest request; always ends with {@link Listener#finished}. */
    private void carryOut(String name) {
        LocalState state = states.get(name);
        RequestCommand command = state.command();
        MDC.put("requestId", command.requestId());
        NodeProcesses p = processes.orElseThrow();
        try {
            switch (command.operation()) {
                case CREATE, UPDATE -> {
                    boolean restart = command.operation() == Operation.UPDATE
                            && command.instanceChange() != null
                            && command.instanceChange().config() != null;
                    String adminPassword = adminPassword(state);
                    for (Node node : state.nodes()) {
                        p.writeProperties(name, state, node, command.instance(), adminPassword);
                    }
                    // missing nodes (all of a new instance, added brokers) first, then the running brokers one by one
                    List<Node> running = new ArrayList<>();
                    for (Node node : state.nodes()) {
                        if (!p.alive(name, node) && !p.adopt(name, node)) {
                            p.start(name, state.clusterId(), node);
                        } else if (restart && node.broker()) {
                            running.add(node);
                        }
                    }
                    for (Node node : running) {
                        rollingRestart(name, state, node);
                    }
                    Optional<String> problem = awaitReady(name, state);
                    if (problem.isPresent()) {
                        fail(name, state, command, problem.get());
                        return;
                    }
                    LocalState done = state.with(command, true);
                    save(name, done);
                    listener.finished(
                            command,
                            Outcome.done(RequestState.READY),
                            status(
                                    done,
                                    topology.condition(
                                            "Ready",
                                            "True",
                                            "BrokersReady",
                                            done.brokers().size() + " of "
                                                    + done.brokers().size()
                                                    + " brokers answer; a test record went through")));
                }
                case DELETE -> {
                    removeAll(name, state);
                    listener.finished(
                            command,
                            Outcome.done(RequestState.DELETED),
                            topology.absent(
                                    command,
                                    List.of(topology.condition(
                                            "Ready",
                                            "False",
                                            "Deleted",
                                            "processes stopped, ports freed, data removed"))));
                }
            }
        } catch (Exception e) {
            Log.errorf(e, "local backend: %s of %s failed", command.operation(), name);
            try {
                fail(name, states.getOrDefault(name, state), command, "unexpected error: " + e);
            } catch (RuntimeException again) {
                Log.error("local backend: could not even report the failure", again);
            }
        } finally {
            busy.remove(name);
            MDC.remove("requestId");
        }
    }

    private void rollingRestart(String name, LocalState state, Node node) throws InterruptedException {
        NodeProcesses p = processes.orElseThrow();
        p.stop(name, node, STOP_GRACE_SECONDS);
        p.start(name, state.clusterId(), node);
        Optional<String> problem = awaitReady(name, state);
        if (problem.isPresent()) {
            throw new IllegalStateException(
                    "broker " + node.id() + " did not come back after its restart: " + problem.get());
        }
    }

    private Optional<String> awaitReady(String name, LocalState state) throws InterruptedException {
        NodeProcesses p = processes.orElseThrow();
        return InstanceProbe.awaitReady(
                LocalTopology.bootstrap(
                        state, state.command().instance().listeners().get(0).name()),
                state.brokers().size(),
                config.readyTimeout(),
                securitySettings(state),
                () -> state.nodes().stream()
                        .filter(n -> !p.alive(name, n))
                        .findFirst()
                        .map(n -> "node " + n.id() + " (" + n.roles() + ") exited: " + p.logTail(name, n, 5)));
    }

    /**
     * What every client of the provisioner adds to reach the instance: on an instance with security, SASL/SCRAM as the
     * concierge's super user; nothing on a plaintext one. Never logged.
     */
    @Override
    public Map<String, Object> clientSettings(String instance) {
        LocalState state = states.get(instance);
        return state == null ? Map.of() : securitySettings(state);
    }

    private Map<String, Object> securitySettings(LocalState state) {
        String password = adminPassword(state);
        return password == null ? Map.of() : InstanceSecurity.clientSettings(password);
    }

    /** The super user's password of a secured instance, opened; null on a plaintext instance. */
    private String adminPassword(LocalState state) {
        return state.adminCredential() == null ? null : secrets.open(state.adminCredential());
    }

    /**
     * A create that fails leaves nothing behind; a failed update leaves the instance as it runs, still managed.
     */
    private void fail(String name, LocalState state, RequestCommand command, String why) {
        InstanceStatus status;
        if (command.operation() == Operation.CREATE) {
            removeAll(name, state);
            status = topology.absent(command, List.of(topology.condition("Ready", "False", "ProvisioningFailed", why)));
        } else {
            LocalState kept = state.with(command, true);
            save(name, kept);
            status = status(kept, topology.condition("Ready", "False", "UpdateFailed", why));
        }
        listener.finished(command, Outcome.failed(FailureReason.INTERNAL, why), status);
    }

    /** Stops the brokers (together), then the controllers, waits for the ports to be free, removes the data. */
    private void removeAll(String name, LocalState state) {
        stopAll(name, state.nodes().stream().filter(n -> !n.controller()).toList());
        stopAll(name, state.nodes().stream().filter(Node::controller).toList());
        List<Integer> ports = LocalTopology.ports(state.nodes());
        long deadline = System.currentTimeMillis() + 10_000;
        while (!ports.stream().allMatch(NodeProcesses::portFree) && System.currentTimeMillis() < deadline) {
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        ports.stream()
                .filter(port -> !NodeProcesses.portFree(port))
                .forEach(port -> Log.warnf("local backend: port %d of %s is still in use", port, name));
        files.delete(name);
        states.remove(name);
    }

    private void stopAll(String name, List<Node> nodes) {
        NodeProcesses p = processes.orElseThrow();
        List<CompletableFuture<Void>> stops = nodes.stream()
                .map(n -> CompletableFuture.runAsync(
                        () -> p.stop(name, n, STOP_GRACE_SECONDS), Infrastructure.getDefaultWorkerPool()))
                .toList();
        stops.forEach(CompletableFuture::join);
    }

    /** At start: adopt the processes that still run, start the ones that do not, resume an unfinished request. */
    private void recover(String name, LocalState found) {
        LocalState state = found;
        states.put(name, state);
        NodeProcesses p = processes.orElseThrow();
        RequestCommand command = state.command();
        if (!state.done() && listener.finishedBefore(command.requestId())) {
            state = state.with(command, true);
            save(name, state);
        }
        if (!state.done()) {
            Log.infof("local backend: resuming %s of %s (request %s)", command.operation(), name, command.requestId());
            busy.add(name);
            submit(() -> carryOut(name));
            return;
        }
        int adopted = 0;
        for (Node node : state.nodes()) {
            if (p.adopt(name, node)) {
                adopted++;
            } else {
                p.start(name, state.clusterId(), node);
            }
        }
        Log.infof(
                "local backend: %s: adopted %d running process(es), started %d",
                name, adopted, state.nodes().size() - adopted);
        if (command.operation() != Operation.DELETE) {
            LocalState running = state;
            // the registry knows it before start returns: a topic or user request for it that comes right after a
            // restart must not fail UNKNOWN_CLUSTER while the readiness check below still runs (a secured instance's
            // takes seconds)
            listener.adopted(
                    command,
                    status(
                            running,
                            topology.condition("Ready", "Unknown", "Adopted", "found at start; checking its brokers")));
            busy.add(name);
            submit(() -> {
                try {
                    Optional<String> problem = awaitReady(name, running);
                    listener.adopted(
                            command,
                            status(
                                    running,
                                    problem.map(why -> topology.condition("Ready", "False", "NotReady", why))
                                            .orElse(topology.condition(
                                                    "Ready", "True", "BrokersReady", "adopted at start"))));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                } finally {
                    busy.remove(name);
                }
            });
        }
    }

    /**
     * The health check, every {@code check-interval} on Quarkus's scheduler, skipped while the previous one runs. It
     * does nothing until {@link #start} ran with a broker classpath (the bean exists with the Strimzi backend too),
     * and never throws: a failed round is logged and the next one tries again.
     */
    @Scheduled(
            every = "${concierge.provisioner.instances.local.check-interval:1s}",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void checkHealthRegularly() {
        if (!watching) {
            return;
        }
        try {
            checkHealth();
        } catch (RuntimeException e) {
            Log.warnf(e, "could not check the local instances' health");
        }
    }

    /** A READY instance whose process died: DEGRADED, the process restarted, READY again once it answers. */
    private void checkHealth() {
        NodeProcesses p = processes.orElseThrow();
        for (Map.Entry<String, LocalState> e : states.entrySet()) {
            String name = e.getKey();
            LocalState state = e.getValue();
            if (!state.done() || state.command().operation() == Operation.DELETE || busy.contains(name)) {
                continue;
            }
            List<Node> dead =
                    state.nodes().stream().filter(n -> !p.alive(name, n)).toList();
            if (dead.isEmpty() || !busy.add(name)) {
                continue;
            }
            submit(() -> repair(name, state, dead));
        }
    }

    private void repair(String name, LocalState state, List<Node> dead) {
        NodeProcesses p = processes.orElseThrow();
        MDC.put("requestId", state.command().requestId());
        try {
            String which = dead.stream()
                    .map(n -> "node " + n.id() + " (" + n.roles() + ")")
                    .toList()
                    .toString();
            Log.warnf("local backend: %s lost %s; restarting", name, which);
            listener.health(
                    state.command(),
                    RequestState.DEGRADED,
                    status(
                            state,
                            topology.condition(
                                    "Ready",
                                    "False",
                                    "ProcessExited",
                                    which + " exited; the provisioner is restarting it")));
            dead.forEach(n -> p.start(name, state.clusterId(), n));
            Optional<String> problem = awaitReady(name, state);
            if (problem.isEmpty()) {
                listener.health(
                        state.command(),
                        RequestState.READY,
                        status(
                                state,
                                topology.condition(
                                        "Ready", "True", "Recovered", which + " restarted; all brokers answer again")));
            } else {
                Log.errorf("local backend: %s did not recover: %s; trying again", name, problem.get());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            Log.errorf(e, "local backend: repairing %s failed; trying again", name);
        } finally {
            busy.remove(name);
            MDC.remove("requestId");
        }
    }

    private void finishLater(RequestCommand command, Outcome outcome, LocalState state) {
        submit(() -> listener.finished(
                command,
                outcome,
                state == null ? topology.absent(command, List.of()) : status(state, topology.conditionFor(state))));
    }

    /** Runs {@code task} on Quarkus's worker pool; what it throws is logged, not lost. */
    private static void submit(Runnable task) {
        Infrastructure.getDefaultWorkerPool().execute(() -> {
            try {
                task.run();
            } catch (RuntimeException e) {
                Log.errorf(e, "local backend: a task failed");
            }
        });
    }

    private InstanceStatus status(LocalState state, Condition condition) {
        return topology.status(
                state, condition, alive(state.command().resource().name()));
    }

    /** Which nodes of instance {@code name} run now (none without a broker classpath). */
    private Predicate<Node> alive(String name) {
        return n -> processes.map(p -> p.alive(name, n)).orElse(false);
    }

    private void save(String name, LocalState state) {
        files.save(name, state);
        states.put(name, state);
    }
}
