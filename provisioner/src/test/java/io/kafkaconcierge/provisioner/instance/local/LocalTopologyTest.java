package io.kafkaconcierge.provisioner.instance.local;

import static org.assertj.core.api.Assertions.assertThat;

import io.kafkaconcierge.contracts.InstanceSpec;
import io.kafkaconcierge.contracts.InstanceStatus;
import io.kafkaconcierge.contracts.InstanceStatus.ListenerAddress;
import io.kafkaconcierge.contracts.Operation;
import io.kafkaconcierge.contracts.RequestCommand;
import io.kafkaconcierge.provisioner.instance.local.LocalState.Node;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** The layout, addresses and status of local instances, with made-up ports and no process. */
class LocalTopologyTest {

    private static final Instant NOW = Instant.parse("2025-01-01T12:00:00Z");

    /** Ports 20000, 20001, ... in the order asked: each test knows which node got which. */
    private final AtomicInteger nextPort = new AtomicInteger(20_000);

    private final LocalTopology topology = new LocalTopology(
            count -> IntStream.range(0, count)
                    .mapToObj(i -> nextPort.getAndIncrement())
                    .toList(),
            "4.1.1",
            Clock.fixed(NOW, ZoneOffset.UTC));

    @Test
    void shouldPlaceOneCombinedNodeForOneBroker() {
        List<Node> nodes = topology.newInstance(spec(1, false, "plain", "external"));

        assertThat(nodes)
                .containsExactly(new Node(1, LocalState.COMBINED, Map.of("plain", 20_000, "external", 20_001), 20_002));
    }

    @Test
    void shouldPlaceOneControllerForTwoBrokers() {
        List<Node> nodes = topology.newInstance(spec(2, false, "plain"));

        assertThat(nodes)
                .containsExactly(
                        new Node(1, LocalState.CONTROLLER, Map.of(), 20_000),
                        new Node(100, LocalState.BROKER, Map.of("plain", 20_001), null),
                        new Node(101, LocalState.BROKER, Map.of("plain", 20_002), null));
    }

    @Test
    void shouldPlaceThreeControllersForThreeOrMoreBrokers() {
        List<Node> nodes = topology.newInstance(spec(4, false, "plain", "external"));

        assertThat(nodes.stream().filter(Node::controller).map(Node::id)).containsExactly(1, 2, 3);
        assertThat(nodes.stream().filter(Node::broker).map(Node::id)).containsExactly(100, 101, 102, 103);
        assertThat(nodes).noneMatch(n -> n.broker() && n.controller());
        assertThat(LocalTopology.ports(nodes))
                .as("every listener of every node has a port of its own")
                .doesNotHaveDuplicates()
                .hasSize(3 + 4 * 2);
    }

    @Test
    void shouldGiveAddedBrokersIdsAfterTheHighest() {
        List<Node> existing = topology.newInstance(spec(3, false, "plain"));

        List<Node> added = topology.addedBrokers(spec(5, false, "plain"), 2, existing);

        assertThat(added)
                .containsExactly(
                        new Node(103, LocalState.BROKER, Map.of("plain", 20_006), null),
                        new Node(104, LocalState.BROKER, Map.of("plain", 20_007), null));
    }

    @Test
    void shouldNumberTheFirstAddedBrokerOfACombinedInstanceFromOneHundred() {
        List<Node> existing = topology.newInstance(spec(1, false, "plain"));

        List<Node> added = topology.addedBrokers(spec(2, false, "plain"), 1, existing);

        assertThat(added).extracting(Node::id).containsExactly(100);
    }

    @Test
    void shouldAddNoBrokerWhenNoneMoreIsAsked() {
        List<Node> existing = topology.newInstance(spec(3, false, "plain"));
        int before = nextPort.get();

        assertThat(topology.addedBrokers(spec(3, false, "plain"), 0, existing)).isEmpty();
        assertThat(nextPort.get()).as("no port taken").isEqualTo(before);
    }

    @Test
    void shouldListOnlyBrokersInTheBootstrapOfEachListener() {
        LocalState state = state(spec(3, false, "plain", "external"), null);

        assertThat(LocalTopology.bootstrap(state, "plain"))
                .isEqualTo("127.0.0.1:20003,127.0.0.1:20005,127.0.0.1:20007");
        assertThat(LocalTopology.bootstrap(state, "external"))
                .isEqualTo("127.0.0.1:20004,127.0.0.1:20006,127.0.0.1:20008");
    }

    @Test
    void shouldCountOnlyAliveBrokersAsReady() {
        LocalState state = state(spec(3, false, "plain"), null);

        // every controller alive, one broker dead
        InstanceStatus status =
                topology.status(state, topology.conditionFor(state), n -> n.controller() || n.id() != 101);

        assertThat(status.readyBrokers()).isEqualTo(2);
        assertThat(status.backend()).isEqualTo(LocalInstanceBackend.NAME);
        assertThat(status.kafkaVersion()).isEqualTo("4.1.1");
        assertThat(status.bootstrapServers()).isEqualTo("127.0.0.1:20003,127.0.0.1:20004,127.0.0.1:20005");
    }

    @Test
    void shouldShowScramOnTheListenersOfASecuredInstance() {
        LocalState state = state(spec(1, true, "plain"), "sealed-credential");

        InstanceStatus status = topology.status(state, topology.conditionFor(state), n -> true);

        assertThat(status.listeners()).containsExactly(ListenerAddress.scram("plain", "127.0.0.1:20000"));
    }

    @Test
    void shouldShowPlaintextListenersOnAnInstanceWithoutSecurity() {
        LocalState state = state(spec(1, false, "plain"), null);

        InstanceStatus status = topology.status(state, topology.conditionFor(state), n -> true);

        assertThat(status.listeners()).containsExactly(new ListenerAddress("plain", "127.0.0.1:20000"));
    }

    @Test
    void shouldShowTheRequestedVersionAndNoListenersWhenThereIsNoInstance() {
        RequestCommand command = command(Operation.CREATE, spec(3, false, "plain"));

        InstanceStatus status = topology.status(
                null, command, List.of(topology.condition("Ready", "False", "ProvisioningFailed", "why")), n -> true);

        assertThat(status.kafkaVersion()).isEqualTo("4.0.0");
        assertThat(status.readyBrokers()).isZero();
        assertThat(status.listeners()).isEmpty();
        assertThat(status.conditions())
                .containsExactly(new InstanceStatus.Condition("Ready", "False", "ProvisioningFailed", "why", NOW));
    }

    @Test
    void shouldSayWhichStepAnUnfinishedRequestIsAt() {
        InstanceSpec spec = spec(1, false, "plain");
        LocalState state = state(spec, null);

        assertThat(topology.conditionFor(state.with(command(Operation.UPDATE, spec), false)))
                .satisfies(c -> {
                    assertThat(c.status()).isEqualTo("False");
                    assertThat(c.reason()).isEqualTo("Updating");
                    assertThat(c.message()).isEqualTo("working on request request-update");
                });
        assertThat(topology.conditionFor(state.with(command(Operation.DELETE, spec), false))
                        .reason())
                .isEqualTo("Deleting");
        assertThat(topology.conditionFor(state).reason()).isEqualTo("Provisioning");
        assertThat(topology.conditionFor(state.with(state.command(), true)))
                .isEqualTo(new InstanceStatus.Condition("Ready", "True", "BrokersReady", "running", NOW));
    }

    private LocalState state(InstanceSpec spec, String adminCredential) {
        return new LocalState(
                command(Operation.CREATE, spec), false, "cluster-id", topology.newInstance(spec), adminCredential);
    }

    private static RequestCommand command(Operation operation, InstanceSpec spec) {
        return new RequestCommand(
                "request-" + operation.name().toLowerCase(Locale.ROOT),
                operation,
                spec.ref(),
                null,
                null,
                null,
                "0".repeat(64),
                NOW,
                spec,
                null);
    }

    private static InstanceSpec spec(int brokers, boolean secured, String... listeners) {
        List<InstanceSpec.Listener> ls = new ArrayList<>();
        for (String l : listeners) {
            ls.add(new InstanceSpec.Listener(l, 9092, InstanceSpec.Listener.INTERNAL, false));
        }
        return new InstanceSpec(
                "orders",
                "data-platform",
                brokers,
                "4.0.0",
                Map.of(),
                new InstanceSpec.Storage(InstanceSpec.Storage.EPHEMERAL, null),
                ls,
                null,
                false,
                null,
                null,
                secured ? new InstanceSpec.Security(InstanceSpec.Security.SCRAM_SHA_512, false) : null);
    }
}
