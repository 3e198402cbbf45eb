package io.kafkaconcierge.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Collectors;

/**
 * A real Keycloak, the Quarkus distribution's {@code bin/kc.sh start-dev}, as a child process on 127.0.0.1, for tests
 * that need real OIDC tokens. It imports the given realm files at start ({@code --import-realm} reads them from the
 * distribution's {@code data/import/}) into an in-memory database, so every start begins from those files alone.
 * Its output goes to {@code target/keycloak-<port>.log}.
 *
 * <p>Keycloak runs on its own JDK ({@link #javaHome()}), Java 17 or newer; a start takes tens of seconds on two
 * cores. One server at a time per distribution directory: they would share its {@code data/import/}.
 */
public final class KeycloakServer implements AutoCloseable {

    /** Keycloak 26's lowest supported Java (it supports 17, 21 and 25; its classes are Java 17's). */
    static final int MIN_JAVA = 17;
    /** The JDK Keycloak prefers (its newest supported), where this machine has it. */
    static final Path PREFERRED_JDK = Path.of("/usr/lib/jvm/temurin-25-jdk-amd64");

    static final Duration READY_TIMEOUT = Duration.ofMinutes(3);
    static final String HEAP = "-Xms64m -Xmx384m";

    private static final ObjectMapper JSON = new ObjectMapper();

    private final String realm;
    private final int port;
    private final Path log;
    private final Process process;
    private final HttpClient http =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private final Thread shutdownHook;
    private Duration startupTime;
    private boolean closed;

    private KeycloakServer(Path home, String realm, List<Path> realmFiles) throws IOException {
        Path kcSh = home.resolve("bin/kc.sh");
        if (!Files.isExecutable(kcSh)) {
            throw new IllegalStateException(kcSh + " is missing: the e2e module's build unpacks Keycloak's distribution"
                    + " there (./mvnw verify -pl e2e -am)");
        }
        this.realm = realm;
        Path imports = home.resolve("data/import");
        Files.createDirectories(imports);
        try (DirectoryStream<Path> old = Files.newDirectoryStream(imports, "*.json")) {
            for (Path file : old) {
                Files.delete(file);
            }
        }
        for (Path file : realmFiles) {
            Files.copy(file, imports.resolve(file.getFileName()), StandardCopyOption.REPLACE_EXISTING);
        }
        Path javaHome = javaHome();
        this.port = freePort();
        this.log = Path.of("target", "keycloak-" + port + ".log").toAbsolutePath();
        Files.createDirectories(log.getParent());
        // The build options (db, cache, health, metrics) stay the same from start to start: a change would make
        // Keycloak build itself again first (Quarkus augmentation, some 20 s more).
        ProcessBuilder builder = new ProcessBuilder(
                        kcSh.toString(),
                        "start-dev",
                        "--http-host=127.0.0.1",
                        "--http-port=" + port,
                        "--hostname=" + baseUrl(),
                        "--db=dev-mem",
                        "--cache=local",
                        "--health-enabled=false",
                        "--metrics-enabled=false",
                        "--import-realm")
                .directory(home.toFile())
                .redirectErrorStream(true)
                .redirectOutput(log.toFile());
        Map<String, String> env = builder.environment();
        env.keySet().removeIf(name -> name.startsWith("KC_") || name.startsWith("JAVA_OPTS") || name.equals("JAVA"));
        env.put("JAVA_HOME", javaHome.toString());
        env.put("JAVA_OPTS_KC_HEAP", HEAP);
        // C1 only: a test's Keycloak lives a minute or two, and without C2 it started faster here and kept some 70 MB
        // less resident. jboss-threads resets thread locals through java.lang's internals (else an
        // IllegalAccessError at shutdown on Java 25); Netty's use of sun.misc.Unsafe warns from Java 24 on unless
        // allowed.
        env.put(
                "JAVA_OPTS_APPEND",
                "-XX:TieredStopAtLevel=1 --add-opens=java.base/java.lang=ALL-UNNAMED"
                        + (featureVersion(javaHome) >= 24 ? " --sun-misc-unsafe-memory-access=allow" : ""));
        long started = System.nanoTime();
        this.process = builder.start();
        this.shutdownHook = new Thread(this::stop, "keycloak-stop");
        Runtime.getRuntime().addShutdownHook(shutdownHook);
        awaitReady(started);
    }

    /**
     * Starts Keycloak from its unpacked distribution {@code home} (the directory holding {@code bin/kc.sh}) with the
     * given realm files, and waits until {@code realm}'s OpenID configuration answers (at most 3 minutes).
     */
    public static KeycloakServer start(Path home, String realm, Path... realmFiles) {
        try {
            return new KeycloakServer(home, realm, List.of(realmFiles));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start Keycloak from " + home, e);
        }
    }

    private void awaitReady(long started) {
        long deadline = started + READY_TIMEOUT.toNanos();
        while (!ready()) {
            if (!process.isAlive()) {
                close();
                throw new IllegalStateException("Keycloak exited with " + process.exitValue() + " before it was ready;"
                        + " see " + log + ", which ends with:\n" + logTail());
            }
            if (System.nanoTime() > deadline) {
                close();
                throw new IllegalStateException("Keycloak was not ready in " + READY_TIMEOUT.toSeconds() + " s; see "
                        + log + ", which ends with:\n" + logTail());
            }
            try {
                process.waitFor(500, TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                close();
                throw new IllegalStateException("interrupted while Keycloak started", e);
            }
        }
        startupTime = Duration.ofNanos(System.nanoTime() - started);
    }

    private boolean ready() {
        try {
            HttpResponse<String> answer = http.send(
                    HttpRequest.newBuilder(URI.create(issuer() + "/.well-known/openid-configuration"))
                            .timeout(Duration.ofSeconds(5))
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            return answer.statusCode() == 200
                    && issuer().equals(
                                    JSON.readTree(answer.body()).path("issuer").asText());
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** {@code http://127.0.0.1:<port>}: Keycloak's hostname, the same whoever asks. */
    public String baseUrl() {
        return "http://127.0.0.1:" + port;
    }

    /** The realm's issuer, the {@code iss} of its tokens: {@code <baseUrl>/realms/<realm>}. */
    public String issuer() {
        return baseUrl() + "/realms/" + realm;
    }

    public String tokenEndpoint() {
        return issuer() + "/protocol/openid-connect/token";
    }

    /** How long the start took, from launching kc.sh until the realm's OpenID configuration answered. */
    public Duration startupTime() {
        return startupTime;
    }

    public Path log() {
        return log;
    }

    /** An access token by the password grant (the client must allow direct access grants). */
    public String passwordToken(String clientId, String username, String password) {
        return token(
                Map.of("grant_type", "password", "client_id", clientId, "username", username, "password", password));
    }

    /** An access token for the client's service account, by the client credentials grant. */
    public String clientCredentialsToken(String clientId, String secret) {
        return token(Map.of("grant_type", "client_credentials", "client_id", clientId, "client_secret", secret));
    }

    private String token(Map<String, String> form) {
        String body = form.entrySet().stream()
                .map(e -> URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8) + "="
                        + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
                .collect(Collectors.joining("&"));
        HttpRequest request = HttpRequest.newBuilder(URI.create(tokenEndpoint()))
                .timeout(Duration.ofSeconds(30))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(body))
                .build();
        try {
            HttpResponse<String> answer = http.send(request, HttpResponse.BodyHandlers.ofString());
            if (answer.statusCode() != 200) {
                throw new IllegalStateException("Keycloak refused a " + form.get("grant_type") + " token for "
                        + form.get("client_id") + ": " + answer.statusCode() + " " + answer.body());
            }
            return JSON.readTree(answer.body()).path("access_token").asText();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot reach Keycloak at " + tokenEndpoint(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** A JWT's payload, decoded but not verified. */
    public static JsonNode claims(String jwt) {
        String[] parts = jwt.split("\\.");
        if (parts.length < 2) {
            throw new IllegalArgumentException("not a JWT: " + jwt);
        }
        try {
            return JSON.readTree(Base64.getUrlDecoder().decode(parts[1]));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The resident memory of Keycloak's JVM, in KiB, where the OS says (Linux's /proc). */
    public OptionalLong residentKiB() {
        List<ProcessHandle> tree = tree();
        for (ProcessHandle h : tree) {
            if (h.info().command().map(c -> c.endsWith("/java")).orElse(false)) {
                try {
                    for (String line : Files.readAllLines(Path.of("/proc", Long.toString(h.pid()), "status"))) {
                        if (line.startsWith("VmRSS:")) {
                            return OptionalLong.of(Long.parseLong(line.replaceAll("\\D", "")));
                        }
                    }
                } catch (IOException | NumberFormatException e) {
                    return OptionalLong.empty();
                }
            }
        }
        return OptionalLong.empty();
    }

    /**
     * The JDK Keycloak runs on: {@code -Dkeycloak.java.home} or {@code KEYCLOAK_JAVA_HOME} if set, else
     * {@link #PREFERRED_JDK} if present, else the JDK running this test; it must be Java {@value #MIN_JAVA} or newer.
     */
    static Path javaHome() {
        String configured = System.getProperty("keycloak.java.home", System.getenv("KEYCLOAK_JAVA_HOME"));
        List<Path> candidates = configured != null && !configured.isBlank()
                ? List.of(Path.of(configured))
                : List.of(PREFERRED_JDK, Path.of(System.getProperty("java.home")));
        List<String> rejected = new ArrayList<>();
        for (Path candidate : candidates) {
            int feature = featureVersion(candidate);
            if (feature >= MIN_JAVA) {
                return candidate;
            }
            rejected.add(candidate
                    + (feature < 0
                            ? " (no JDK there, or no release file to tell its version)"
                            : " (Java " + feature + ")"));
        }
        throw new IllegalStateException("no JDK to run Keycloak on: it needs Java " + MIN_JAVA
                + " or newer (Keycloak 26 supports 17, 21 and 25); tried " + String.join(", ", rejected)
                + ". Point -Dkeycloak.java.home or KEYCLOAK_JAVA_HOME at one.");
    }

    /** The JDK's feature release (17, 21, 25), from its {@code release} file; -1 if unknown. */
    static int featureVersion(Path javaHome) {
        if (!Files.isExecutable(javaHome.resolve("bin/java"))) {
            return -1;
        }
        if (javaHome.toAbsolutePath()
                .normalize()
                .equals(Path.of(System.getProperty("java.home"))
                        .toAbsolutePath()
                        .normalize())) {
            return Runtime.version().feature();
        }
        try {
            for (String line : Files.readAllLines(javaHome.resolve("release"))) {
                if (line.startsWith("JAVA_VERSION=")) {
                    String version = line.substring("JAVA_VERSION=".length())
                            .replace("\"", "")
                            .trim();
                    String[] numbers = version.split("[._+-]");
                    int first = Integer.parseInt(numbers[0]);
                    return first == 1 && numbers.length > 1 ? Integer.parseInt(numbers[1]) : first;
                }
            }
        } catch (IOException | NumberFormatException e) {
            return -1;
        }
        return -1;
    }

    private List<ProcessHandle> tree() {
        List<ProcessHandle> tree = new ArrayList<>();
        tree.add(process.toHandle());
        process.descendants().forEach(tree::add);
        return tree;
    }

    private String logTail() {
        try {
            List<String> lines = Files.readAllLines(log);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 30), lines.size()));
        } catch (IOException e) {
            return "(cannot read it: " + e + ")";
        }
    }

    private static int freePort() {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * SIGTERM to kc.sh and the JVM it started (kc.sh forwards it too; Keycloak stops in about a second), then SIGKILL
     * to whatever still runs after 30 s.
     */
    private void stop() {
        List<ProcessHandle> tree = tree();
        tree.forEach(ProcessHandle::destroy);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        for (ProcessHandle h : tree) {
            try {
                h.onExit().get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            } catch (TimeoutException | ExecutionException e) {
                h.destroyForcibly();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                h.destroyForcibly();
            }
        }
    }

    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            Runtime.getRuntime().removeShutdownHook(shutdownHook);
        } catch (IllegalStateException e) {
            // the JVM is shutting down: the hook stops it
            return;
        }
        stop();
    }
}
