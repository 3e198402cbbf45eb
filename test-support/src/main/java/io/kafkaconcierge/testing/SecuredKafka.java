package io.kafkaconcierge.testing;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.common.config.SaslConfigs;
import org.apache.kafka.common.utils.Time;

/**
 * A real KRaft Kafka node (combined broker and controller) in this JVM that authenticates every client with
 * SASL/SCRAM-SHA-512 and authorises with {@code StandardAuthorizer} ({@code allow.everyone.if.no.acl.found=false}):
 * what a production cluster the concierge manages users on looks like. The concierge's admin principal
 * ({@link #ADMIN}) is a super user whose SCRAM credential is bootstrapped at format time (KIP-900 {@code --add-scram});
 * the node talks to itself over a PLAIN listener of its own. Clients connect to {@link #bootstrapServers()}.
 */
public final class SecuredKafka implements AutoCloseable {

    /** The concierge's principal name on this cluster. */
    public static final String ADMIN = "concierge-admin";

    private final Path dir;
    private final String adminPassword = UUID.randomUUID().toString();
    private final int port;
    /** A {@code kafka.server.KafkaRaftServer}, reached by reflection (its config classes are not on the compile path). */
    private final Object server;

    private SecuredKafka() throws Exception {
        dir = Files.createTempDirectory("secured-kafka-");
        port = freePort();
        int internal = freePort();
        int controller = freePort();
        String nodePassword = UUID.randomUUID().toString();
        String plain = "org.apache.kafka.common.security.plain.PlainLoginModule required username=\"node\" password=\""
                + nodePassword + "\" user_node=\"" + nodePassword + "\";";
        Properties p = new Properties();
        p.put("process.roles", "broker,controller");
        p.put("node.id", "1");
        p.put("controller.quorum.voters", "1@127.0.0.1:" + controller);
        p.put(
                "listeners",
                "CLIENT://127.0.0.1:" + port + ",INTERNAL://127.0.0.1:" + internal + ",CONTROLLER://127.0.0.1:"
                        + controller);
        p.put("advertised.listeners", "CLIENT://127.0.0.1:" + port + ",INTERNAL://127.0.0.1:" + internal);
        p.put(
                "listener.security.protocol.map",
                "CLIENT:SASL_PLAINTEXT,INTERNAL:SASL_PLAINTEXT,CONTROLLER:SASL_PLAINTEXT");
        p.put("inter.broker.listener.name", "INTERNAL");
        p.put("controller.listener.names", "CONTROLLER");
        p.put("sasl.enabled.mechanisms", "SCRAM-SHA-512,PLAIN");
        p.put("listener.name.client.sasl.enabled.mechanisms", "SCRAM-SHA-512");
        p.put("listener.name.internal.sasl.enabled.mechanisms", "PLAIN");
        p.put("listener.name.controller.sasl.enabled.mechanisms", "PLAIN");
        p.put("sasl.mechanism.inter.broker.protocol", "PLAIN");
        p.put("sasl.mechanism.controller.protocol", "PLAIN");
        p.put(
                "listener.name.client.scram-sha-512.sasl.jaas.config",
                "org.apache.kafka.common.security.scram.ScramLoginModule required;");
        p.put("listener.name.internal.plain.sasl.jaas.config", plain);
        p.put("listener.name.controller.plain.sasl.jaas.config", plain);
        p.put("authorizer.class.name", "org.apache.kafka.metadata.authorizer.StandardAuthorizer");
        p.put("allow.everyone.if.no.acl.found", "false");
        p.put("super.users", "User:node;User:" + ADMIN);
        p.put("log.dirs", dir.resolve("data").toString());
        p.put("offsets.topic.replication.factor", "1");
        p.put("offsets.topic.num.partitions", "3");
        p.put("transaction.state.log.replication.factor", "1");
        p.put("transaction.state.log.min.isr", "1");
        p.put("share.coordinator.state.topic.replication.factor", "1");
        p.put("share.coordinator.state.topic.min.isr", "1");
        p.put("group.initial.rebalance.delay.ms", "0");
        p.put("auto.create.topics.enable", "false");
        Path file = dir.resolve("server.properties");
        try (OutputStream out = Files.newOutputStream(file)) {
            p.store(out, "secured test node");
        }
        ByteArrayOutputStream formatOutput = new ByteArrayOutputStream();
        int code = kafka.tools.StorageTool.execute(
                new String[] {
                    "format",
                    "-t",
                    org.apache.kafka.common.Uuid.randomUuid().toString(),
                    "-c",
                    file.toString(),
                    "--add-scram",
                    "SCRAM-SHA-512=[name=" + ADMIN + ",password=" + adminPassword + "]"
                },
                new PrintStream(formatOutput, true, StandardCharsets.UTF_8));
        if (code != 0) {
            throw new IllegalStateException("formatting the secured node failed: " + formatOutput);
        }
        Class<?> configClass = Class.forName("kafka.server.KafkaConfig");
        Object config = configClass
                .getMethod("fromProps", Properties.class, boolean.class)
                .invoke(null, p, false);
        server = Class.forName("kafka.server.KafkaRaftServer")
                .getConstructor(configClass, Time.class)
                .newInstance(config, Time.SYSTEM);
        server.getClass().getMethod("startup").invoke(server);
        awaitReady();
    }

    /** Starts a node of its own; the caller closes it. */
    public static SecuredKafka start() {
        try {
            return new SecuredKafka();
        } catch (Exception e) {
            throw new IllegalStateException("cannot start the secured Kafka node", e);
        }
    }

    public String bootstrapServers() {
        return "127.0.0.1:" + port;
    }

    /** Client settings of a SCRAM-SHA-512 user of this cluster (the bootstrap servers included). */
    public Map<String, Object> clientSettings(String user, String password) {
        Map<String, Object> props = new HashMap<>(securitySettings(user, password));
        props.put(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers());
        return props;
    }

    /** The security settings of a SCRAM-SHA-512 user (no address): what the concierge is configured with. */
    public static Map<String, String> securitySettings(String user, String password) {
        return Map.of(
                CommonClientConfigs.SECURITY_PROTOCOL_CONFIG,
                "SASL_PLAINTEXT",
                SaslConfigs.SASL_MECHANISM,
                "SCRAM-SHA-512",
                SaslConfigs.SASL_JAAS_CONFIG,
                "org.apache.kafka.common.security.scram.ScramLoginModule required " + "username=\"" + user
                        + "\" password=\"" + password + "\";");
    }

    /** The concierge's own admin principal's password (a super user). */
    public String adminPassword() {
        return adminPassword;
    }

    /** An Admin client as the concierge's super user. */
    public Admin admin() {
        return Admin.create(clientSettings(ADMIN, adminPassword));
    }

    private void awaitReady() throws Exception {
        Instant deadline = Instant.now().plus(Duration.ofSeconds(60));
        Exception last = null;
        while (Instant.now().isBefore(deadline)) {
            try (Admin admin = admin()) {
                if (!admin.describeCluster().nodes().get(5, TimeUnit.SECONDS).isEmpty()) {
                    return;
                }
            } catch (Exception e) {
                last = e;
            }
            TimeUnit.MILLISECONDS.sleep(200);
        }
        throw new IllegalStateException("the secured node did not come up", last);
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    @Override
    public void close() {
        try {
            server.getClass().getMethod("shutdown").invoke(server);
            server.getClass().getMethod("awaitShutdown").invoke(server);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("cannot stop the secured Kafka node", e);
        } finally {
            try (Stream<Path> paths = Files.walk(dir)) {
                paths.sorted(Comparator.reverseOrder())
                        .forEach(path -> path.toFile().delete());
            } catch (IOException e) {
                // a temp folder left behind is not worth failing a test for
            }
        }
    }
}
