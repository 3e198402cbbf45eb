package io.kafkaconcierge.e2e;

import io.kafkaconcierge.contracts.ConciergeTopics;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;

/**
 * A single-node KRaft broker (broker and controller) as a process of its own, started from local-kafka's launcher
 * the way {@code bin/concierge-local} starts the concierge's Kafka: fixed ports and a data directory kept across
 * {@link #stop()} and {@link #start()}, so a test can take it away and bring the same broker back.
 */
final class BrokerProcess implements AutoCloseable {

    private final String name;
    private final Path dir;
    private final int port;
    private final int controllerPort;
    private final String clusterId = org.apache.kafka.common.Uuid.randomUuid().toString();
    private final String classpath;
    private Process process;

    BrokerProcess(String name) throws IOException {
        this.name = name;
        this.dir = Files.createTempDirectory("chaos-" + name);
        this.port = freePort();
        this.controllerPort = freePort();
        this.classpath = classpath();
        Files.writeString(
                dir.resolve("server.properties"),
                String.join(
                        "\n",
                        "process.roles=broker,controller",
                        "node.id=1",
                        "controller.quorum.voters=1@127.0.0.1:" + controllerPort,
                        "listeners=PLAINTEXT://127.0.0.1:" + port + ",CONTROLLER://127.0.0.1:" + controllerPort,
                        "advertised.listeners=PLAINTEXT://127.0.0.1:" + port,
                        "controller.listener.names=CONTROLLER",
                        "inter.broker.listener.name=PLAINTEXT",
                        "listener.security.protocol.map=PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT",
                        "log.dirs=" + dir.resolve("data"),
                        "num.partitions=1",
                        "auto.create.topics.enable=false",
                        "offsets.topic.replication.factor=1",
                        "transaction.state.log.replication.factor=1",
                        "transaction.state.log.min.isr=1",
                        "share.coordinator.state.topic.replication.factor=1",
                        "share.coordinator.state.topic.min.isr=1",
                        "group.initial.rebalance.delay.ms=0",
                        ""));
        Files.writeString(
                dir.resolve("log4j2.properties"),
                String.join(
                        "\n",
                        "rootLogger.level=WARN",
                        "rootLogger.appenderRef.stdout.ref=STDOUT",
                        "appender.stdout.type=Console",
                        "appender.stdout.name=STDOUT",
                        "appender.stdout.layout.type=PatternLayout",
                        "appender.stdout.layout.pattern=[%d] %p %m (%c)%n",
                        ""));
    }

    /**
     * The broker classpath: local-kafka's launcher and the Kafka jars, as {@code bin/concierge-local} gives it to the
     * provisioner ({@code concierge.provisioner.instances.local.broker-classpath}).
     */
    static String classpath() throws IOException {
        Path apps = Path.of(System.getProperty("concierge.apps.dir", ".."));
        Path launcher;
        try (Stream<Path> jars = Files.list(apps.resolve("local-kafka/target"))) {
            launcher = jars.filter(p -> p.getFileName().toString().matches("local-kafka-.*\\.jar"))
                    .findFirst()
                    .orElseThrow(
                            () -> new IllegalStateException("local-kafka's jar is missing: ./mvnw verify builds it"));
        }
        return launcher.toAbsolutePath() + ":"
                + Files.readString(apps.resolve("local-kafka/target/broker.classpath"))
                        .trim();
    }

    String bootstrapServers() {
        return "127.0.0.1:" + port;
    }

    /** Starts the broker (formatting its storage the first time) and waits until it answers. */
    void start() throws Exception {
        Path log = Path.of("target", "e2e-logs", name + ".log");
        Files.createDirectories(log.getParent());
        process = new ProcessBuilder(
                        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                        // 384 MiB holds the tests' few thousand partitions; a scale run of 10,000 topics and more
                        // needs more (-Dbroker.heap=2g): it ran out of heap creating the first 10,000
                        "-Xmx" + System.getProperty("broker.heap", "384m"),
                        "-Dlog4j2.configurationFile=" + dir.resolve("log4j2.properties"),
                        "-cp",
                        classpath,
                        "io.kafkaconcierge.localkafka.BrokerMain",
                        dir.resolve("server.properties").toString(),
                        clusterId)
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
                .start();
        long deadline = System.currentTimeMillis() + 90_000;
        String problem = "not listening";
        while (true) {
            if (!process.isAlive()) {
                throw new IllegalStateException(name + " exited with " + process.exitValue() + "; see " + log);
            }
            if (System.currentTimeMillis() > deadline) {
                throw new IllegalStateException(name + " did not answer in 90 s (" + problem + "); see " + log);
            }
            if (open()) {
                try (Admin admin =
                        Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers()))) {
                    admin.describeCluster().nodes().get(10, TimeUnit.SECONDS);
                    ConciergeTopics.createMissing(admin, (short) 1);
                    return;
                } catch (Exception e) {
                    problem = e.toString(); // not ready yet
                }
            }
            process.waitFor(300, TimeUnit.MILLISECONDS);
        }
    }

    /** SIGTERM, as an operator stopping it; SIGKILL if it takes longer than 30 s. */
    void stop() throws InterruptedException {
        if (process != null) {
            process.destroy();
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor();
            }
            process = null;
        }
    }

    /** CPU time the broker's process has used so far, in ms (0 where the OS does not say or it is not running). */
    long cpuMillis() {
        return process == null
                ? 0
                : process.info().totalCpuDuration().map(d -> d.toMillis()).orElse(0L);
    }

    boolean running() {
        return process != null && process.isAlive();
    }

    private boolean open() {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", port), 500);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private static int freePort() {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() throws Exception {
        stop();
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(java.util.Comparator.reverseOrder())
                    .forEach(p -> p.toFile().delete());
        }
    }
}
