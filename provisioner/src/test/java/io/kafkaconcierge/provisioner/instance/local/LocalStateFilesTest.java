package io.kafkaconcierge.provisioner.instance.local;

import static org.assertj.core.api.Assertions.assertThat;

import io.kafkaconcierge.contracts.InstanceSpec;
import io.kafkaconcierge.contracts.Operation;
import io.kafkaconcierge.contracts.RequestCommand;
import io.kafkaconcierge.provisioner.instance.local.LocalState.Node;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The local backend's state files, in a folder of the test's own. */
class LocalStateFilesTest {

    @TempDir
    Path root;

    @Test
    void shouldReadBackEveryStateSaved() {
        LocalStateFiles files = new LocalStateFiles(root);
        LocalState orders = state("orders", "sealed");
        LocalState payments = state("payments", null);

        files.save("payments", payments);
        files.save("orders", orders);

        LocalStateFiles.Found found = files.readAll();
        assertThat(found.states()).containsExactly(Map.entry("orders", orders), Map.entry("payments", payments));
        assertThat(found.unreadable()).isEmpty();
    }

    @Test
    void shouldReplaceTheStateAndLeaveNoTemporaryFile() throws IOException {
        LocalStateFiles files = new LocalStateFiles(root);
        LocalState created = state("orders", null);
        files.save("orders", created);

        files.save("orders", created.with(created.command(), true));

        assertThat(files.readAll().states().get("orders").done()).isTrue();
        try (var names = Files.list(root.resolve("orders"))) {
            assertThat(names.map(p -> p.getFileName().toString())).containsExactly(LocalStateFiles.STATE_FILE);
        }
    }

    @Test
    void shouldSkipAndReportAnUnreadableStateFile() throws IOException {
        LocalStateFiles files = new LocalStateFiles(root);
        LocalState payments = state("payments", null);
        files.save("payments", payments);
        Path broken = root.resolve("orders").resolve(LocalStateFiles.STATE_FILE);
        Files.createDirectories(broken.getParent());
        Files.writeString(broken, "{ not json");
        Files.createDirectories(root.resolve("not-an-instance")); // a folder without a state file is not one

        LocalStateFiles.Found found = files.readAll();

        assertThat(found.states()).containsOnlyKeys("payments");
        assertThat(found.unreadable()).containsOnlyKeys(broken);
        assertThat(Files.exists(broken)).as("left alone").isTrue();
    }

    @Test
    void shouldCreateTheRootWhenThereIsNone() {
        Path missing = root.resolve("instances");

        LocalStateFiles.Found found = new LocalStateFiles(missing).readAll();

        assertThat(found.states()).isEmpty();
        assertThat(Files.isDirectory(missing)).isTrue();
    }

    @Test
    void shouldRemoveTheWholeTreeOfADeletedInstance() throws IOException {
        LocalStateFiles files = new LocalStateFiles(root);
        files.save("orders", state("orders", null));
        files.save("payments", state("payments", null));
        Path data = root.resolve("orders").resolve("node-1").resolve("data");
        Files.createDirectories(data);
        Files.writeString(data.resolve("meta.properties"), "node.id=1");

        files.delete("orders");

        assertThat(root.resolve("orders")).doesNotExist();
        assertThat(files.readAll().states()).containsOnlyKeys("payments");
    }

    @Test
    void shouldDeleteNothingWhenTheInstanceHasNoFolder() {
        LocalStateFiles files = new LocalStateFiles(root);

        files.delete("never-made");

        assertThat(root).isEmptyDirectory();
    }

    private static LocalState state(String name, String adminCredential) {
        InstanceSpec spec = new InstanceSpec(
                name,
                "data-platform",
                1,
                "4.1.1",
                Map.of("min.insync.replicas", "1"),
                new InstanceSpec.Storage(InstanceSpec.Storage.EPHEMERAL, null),
                List.of(new InstanceSpec.Listener("plain", 9092, InstanceSpec.Listener.INTERNAL, false)),
                null,
                false,
                null);
        RequestCommand command = new RequestCommand(
                "request-" + name,
                Operation.CREATE,
                spec.ref(),
                null,
                null,
                null,
                "0".repeat(64),
                Instant.parse("2025-01-01T12:00:00Z"),
                spec,
                null);
        return new LocalState(
                command,
                false,
                "cluster-" + name,
                List.of(new Node(1, LocalState.COMBINED, Map.of("plain", 20_000), 20_001)),
                adminCredential);
    }
}
