package io.kafkaconcierge.e2e;

import io.kafkaconcierge.testing.EmbeddedKafka;
import io.kafkaconcierge.testing.TestIdentity;
import java.io.File;
import java.io.IOException;
import java.net.HttpURLConnection;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The three packaged services ({@code target/quarkus-app/quarkus-run.jar}) as real processes against one real broker:
 * what a user runs, started the way {@code bin/concierge-local} starts it. {@code -Dsuite.jvm.args=...} adds JVM
 * options to each service ({@code {instance}} is replaced by its name), e.g. to record a JFR profile.
 */
public final class Suite implements AutoCloseable {

    public static final String API = "concierge-api";
    public static final String PROVISIONER = "provisioner";
    public static final String NOTIFIER = "notifier";
    /** The tests' key for sealing secrets (base64 of 32 bytes); never a real deployment's. */
    static final String TEST_SECRETS_KEY = "dGVzdC1vbmx5LXNlY3JldHMta2V5LTMyLWJ5dGVzISE=";

    private final EmbeddedKafka kafka;
    private final String bootstrapServers;
    private final AutoCloseable broker;
    private final Path appsDir;
    private final Path logs;
    private final Map<String, String> extraProperties;
    // concurrent: a test may start or kill several services at once
    private final Map<String, Process> processes = new java.util.concurrent.ConcurrentHashMap<>();
    private final Map<String, Integer> ports = new java.util.concurrent.ConcurrentHashMap<>();
    private final Map<String, Map<String, String>> environments = new LinkedHashMap<>();

    public Suite(Map<String, String> extraProperties) throws Exception {
        this(EmbeddedKafka.start(), extraProperties);
    }

    /** Against this broker (which {@link #close()} stops), e.g. {@link EmbeddedKafka#startSecured()}. */
    public Suite(EmbeddedKafka kafka, Map<String, String> extraProperties) throws Exception {
        this.appsDir = Path.of(System.getProperty("concierge.apps.dir", ".."));
        this.logs = Path.of("target", "e2e-logs");
        Files.createDirectories(logs);
        this.extraProperties = extraProperties;
        this.kafka = kafka;
        this.bootstrapServers = kafka.bootstrapServers();
        this.broker = kafka;
        TestIdentity.restAssuredAsAdmin();
    }

    /** Against a broker of the test's own (a process it stops and starts), which {@link #close()} closes. */
    public Suite(String bootstrapServers, AutoCloseable broker, Map<String, String> extraProperties) throws Exception {
        this.appsDir = Path.of(System.getProperty("concierge.apps.dir", ".."));
        this.logs = Path.of("target", "e2e-logs");
        Files.createDirectories(logs);
        this.extraProperties = extraProperties;
        this.kafka = null;
        this.bootstrapServers = bootstrapServers;
        this.broker = broker;
        TestIdentity.restAssuredAsAdmin();
    }

    public EmbeddedKafka kafka() {
        return kafka;
    }

    /**
     * Environment variables for every process of the service from now on, e.g. its Kafka credentials
     * ({@code KAFKA_SECURITY_PROTOCOL}, {@code KAFKA_SASL_MECHANISM}, {@code KAFKA_SASL_JAAS_CONFIG}): as the
     * Kubernetes manifests pass them, and never on a command line that {@code ps} shows.
     */
    public void environment(String service, Map<String, String> variables) {
        environments.put(service, Map.copyOf(variables));
    }

    /** Starts a service (or another replica of it, under {@code instance}) and waits until it is ready. */
    public void start(String service, String instance) throws Exception {
        start(service, instance, Map.of());
    }

    /**
     * Starts a service under {@code instance} with more properties than the suite's, e.g. another identity: with
     * {@code quarkus.oidc.auth-server-url} among them it runs the production profile against that provider.
     */
    public void start(String service, String instance, Map<String, String> more) throws Exception {
        start(service, instance, more, true);
    }

    private void start(String service, String instance, Map<String, String> more, boolean await) throws Exception {
        Map<String, String> properties = new LinkedHashMap<>(extraProperties);
        properties.putAll(more);
        int port = port(instance);
        Path jar = appsDir.resolve(service).resolve("target/quarkus-app/quarkus-run.jar");
        if (!Files.exists(jar)) {
            throw new IllegalStateException(jar + " is missing: package the services first (./mvnw verify does)");
        }
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                API.equals(service) ? "-Xmx512m" : "-Xmx256m",
                "-Dkafka.bootstrap.servers=" + bootstrapServers,
                "-Dquarkus.http.port=" + port));
        String jvmArgs = System.getProperty("suite.jvm.args", "").replace("{instance}", instance);
        if (!jvmArgs.isBlank()) {
            command.addAll(List.of(jvmArgs.trim().split("\\s+")));
        }
        // the identity: the test key's issuer, trusted by the profile "local" as bin/concierge-local does with its
        // own key; a test with a real identity provider passes quarkus.oidc.auth-server-url and runs the production
        // profile
        if (!properties.containsKey("quarkus.oidc.auth-server-url")) {
            command.add("-Dquarkus.profile=local");
            command.add("-Dquarkus.oidc.public-key=" + TestIdentity.publicKey());
            command.add("-Dquarkus.oidc.token.issuer=" + TestIdentity.ISSUER);
        }
        properties.forEach((k, v) -> command.add("-D" + k + "=" + v));
        command.addAll(List.of("-jar", jar.toString()));
        File log = logs.resolve(instance + ".log").toFile();
        ProcessBuilder builder = new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log));
        if (NOTIFIER.equals(service)) {
            // as bin/concierge-local: the tests' webhook receivers listen on 127.0.0.1 (loopback is refused by default)
            builder.environment().putIfAbsent("NOTIFIER_WEBHOOK_ALLOW_LOOPBACK", "true");
        }
        // the key the API seals Kafka users' passwords with and the provisioner opens them with: the same in both, as
        // a deployment gives it (the production profile refuses to start without it)
        if (API.equals(service) || PROVISIONER.equals(service)) {
            builder.environment().putIfAbsent("CONCIERGE_SECRETS_KEY", TEST_SECRETS_KEY);
        }
        builder.environment().putAll(environments.getOrDefault(service, Map.of()));
        Process process = builder.start();
        processes.put(instance, process);
        if (!await) {
            return;
        }
        long deadline = System.currentTimeMillis() + 60_000;
        while (!ready(port)) {
            if (!process.isAlive()) {
                throw new IllegalStateException(instance + " exited with " + process.exitValue() + "; see " + log);
            }
            if (System.currentTimeMillis() > deadline) {
                throw new IllegalStateException(instance + " was not ready in 60 s; see " + log);
            }
            process.waitFor(200, TimeUnit.MILLISECONDS);
        }
    }

    public void start(String service) throws Exception {
        start(service, service);
    }

    /** Kills the process at once (SIGKILL), as a crash or an OOM kill would. */
    /** SIGTERM: a clean shutdown (consumers leave their groups at once). */
    public void stop(String instance) throws InterruptedException {
        Process p = processes.remove(instance);
        p.destroy();
        if (!p.waitFor(30, TimeUnit.SECONDS)) {
            p.destroyForcibly().waitFor();
        }
    }

    public void kill(String instance) throws InterruptedException {
        Process p = processes.remove(instance);
        p.destroyForcibly();
        p.waitFor();
    }

    /** CPU time the instance's process has used so far, in ms (0 where the OS does not say). */
    public long cpuMillis(String instance) {
        return processes
                .get(instance)
                .info()
                .totalCpuDuration()
                .map(d -> d.toMillis())
                .orElse(0L);
    }

    /** The port {@code instance} listens on, chosen now if it has not started yet (so that others can know it first). */
    public int port(String instance) {
        return ports.computeIfAbsent(instance, i -> freePort());
    }

    public String url(String instance) {
        return "http://127.0.0.1:" + ports.get(instance);
    }

    private static boolean ready(int port) {
        try {
            HttpURLConnection c = (HttpURLConnection) URI.create("http://127.0.0.1:" + port + "/q/health/ready")
                    .toURL()
                    .openConnection();
            c.setConnectTimeout(500);
            c.setReadTimeout(2000);
            return c.getResponseCode() == 200;
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

    /** Stops the broker (the services stay up), to see what they do without Kafka. */
    public void stopKafka() {
        try {
            broker.close();
        } catch (Exception e) {
            throw new IllegalStateException("could not stop the broker", e);
        }
    }

    /** Whether the instance's process is alive. */
    public boolean alive(String instance) {
        Process p = processes.get(instance);
        return p != null && p.isAlive();
    }

    /** Starts a service's process without waiting until it is ready (a restart while its Kafka is away). */
    public void launch(String service, String instance) throws Exception {
        start(service, instance, Map.of(), false);
    }

    @Override
    public void close() throws Exception {
        for (Process p : processes.values()) {
            p.destroy();
        }
        for (Process p : processes.values()) {
            if (!p.waitFor(20, TimeUnit.SECONDS)) {
                p.destroyForcibly();
            }
        }
        broker.close();
    }
}
