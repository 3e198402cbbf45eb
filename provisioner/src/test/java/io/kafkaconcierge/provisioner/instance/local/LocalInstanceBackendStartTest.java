package io.kafkaconcierge.provisioner.instance.local;

import static org.assertj.core.api.Assertions.assertThat;

import io.kafkaconcierge.contracts.InstanceSpec;
import io.kafkaconcierge.contracts.InstanceStatus;
import io.kafkaconcierge.contracts.Json;
import io.kafkaconcierge.contracts.Operation;
import io.kafkaconcierge.contracts.RequestCommand;
import io.kafkaconcierge.contracts.RequestState;
import io.kafkaconcierge.contracts.secrets.SecretBox;
import io.kafkaconcierge.provisioner.config.ProvisionerConfig;
import io.kafkaconcierge.provisioner.instance.InstanceBackend;
import io.kafkaconcierge.provisioner.service.Outcome;
import java.io.IOException;
import java.lang.reflect.Proxy;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The local backend alone (no Quarkus, no Kafka): what {@code start} does with the instances it finds under its root.
 * The "broker" is a shell script that sleeps, so that a node runs without a JVM.
 */
class LocalInstanceBackendStartTest {

    @TempDir
    Path root;

    private final Recorder recorder = new Recorder();
    private LocalInstanceBackend backend;

    @AfterEach
    void stop() throws IOException {
        if (backend != null) {
            backend.stop();
        }
        // the nodes outlive the backend on purpose: the test ends its own
        try (var pids = Files.walk(root)) {
            pids.filter(p -> p.getFileName().toString().equals("pid")).forEach(p -> {
                try {
                    ProcessHandle.of(Long.parseLong(Files.readString(p).trim()))
                            .ifPresent(ProcessHandle::destroyForcibly);
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            });
        }
    }

    @Test
    void shouldTellTheProvisionerOfARunningInstanceBeforeStartReturns() throws Exception {
        // a READY instance from before the restart: the registry must know it before any topic or user request
        // for it is applied, not only once its readiness check (seconds on a secured instance) is over
        RequestCommand created = create("kept");
        LocalState state = new LocalState(
                created,
                true,
                "AAAAAAAAAAAAAAAAAAAAAA",
                List.of(new LocalState.Node(
                        1,
                        LocalState.COMBINED,
                        Map.of("plain", NodeProcesses.freePorts(1).get(0)),
                        NodeProcesses.freePorts(1).get(0))));
        Files.createDirectories(root.resolve("kept").resolve("node-1"));
        Files.write(root.resolve("kept").resolve("instance.json"), Json.write(state));

        backend = new LocalInstanceBackend(config(root, fakeJava()), secrets());
        backend.start(recorder);

        assertThat(recorder.adopted).as("told while start ran").contains("kept");
        assertThat(recorder.statuses.get(0).bootstrapServers())
                .isEqualTo("127.0.0.1:" + state.nodes().get(0).ports().get("plain"));
        assertThat(recorder.finished).isEmpty();
    }

    @Test
    void shouldNotTellTheProvisionerOfAnInstanceWhoseDeleteWasUnderWay() throws Exception {
        RequestCommand created = create("leaving");
        RequestCommand delete = new RequestCommand(
                UUID.randomUUID().toString(),
                Operation.DELETE,
                created.resource(),
                null,
                null,
                null,
                "0".repeat(64),
                Instant.now(),
                created.instance(),
                null);
        LocalState state = new LocalState(
                delete,
                false,
                "AAAAAAAAAAAAAAAAAAAAAA",
                List.of(new LocalState.Node(
                        1,
                        LocalState.COMBINED,
                        Map.of("plain", NodeProcesses.freePorts(1).get(0)),
                        NodeProcesses.freePorts(1).get(0))));
        Files.createDirectories(root.resolve("leaving"));
        Files.write(root.resolve("leaving").resolve("instance.json"), Json.write(state));

        backend = new LocalInstanceBackend(config(root, fakeJava()), secrets());
        backend.start(recorder);

        assertThat(recorder.adopted).isEmpty();
    }

    /** A "java" that runs for a minute whatever its arguments, as a broker would. */
    private Path fakeJava() throws IOException {
        Path script = root.resolve("fake-java");
        Files.writeString(script, "#!/bin/sh\nsleep 60\n");
        Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwx------"));
        return script;
    }

    private static RequestCommand create(String name) {
        InstanceSpec spec = new InstanceSpec(
                name,
                "data-platform",
                1,
                org.apache.kafka.common.utils.AppInfoParser.getVersion(),
                Map.of(),
                new InstanceSpec.Storage("ephemeral", null),
                List.of(new InstanceSpec.Listener("plain", 9092, "internal", false)),
                null,
                false,
                null);
        return new RequestCommand(
                UUID.randomUUID().toString(),
                Operation.CREATE,
                spec.ref(),
                null,
                null,
                null,
                "0".repeat(64),
                Instant.now(),
                spec,
                null);
    }

    private static SecretBox secrets() {
        return new SecretBox(Optional.of(java.util.Base64.getEncoder().encodeToString(new byte[32])), "test");
    }

    /** The configuration the backend reads: its root, the fake java, a health check far out of the test's reach. */
    private static ProvisionerConfig config(Path root, Path java) {
        ProvisionerConfig.Local local = stub(
                ProvisionerConfig.Local.class,
                Map.of(
                        "root",
                        root.toString(),
                        "brokerClasspath",
                        Optional.of("/nowhere.jar"),
                        "java",
                        Optional.of(java.toString()),
                        "brokerJvmOptions",
                        "-Xmx64m",
                        "controllerJvmOptions",
                        "-Xmx64m",
                        "checkInterval",
                        Duration.ofMinutes(10)));
        ProvisionerConfig.Instances instances =
                stub(ProvisionerConfig.Instances.class, Map.of("readyTimeout", Duration.ofSeconds(2), "local", local));
        return stub(ProvisionerConfig.class, Map.of("instances", instances));
    }

    /** An interface whose methods answer from {@code answers} by name; any other call is a test error. */
    @SuppressWarnings("unchecked")
    private static <T> T stub(Class<?> type, Map<String, Object> answers) {
        return (T) Proxy.newProxyInstance(type.getClassLoader(), new Class<?>[] {type}, (proxy, method, args) -> {
            if (answers.containsKey(method.getName())) {
                return answers.get(method.getName());
            }
            if (method.getName().equals("toString")) {
                return type.getSimpleName() + answers.keySet();
            }
            throw new UnsupportedOperationException(type.getSimpleName() + "." + method.getName());
        });
    }

    /** What the backend told the provisioner. */
    static final class Recorder implements InstanceBackend.Listener {
        final List<String> finished = new CopyOnWriteArrayList<>();
        final List<String> adopted = new CopyOnWriteArrayList<>();
        final List<InstanceStatus> statuses = new CopyOnWriteArrayList<>();

        @Override
        public boolean finishedBefore(String requestId) {
            return false;
        }

        @Override
        public void finished(RequestCommand command, Outcome outcome, InstanceStatus status) {
            finished.add(command.requestId() + " " + outcome.state());
        }

        @Override
        public void adopted(RequestCommand command, InstanceStatus status) {
            adopted.add(command.resource().name());
            statuses.add(status);
        }

        @Override
        public void progress(RequestCommand command, InstanceStatus status) {}

        @Override
        public void health(RequestCommand command, RequestState state, InstanceStatus status) {}
    }
}
