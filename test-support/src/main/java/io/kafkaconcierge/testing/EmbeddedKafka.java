package io.kafkaconcierge.testing;

import io.kafkaconcierge.contracts.ConciergeTopics;
import java.io.File;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ScramCredentialInfo;
import org.apache.kafka.clients.admin.ScramMechanism;
import org.apache.kafka.clients.admin.UserScramCredentialUpsertion;
import org.apache.kafka.common.acl.AccessControlEntryFilter;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.acl.AclBindingFilter;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.acl.AclPermissionType;
import org.apache.kafka.common.config.SaslConfigs;
import org.apache.kafka.common.errors.SaslAuthenticationException;
import org.apache.kafka.common.metadata.UserScramCredentialRecord;
import org.apache.kafka.common.resource.ResourcePatternFilter;
import org.apache.kafka.common.security.auth.SecurityProtocol;
import org.apache.kafka.common.security.scram.ScramCredential;
import org.apache.kafka.common.security.scram.internals.ScramFormatter;
import org.apache.kafka.common.test.KafkaClusterTestKit;
import org.apache.kafka.common.test.TestKitNodes;
import org.apache.kafka.common.utils.Exit;
import org.apache.kafka.common.utils.Utils;
import org.apache.kafka.metadata.authorizer.StandardAuthorizer;
import org.apache.kafka.metadata.bootstrap.BootstrapMetadata;
import org.apache.kafka.server.common.ApiMessageAndVersion;

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
        Exit.setHaltProcedure((status, message) ->
                System.err.printf("embedded Kafka asked to halt the JVM (%d): %s%n", status, message));
        Exit.setExitProcedure((status, message) ->
                System.err.printf("embedded Kafka asked to exit the JVM (%d): %s%n", status, message));
    }

    /** The secured broker's super user, bootstrapped with SCRAM when the storage is formatted. */
    public static final String ADMIN = "admin";
    /** The principal the broker uses towards its controller listener (PLAIN: KRaft controllers cannot use SCRAM). */
    private static final String CONTROLLER_USER = "controller";

    private static final String SCRAM = "SCRAM-SHA-512";
    private static final SecureRandom RANDOM = new SecureRandom();

    private final KafkaClusterTestKit cluster;
    private final Map<String, Object> adminSettings;

    private EmbeddedKafka(int brokers, boolean secured) throws Exception {
        String adminPassword = secured ? password() : null;
        TestKitNodes nodes = nodes(brokers, secured).build();
        if (secured) {
            // KIP-900: the super user's SCRAM credential goes into the bootstrap metadata, which the controller
            // writes when it starts on an empty log, as kafka-storage format --add-scram does
            List<ApiMessageAndVersion> records =
                    new ArrayList<>(nodes.bootstrapMetadata().records());
            records.add(scramRecord(ADMIN, adminPassword));
            Utils.delete(new File(nodes.baseDirectory()));
            nodes = nodes(brokers, true)
                    .setBootstrapMetadata(BootstrapMetadata.fromRecords(records, "concierge secured test broker"))
                    .build();
        }
        short rf = (short) Math.min(brokers, 3);
        KafkaClusterTestKit.Builder kit = new KafkaClusterTestKit.Builder(nodes)
                .setConfigProp("offsets.topic.replication.factor", rf)
                .setConfigProp("offsets.topic.num.partitions", 6)
                .setConfigProp("transaction.state.log.replication.factor", rf)
                .setConfigProp("transaction.state.log.min.isr", 1)
                .setConfigProp("group.initial.rebalance.delay.ms", 0)
                .setConfigProp("auto.create.topics.enable", false);
        if (secured) {
            String brokerListener = nodes.brokerListenerName().value().toLowerCase(Locale.ROOT);
            String controllerListener = nodes.controllerListenerName().value().toLowerCase(Locale.ROOT);
            String controllerPassword = password();
            kit.setConfigProp("sasl.enabled.mechanisms", SCRAM + ",PLAIN")
                    .setConfigProp("listener.name." + brokerListener + ".sasl.enabled.mechanisms", SCRAM)
                    .setConfigProp("listener.name." + controllerListener + ".sasl.enabled.mechanisms", "PLAIN")
                    .setConfigProp("sasl.mechanism.inter.broker.protocol", SCRAM)
                    .setConfigProp("sasl.mechanism.controller.protocol", "PLAIN")
                    .setConfigProp(
                            "listener.name." + brokerListener + ".scram-sha-512.sasl.jaas.config",
                            scramJaas(ADMIN, adminPassword))
                    .setConfigProp(
                            "listener.name." + controllerListener + ".plain.sasl.jaas.config",
                            "org.apache.kafka.common.security.plain.PlainLoginModule required username=\""
                                    + CONTROLLER_USER + "\" password=\"" + controllerPassword + "\" user_"
                                    + CONTROLLER_USER + "=\"" + controllerPassword + "\";")
                    .setConfigProp("authorizer.class.name", StandardAuthorizer.class.getName())
                    .setConfigProp(StandardAuthorizer.ALLOW_EVERYONE_IF_NO_ACL_IS_FOUND_CONFIG, "false")
                    .setConfigProp(StandardAuthorizer.SUPER_USERS_CONFIG, "User:" + ADMIN + ";User:" + CONTROLLER_USER);
        }
        cluster = kit.build();
        cluster.format();
        cluster.startup();
        cluster.waitForReadyBrokers();
        adminSettings = secured
                ? saslSettings(cluster.bootstrapServers(), ADMIN, adminPassword)
                : Map.of(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, cluster.bootstrapServers());
        try (Admin admin = admin()) {
            ConciergeTopics.createMissing(admin, (short) 1);
        }
    }

    private static TestKitNodes.Builder nodes(int brokers, boolean secured) {
        TestKitNodes.Builder builder = new TestKitNodes.Builder()
                .setCombined(true)
                .setNumBrokerNodes(brokers)
                .setNumControllerNodes(1);
        return secured
                ? builder.setBrokerSecurityProtocol(SecurityProtocol.SASL_PLAINTEXT)
                        .setControllerSecurityProtocol(SecurityProtocol.SASL_PLAINTEXT)
                : builder;
    }

    /**
     * Starts a broker of its own whose one listener is {@code SASL_PLAINTEXT} with SCRAM-SHA-512, with
     * {@code StandardAuthorizer} and {@code allow.everyone.if.no.acl.found=false}: only {@link #ADMIN} (a super user,
     * whose settings {@link #clientSettings()} gives) may do anything until {@link #addUser} makes users with ACLs.
     */
    public static EmbeddedKafka startSecured() throws Exception {
        return new EmbeddedKafka(1, true);
    }

    /**
     * Makes a SCRAM-SHA-512 user with a new password and exactly these ACLs (their principal must be
     * {@code User:<user>}); returns once the broker authenticates the user and applies the ACLs, with the client
     * settings that connect as that user.
     */
    public Map<String, Object> addUser(String user, Collection<AclBinding> acls) throws Exception {
        String password = password();
        long deadline = System.currentTimeMillis() + 30_000;
        try (Admin admin = admin()) {
            admin.alterUserScramCredentials(List.of(new UserScramCredentialUpsertion(
                            user, new ScramCredentialInfo(ScramMechanism.SCRAM_SHA_512, 8192), password)))
                    .all()
                    .get();
            if (!acls.isEmpty()) {
                admin.createAcls(acls).all().get();
            }
            // the broker answers describeAcls from the ACLs its authorizer holds
            AclBindingFilter mine = new AclBindingFilter(
                    ResourcePatternFilter.ANY,
                    new AccessControlEntryFilter("User:" + user, null, AclOperation.ANY, AclPermissionType.ANY));
            while (admin.describeAcls(mine).values().get().size() < acls.size()) {
                awaitUntil(deadline, "the ACLs of " + user + " to show");
            }
        }
        Map<String, Object> settings = saslSettings(bootstrapServers(), user, password);
        // the credential reaches the broker a moment after the controller took it
        while (true) {
            try (Admin asUser = Admin.create(settings)) {
                asUser.describeCluster().clusterId().get();
                return settings;
            } catch (ExecutionException e) {
                if (!(e.getCause() instanceof SaslAuthenticationException)) {
                    throw e;
                }
                awaitUntil(deadline, "the broker to authenticate " + user);
            }
        }
    }

    private static void awaitUntil(long deadline, String what) throws InterruptedException {
        if (System.currentTimeMillis() > deadline) {
            throw new IllegalStateException("waited 30 s for " + what);
        }
        TimeUnit.MILLISECONDS.sleep(50);
    }

    /** The client settings of a SCRAM-SHA-512 user over {@code SASL_PLAINTEXT}. */
    public static Map<String, Object> saslSettings(String bootstrapServers, String user, String password) {
        return Map.of(
                CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG,
                bootstrapServers,
                CommonClientConfigs.SECURITY_PROTOCOL_CONFIG,
                SecurityProtocol.SASL_PLAINTEXT.name,
                SaslConfigs.SASL_MECHANISM,
                SCRAM,
                SaslConfigs.SASL_JAAS_CONFIG,
                scramJaas(user, password));
    }

    private static String scramJaas(String user, String password) {
        return "org.apache.kafka.common.security.scram.ScramLoginModule required username=\"" + user + "\" password=\""
                + password + "\";";
    }

    private static ApiMessageAndVersion scramRecord(String user, String password) throws Exception {
        org.apache.kafka.common.security.scram.internals.ScramMechanism mechanism =
                org.apache.kafka.common.security.scram.internals.ScramMechanism.SCRAM_SHA_512;
        ScramCredential credential = new ScramFormatter(mechanism).generateCredential(password, 8192);
        return new ApiMessageAndVersion(
                new UserScramCredentialRecord()
                        .setName(user)
                        .setMechanism(mechanism.type())
                        .setSalt(credential.salt())
                        .setStoredKey(credential.storedKey())
                        .setServerKey(credential.serverKey())
                        .setIterations(credential.iterations()),
                (short) 0);
    }

    private static String password() {
        byte[] bytes = new byte[24];
        RANDOM.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    /** Starts a broker of its own (not shared); the caller closes it. */
    public static EmbeddedKafka start() throws Exception {
        return new EmbeddedKafka(1, false);
    }

    /** The JVM's shared broker, started on first use. */
    public static synchronized EmbeddedKafka shared() {
        if (shared == null) {
            try {
                shared = new EmbeddedKafka(1, false);
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

    /** The settings that connect as the super user ({@link #ADMIN} on a secured broker). */
    public Map<String, Object> clientSettings() {
        return adminSettings;
    }

    public Admin admin() {
        return Admin.create(clientSettings());
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
