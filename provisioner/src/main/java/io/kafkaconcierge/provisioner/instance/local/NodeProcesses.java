package io.kafkaconcierge.provisioner.instance.local;

import io.kafkaconcierge.contracts.InstanceSpec;
import io.kafkaconcierge.contracts.InstanceSpec.Listener;
import io.kafkaconcierge.provisioner.instance.local.LocalState.Node;
import io.quarkus.logging.Log;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * The processes of local instances: writes each node's {@code server.properties}, starts it from the broker
 * classpath with {@code BrokerMain} (formats its storage on first start), records its pid, adopts a process that
 * is still running after a provisioner restart, and stops it.
 */
class NodeProcesses {

    static final String LAUNCHER = "io.kafkaconcierge.localkafka.BrokerMain";
    /** Beside a secured node's server.properties until its storage is formatted: the admin's SCRAM credential. */
    static final String SCRAM_FILE = "scram-bootstrap.properties";

    private static final String CONTROLLER_LISTENER = "CONTROLLER";
    private static final Set<PosixFilePermission> OWNER_ONLY_FILE = PosixFilePermissions.fromString("rw-------");
    private static final Set<PosixFilePermission> OWNER_ONLY_DIR = PosixFilePermissions.fromString("rwx------");

    private final Path root;
    private final String java;
    private final String classpath;
    private final List<String> brokerJvm;
    private final List<String> controllerJvm;
    private final Map<String, ProcessHandle> running = new ConcurrentHashMap<>();

    NodeProcesses(Path root, String java, String classpath, List<String> brokerJvm, List<String> controllerJvm) {
        this.root = root;
        this.java = java;
        this.classpath = classpath;
        this.brokerJvm = brokerJvm;
        this.controllerJvm = controllerJvm;
    }

    Path dir(String instance) {
        return root.resolve(instance);
    }

    Path nodeDir(String instance, Node node) {
        return dir(instance).resolve(node.dirName());
    }

    /** Free ports on 127.0.0.1, held open together so that no two are the same. */
    static List<Integer> freePorts(int count) {
        List<ServerSocket> sockets = new ArrayList<>();
        try {
            for (int i = 0; i < count; i++) {
                ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
                s.setReuseAddress(true);
                sockets.add(s);
            }
            return sockets.stream().map(ServerSocket::getLocalPort).toList();
        } catch (IOException e) {
            throw new UncheckedIOException("no free ports on 127.0.0.1", e);
        } finally {
            sockets.forEach(s -> {
                try {
                    s.close();
                } catch (IOException ignored) {
                    // closing a probe socket
                }
            });
        }
    }

    static boolean portFree(int port) {
        try (ServerSocket s = new ServerSocket(port, 1, InetAddress.getLoopbackAddress())) {
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /**
     * Writes the node's {@code server.properties}: the topology first, then the security of a secured instance
     * ({@code adminPassword} not null), then the instance's own configs. The node's folder and files are its owner's
     * only; a secured node not formatted yet also gets the {@link #SCRAM_FILE} its launcher formats the storage with.
     */
    void writeProperties(String instance, LocalState state, Node node, InstanceSpec spec, String adminPassword) {
        Path dir = nodeDir(instance, node);
        boolean secured = adminPassword != null && spec.secured();
        String clientProtocol = secured ? "SASL_PLAINTEXT" : "PLAINTEXT";
        int brokers = state.brokers().size();
        Map<String, String> p = new LinkedHashMap<>();
        p.put("process.roles", node.roles());
        p.put("node.id", String.valueOf(node.id()));
        p.put("controller.quorum.voters", state.voters());
        p.put("controller.listener.names", CONTROLLER_LISTENER);
        List<String> listeners = new ArrayList<>();
        List<String> advertised = new ArrayList<>();
        List<String> protocols = new ArrayList<>();
        if (node.broker()) {
            for (Listener l : spec.listeners()) {
                String name = l.name().toUpperCase();
                Integer port = node.ports().get(l.name());
                listeners.add(name + "://127.0.0.1:" + port);
                advertised.add(name + "://127.0.0.1:" + port);
                protocols.add(name + ":" + clientProtocol);
            }
            p.put("inter.broker.listener.name", spec.listeners().get(0).name().toUpperCase());
        }
        if (node.controller()) {
            listeners.add(CONTROLLER_LISTENER + "://127.0.0.1:" + node.controllerPort());
        }
        protocols.add(CONTROLLER_LISTENER + ":" + clientProtocol);
        p.put("listeners", String.join(",", listeners));
        if (!advertised.isEmpty()) {
            p.put("advertised.listeners", String.join(",", advertised));
        }
        p.put("listener.security.protocol.map", String.join(",", protocols));
        p.put("log.dirs", dir.resolve("data").toString());
        String rf = String.valueOf(Math.min(3, Math.max(1, brokers)));
        String isr = String.valueOf(Math.min(2, Math.max(1, brokers)));
        p.put("offsets.topic.replication.factor", rf);
        p.put("transaction.state.log.replication.factor", rf);
        p.put("transaction.state.log.min.isr", isr);
        p.put("share.coordinator.state.topic.replication.factor", rf);
        p.put("share.coordinator.state.topic.min.isr", isr);
        p.put("group.initial.rebalance.delay.ms", "0");
        p.put("auto.create.topics.enable", "false");
        if (secured) {
            p.putAll(InstanceSecurity.brokerSettings(
                    spec.security(),
                    adminPassword,
                    node.broker()
                            ? spec.listeners().stream().map(Listener::name).toList()
                            : List.of(),
                    CONTROLLER_LISTENER));
        }
        // controllers too: some settings are the controller's (min.insync.replicas with eligible leader replicas)
        p.putAll(spec.config());
        try {
            ownerOnlyDirectory(dir);
            StringBuilder text = new StringBuilder(
                    "# written by the Kafka Concierge provisioner (local backend); changes are overwritten\n");
            for (Map.Entry<String, String> e : p.entrySet()) {
                text.append(e.getKey()).append('=').append(e.getValue()).append('\n');
            }
            writeOwnerOnly(dir.resolve("server.properties"), text.toString());
            if (secured && !Files.exists(dir.resolve("data").resolve("meta.properties"))) {
                writeOwnerOnly(dir.resolve(SCRAM_FILE), InstanceSecurity.scramBootstrap(adminPassword));
            }
            Path log4j = root.resolve("log4j2.properties");
            if (!Files.exists(log4j)) {
                Files.writeString(log4j, """
                        rootLogger.level=WARN
                        rootLogger.appenderRef.stdout.ref=STDOUT
                        appender.stdout.type=Console
                        appender.stdout.name=STDOUT
                        appender.stdout.layout.type=PatternLayout
                        appender.stdout.layout.pattern=[%d] %p %m (%c)%n
                        logger.started.name=kafka.server.KafkaRaftServer
                        logger.started.level=INFO
                        """);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the configuration of " + instance + "/" + node.dirName(), e);
        }
    }

    /** Creates the folder (and its parents) readable by its owner only. */
    private static void ownerOnlyDirectory(Path dir) throws IOException {
        Files.createDirectories(dir);
        try {
            Files.setPosixFilePermissions(dir, OWNER_ONLY_DIR);
        } catch (UnsupportedOperationException e) {
            // not a POSIX file system: the folder keeps what it has
        }
    }

    /** Writes the file with mode 600 from the start (never readable by others, not even for a moment). */
    private static void writeOwnerOnly(Path file, String text) throws IOException {
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        Files.deleteIfExists(tmp);
        try {
            Files.createFile(tmp, PosixFilePermissions.asFileAttribute(OWNER_ONLY_FILE));
        } catch (UnsupportedOperationException e) {
            Files.createFile(tmp);
        }
        Files.writeString(tmp, text, StandardCharsets.UTF_8);
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    /** Adopts the node's process if it still runs from an earlier provisioner; true if it did. */
    boolean adopt(String instance, Node node) {
        Path dir = nodeDir(instance, node);
        String properties = dir.resolve("server.properties").toString();
        Optional<ProcessHandle> handle = readPid(dir)
                .flatMap(ProcessHandle::of)
                .filter(ProcessHandle::isAlive)
                .filter(h -> arguments(h).contains(properties));
        handle.ifPresent(h -> running.put(key(instance, node), h));
        return handle.isPresent();
    }

    void start(String instance, String clusterId, Node node) {
        Path dir = nodeDir(instance, node);
        List<String> command = new ArrayList<>();
        command.add(java);
        command.addAll(node.broker() ? brokerJvm : controllerJvm);
        command.add("-Dlog4j2.configurationFile=" + root.resolve("log4j2.properties"));
        command.add("-Dkafka.logs.dir=" + dir.resolve("logs"));
        command.add("-cp");
        command.add(classpath);
        command.add(LAUNCHER);
        command.add(dir.resolve("server.properties").toString());
        command.add(clusterId);
        if (Files.exists(dir.resolve(SCRAM_FILE))) {
            command.add(dir.resolve(SCRAM_FILE).toString()); // its path; the password stays in the file
        }
        try {
            Process process = new ProcessBuilder(command)
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(
                            dir.resolve("node.log").toFile()))
                    .start();
            Files.writeString(dir.resolve("pid"), String.valueOf(process.pid()));
            running.put(key(instance, node), process.toHandle());
            Log.infof("started %s/%s (%s) as pid %d", instance, node.dirName(), node.roles(), process.pid());
        } catch (IOException e) {
            throw new UncheckedIOException(
                    "cannot start " + instance + "/" + node.dirName() + ": " + e.getMessage(), e);
        }
    }

    boolean alive(String instance, Node node) {
        ProcessHandle h = running.get(key(instance, node));
        return h != null && h.isAlive();
    }

    Optional<Long> pid(String instance, Node node) {
        return Optional.ofNullable(running.get(key(instance, node))).map(ProcessHandle::pid);
    }

    /** SIGTERM, then SIGKILL after {@code graceSeconds}; waits until the process is gone. */
    void stop(String instance, Node node, int graceSeconds) {
        ProcessHandle h = running.remove(key(instance, node));
        if (h == null || !h.isAlive()) {
            return;
        }
        h.destroy();
        try {
            h.onExit().get(graceSeconds, TimeUnit.SECONDS);
        } catch (Exception e) {
            Log.warnf("%s/%s did not stop in %d s; killing it", instance, node.dirName(), graceSeconds);
            h.destroyForcibly();
            try {
                h.onExit().get(10, TimeUnit.SECONDS);
            } catch (Exception again) {
                Log.errorf("%s/%s (pid %d) did not die", instance, node.dirName(), h.pid());
            }
        }
    }

    /** The last lines of a node's log, to say why it did not come up. */
    String logTail(String instance, Node node, int lines) {
        Path log = nodeDir(instance, node).resolve("node.log");
        try {
            List<String> all = Files.exists(log) ? Files.readAllLines(log, StandardCharsets.UTF_8) : List.of();
            return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
        } catch (IOException | UncheckedIOException e) {
            return "(log unreadable: " + e.getMessage() + ")";
        }
    }

    /**
     * A process's arguments: from {@code /proc/<pid>/cmdline} on Linux (complete, however long the classpath),
     * else from what the JDK can tell.
     */
    static List<String> arguments(ProcessHandle h) {
        Path cmdline = Path.of("/proc", String.valueOf(h.pid()), "cmdline");
        try {
            if (Files.isReadable(cmdline)) {
                return Arrays.asList(new String(Files.readAllBytes(cmdline), StandardCharsets.UTF_8).split("\0"));
            }
        } catch (IOException e) {
            // the process is gone, or not ours to read
        }
        return h.info().arguments().map(Arrays::asList).orElse(List.of());
    }

    private static Optional<Long> readPid(Path dir) {
        try {
            Path pid = dir.resolve("pid");
            return Files.exists(pid)
                    ? Optional.of(Long.parseLong(Files.readString(pid).trim()))
                    : Optional.empty();
        } catch (IOException | NumberFormatException e) {
            return Optional.empty();
        }
    }

    private static String key(String instance, Node node) {
        return instance + "/" + node.id();
    }
}
