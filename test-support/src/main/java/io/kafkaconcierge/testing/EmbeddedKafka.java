package io.kafkaconcierge.testing;

import java.util.Map;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.common.utils.Exit;
import org.apache.kafka.common.test.KafkaClusterTestKit;
import org.apache.kafka.common.test.TestKitNodes;

import io.kafkaconcierge.contracts.ConciergeTopics;

/**
 * A real KRaft Kafka broker (combined broker and controller) in this JVM, for tests. {@link #shared()} starts one per
 * JVM on first use, creates the concierge's topics, and stops it when the JVM exits.
 */
public final class EmbeddedKafka implements AutoCloseable {

    private static EmbeddedKafka shared;

    static {
        // The broker runs inside the test JVM: a fault while it shuts down (at the JVM's exit, racing other shutdown
        // hooks) must not halt that JVM with a non-zero code, which fails a build whose tests all passed. Said
        // loudly instead; a fault during a test still shows as that test's failure.
        Exit.setHaltProcedure((status, message) -> System.err.printf("embedded Kafka asked to halt the JVM (%d): %s%n",
                status, message));
        Exit.setExitProcedure((status, message) -> System.err.printf("embedded Kafka asked to exit the JVM (%d): %s%n",
                status, message));
    }

    private final KafkaClusterTestKit cluster;

    private EmbeddedKafka(int brokers) throws Exception {
        TestKitNodes nodes = new TestKitNodes.Builder()
                .setCombined(true)
                .setNumBrokerNodes(brokers)
                .setNumControllerNodes(1)
                .build();
        short rf = (short) Math.min(brokers, 3);
        cluster = new KafkaClusterTestKit.Builder(nodes)
                .setConfigProp("offsets.topic.replication.factor", rf)
                .setConfigProp("offsets.topic.num.partitions", 6)
                .setConfigProp("transaction.state.log.replication.factor", rf)
                .setConfigProp("transaction.state.log.min.isr", 1)
                .setConfigProp("group.initial.rebalance.delay.ms", 0)
                .setConfigProp("auto.create.topics.enable", false)
                .build();
        cluster.format();
        cluster.startup();
        cluster.waitForReadyBrokers();
        try (Admin admin = admin()) {
            ConciergeTopics.createMissing(admin, (short) 1);
        }
    }

    /** Starts a broker of its own (not shared); the caller closes it. */
    public static EmbeddedKafka start() throws Exception {
        return new EmbeddedKafka(1);
    }

    /** The JVM's shared broker, started on first use. */
    public static synchronized EmbeddedKafka shared() {
        if (shared == null) {
            try {
                shared = new EmbeddedKafka(1);
            } catch (Exception e) {
                throw new IllegalStateException("cannot start the embedded Kafka broker", e);
            }
            EmbeddedKafka broker = shared;
            Runtime.getRuntime().addShutdownHook(new Thread(broker::close, "embedded-kafka-stop"));
        }
        return shared;
    }

    /**
     * Stops the shared broker, if one runs: called when the test run ends (see {@link SharedKafkaStop}), so that it
     * stops in order rather than racing other shutdown hooks at the JVM's exit.
     */
    public static synchronized void stopShared() {
        if (shared != null) {
            shared.close();
            shared = null;
        }
    }

    public String bootstrapServers() {
        return cluster.bootstrapServers();
    }

    public Admin admin() {
        return Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers()));
    }

    private boolean closed;

    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            cluster.close();
        } catch (Exception e) {
            // the JVM is going away; nothing more to do
        }
    }
}
