package io.kafkaconcierge.provisioner.instance.local;

import io.kafkaconcierge.contracts.FailureReason;
import io.kafkaconcierge.contracts.InstanceSpec;
import io.kafkaconcierge.contracts.InstanceStatus;
import io.kafkaconcierge.contracts.InstanceStatus.Condition;
import io.kafkaconcierge.contracts.InstanceStatus.ListenerAddress;
import io.kafkaconcierge.contracts.Json;
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
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Named;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.utils.AppInfoParser;
import org.jboss.logging.MDC;

/**
 * Instances as real Kafka processes on this machine, one folder each under the configured root. See DESIGN.md in
 * this package: process model, ports, files, adoption after a restart, failure handling.
 */
@ApplicationScoped
@Named(LocalInstanceBackend.NAME)
public class LocalInstanceBackend implements InstanceBackend {

    public static final String NAME = "local";
    private static final String STATE_FILE = "instance.json";
    private static final int STOP_GRACE_SECONDS = 15;
    private static final int FIRST_BROKER_ID = 100;

    private final ProvisionerConfig.Instances config;
    private final SecretBox secrets;
    private final Path root;
    private final Optional<NodeProcesses> processes;
    private final Map<String, LocalState> states = new ConcurrentHashMap<>();
    /** Instances a request or a repair is working on now; the health check leaves them alone. */
    private final Set<String> busy = ConcurrentHashMap.newKeySet();

    private final ExecutorService work = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "local-instances");
        t.setDaemon(true);
        return t;
    });
    private ScheduledExecutorService monitor;
    private Listener listener;

    public LocalInstanceBackend(ProvisionerConfig config, SecretBox secrets) {
        this.secrets = secrets;
        this.config = config.instances();
        ProvisionerConfig.Local local = this.config.local();
        this.root = Path.of(local.root()).toAbsolutePath();
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
        try {
            Files.createDirectories(root);
            try (Stream<Path> dirs = Files.list(root)) {
                dirs.filter(d -> Files.exists(d.resolve(STATE_FILE))).sorted().forEach(this::recover);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the instances under " + root, e);
        }
        monitor = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "local-instance-health");
            t.setDaemon(true);
            return t;
        });
        long every = config.local().checkInterval().toMillis();
        monitor.scheduleWithFixedDelay(
                () -> {
                    try {
                        checkHealth();
                    } catch (RuntimeException e) {
                        // a throw would end the schedule silently: log it and check again at the next round
                        Log.warnf(e, "could not check the local instances' health");
                    }
                },
                every,
                every,
                TimeUnit.MILLISECONDS);
        Log.infof("local backend: %d instance(s) under %s", states.size(), root);
    }

    @Override
    public void stop() {
        if (monitor != null) {
            monitor.shutdownNow();
        }
        work.shutdownNow();
    }

    @Override
    public synchronized InstanceStatus begin(RequestCommand command) {
        String name = command.resource().name();
        LocalState current = states.get(name);
        if (current != null && current.command().requestId().equals(command.requestId())) {
            return status(current, conditionFor(current)); // a redelivered command: its work is already under way
        }
        if (processes.isEmpty()) {
            finishLater(
                    command,
                    Outcome.failed(
                            FailureReason.INTERNAL,
                            "The local backend has no broker classpath "
                                    + "(concierge.provisioner.instances.local.broker-classpath); bin/concierge-local sets it."),
                    null);
            return status(null, command, List.of());
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
            return status(null, command, List.of());
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
                    return status(current, conditionFor(current));
                }
                // a secured instance's super user: a password of its own, kept sealed so that a restarted
                // provisioner can reach the instance again
                String adminCredential = command.instance().secured() ? secrets.seal(Passwords.generate()) : null;
                next = new LocalState(
                        command,
                        false,
                        Uuid.randomUuid().toString(),
                        layout(command.instance(), 0, List.of()),
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
                    return status(null, command, List.of());
                }
                int more = command.instance().brokers() - current.brokers().size();
                List<Node> nodes = new ArrayList<>(current.nodes());
                nodes.addAll(layout(command.instance(), more, current.nodes()));
                next = current.with(command, false).withNodes(nodes);
            }
            default -> {
                if (current == null) {
                    finishLater(command, Outcome.done(RequestState.DELETED), null);
                    return status(null, command, List.of());
                }
                next = current.with(command, false);
            }
        }
        save(name, next);
        busy.add(name);
        work.submit(() -> carryOut(name));
        return status(
                next,
                condition(
                        "Ready",
                        "False",
                        progressReason(command.operation()),
                        "working on request " + command.requestId()));
    }

    /** The nodes of a new instance ({@code more == 0}), or {@code more} brokers added to {@code existing}. */
    private static List<Node> layout(InstanceSpec spec, int more, List<Node> existing) {
        List<String> listeners =
                spec.listeners().stream().map(InstanceSpec.Listener::name).toList();
        List<Node> nodes = new ArrayList<>();
        if (existing.isEmpty()) {
            int brokers = spec.brokers();
            int controllers = brokers == 1 ? 0 : brokers >= 3 ? 3 : 1;
            List<Integer> ports = NodeProcesses.freePorts(brokers * listeners.size() + Math.max(controllers, 1));
            int next = 0;
            if (controllers == 0) {
                Map<String, Integer> p = new HashMap<>();
                for (String l : listeners) {
                    p.put(l, ports.get(next++));
                }
                nodes.add(new Node(1, LocalState.COMBINED, p, ports.get(next)));
                return nodes;
            }
            for (int c = 1; c <= controllers; c++) {
                nodes.add(new Node(c, LocalState.CONTROLLER, Map.of(), ports.get(next++)));
            }
            for (int b = 0; b < brokers; b++) {
                Map<String, Integer> p = new HashMap<>();
                for (String l : listeners) {
                    p.put(l, ports.get(next++));
                }
                nodes.add(new Node(FIRST_BROKER_ID + b, LocalState.BROKER, p, null));
            }
            return nodes;
        }
        int id = Math.max(
                FIRST_BROKER_ID - 1, existing.stream().mapToInt(Node::id).max().orElse(0));
        List<Integer> ports = NodeProcesses.freePorts(Math.max(1, more * listeners.size()));
        int next = 0;
        for (int b = 0; b < more; b++) {
            Map<String, Integer> p = new HashMap<>();
            for (String l : listeners) {
                p.put(l, ports.get(next++));
            }
            nodes.add(new Node(++id, LocalState.BROKER, p, null));
        }
        return nodes;
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
                                    condition(
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
                            new InstanceStatus(
                                    NAME,
                                    command.instance().kafkaVersion(),
                                    0,
                                    List.of(),
                                    List.of(condition(
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
                bootstrap(state, state.command().instance().listeners().get(0).name()),
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
            status = new InstanceStatus(
                    NAME,
                    command.instance().kafkaVersion(),
                    0,
                    List.of(),
                    List.of(condition("Ready", "False", "ProvisioningFailed", why)));
        } else {
            LocalState kept = state.with(command, true);
            save(name, kept);
            status = status(kept, condition("Ready", "False", "UpdateFailed", why));
        }
        listener.finished(command, Outcome.failed(FailureReason.INTERNAL, why), status);
    }

    /** Stops the brokers (together), then the controllers, waits for the ports to be free, removes the data. */
    private void removeAll(String name, LocalState state) {
        NodeProcesses p = processes.orElseThrow();
        stopAll(name, state.nodes().stream().filter(n -> !n.controller()).toList());
        stopAll(name, state.nodes().stream().filter(Node::controller).toList());
        List<Integer> ports = new ArrayList<>();
        for (Node n : state.nodes()) {
            ports.addAll(n.ports().values());
            if (n.controllerPort() != null) {
                ports.add(n.controllerPort());
            }
        }
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
        deleteTree(p.dir(name));
        states.remove(name);
    }

    private void stopAll(String name, List<Node> nodes) {
        NodeProcesses p = processes.orElseThrow();
        List<java.util.concurrent.CompletableFuture<Void>> stops = nodes.stream()
                .map(n -> java.util.concurrent.CompletableFuture.runAsync(
                        () -> p.stop(name, n, STOP_GRACE_SECONDS), work))
                .toList();
        stops.forEach(java.util.concurrent.CompletableFuture::join);
    }

    /** At start: adopt the processes that still run, start the ones that do not, resume an unfinished request. */
    private void recover(Path dir) {
        String name = dir.getFileName().toString();
        LocalState state;
        try {
            state = Json.MAPPER.readValue(dir.resolve(STATE_FILE).toFile(), LocalState.class);
        } catch (IOException e) {
            Log.errorf("local backend: %s/%s is unreadable; leaving that folder alone: %s", dir, STATE_FILE, e);
            return;
        }
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
            work.submit(() -> carryOut(name));
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
            LocalState found = state;
            // the registry knows it before start returns: a topic or user request for it that comes right after a
            // restart must not fail UNKNOWN_CLUSTER while the readiness check below still runs (a secured instance's
            // takes seconds)
            listener.adopted(
                    command,
                    status(found, condition("Ready", "Unknown", "Adopted", "found at start; checking its brokers")));
            busy.add(name);
            work.submit(() -> {
                try {
                    Optional<String> problem = awaitReady(name, found);
                    listener.adopted(
                            command,
                            status(
                                    found,
                                    problem.map(why -> condition("Ready", "False", "NotReady", why))
                                            .orElse(condition("Ready", "True", "BrokersReady", "adopted at start"))));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                } finally {
                    busy.remove(name);
                }
            });
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
            work.submit(() -> repair(name, state, dead));
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
                            condition(
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
                                condition(
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
        work.submit(() -> listener.finished(
                command,
                outcome,
                state == null ? status(null, command, List.of()) : status(state, conditionFor(state))));
    }

    private InstanceStatus status(LocalState state, Condition condition) {
        return status(state, state.command(), List.of(condition));
    }

    private InstanceStatus status(LocalState state, RequestCommand command, List<Condition> conditions) {
        if (state == null) {
            return new InstanceStatus(NAME, command.instance().kafkaVersion(), 0, List.of(), conditions);
        }
        String name = command.resource().name();
        int ready = (int) state.brokers().stream()
                .filter(n -> processes.map(p -> p.alive(name, n)).orElse(false))
                .count();
        List<ListenerAddress> listeners = new ArrayList<>();
        for (InstanceSpec.Listener l : command.instance().listeners()) {
            listeners.add(
                    state.adminCredential() != null && command.instance().secured()
                            ? ListenerAddress.scram(l.name(), bootstrap(state, l.name()))
                            : new ListenerAddress(l.name(), bootstrap(state, l.name())));
        }
        return new InstanceStatus(NAME, AppInfoParser.getVersion(), ready, listeners, conditions);
    }

    private static String bootstrap(LocalState state, String listener) {
        return String.join(
                ",",
                state.brokers().stream()
                        .map(n -> "127.0.0.1:" + n.ports().get(listener))
                        .filter(Objects::nonNull)
                        .toList());
    }

    private static Condition conditionFor(LocalState state) {
        return state.done()
                ? condition("Ready", "True", "BrokersReady", "running")
                : condition(
                        "Ready",
                        "False",
                        progressReason(state.command().operation()),
                        "working on request " + state.command().requestId());
    }

    private static String progressReason(Operation operation) {
        return switch (operation) {
            case CREATE -> "Provisioning";
            case UPDATE -> "Updating";
            case DELETE -> "Deleting";
        };
    }

    private static Condition condition(String type, String status, String reason, String message) {
        return new Condition(type, status, reason, message, Instant.now());
    }

    private void save(String name, LocalState state) {
        try {
            Path dir = root.resolve(name);
            Files.createDirectories(dir);
            Path tmp = dir.resolve(STATE_FILE + ".tmp");
            Files.write(tmp, Json.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsBytes(state));
            Files.move(
                    tmp,
                    dir.resolve(STATE_FILE),
                    java.nio.file.StandardCopyOption.ATOMIC_MOVE,
                    java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            states.put(name, state);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot record the state of instance " + name, e);
        }
    }

    private static void deleteTree(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(path -> {
                try {
                    Files.delete(path);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        } catch (IOException e) {
            throw new UncheckedIOException("cannot remove " + dir, e);
        }
    }
}
