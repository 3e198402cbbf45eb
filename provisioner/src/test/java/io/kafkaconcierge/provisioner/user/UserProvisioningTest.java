package io.kafkaconcierge.provisioner.user;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.kafkaconcierge.contracts.CloudEvents;
import io.kafkaconcierge.contracts.ConciergeTopics;
import io.kafkaconcierge.contracts.Json;
import io.kafkaconcierge.contracts.Operation;
import io.kafkaconcierge.contracts.RequestCommand;
import io.kafkaconcierge.contracts.RequestState;
import io.kafkaconcierge.contracts.StatusEvent;
import io.kafkaconcierge.contracts.TopicSpec;
import io.kafkaconcierge.contracts.TopicSpec.UserAccess;
import io.kafkaconcierge.contracts.UserSpec;
import io.kafkaconcierge.contracts.UserSpec.Access;
import io.kafkaconcierge.contracts.UserSpec.Grant;
import io.kafkaconcierge.contracts.UserSpec.PatternType;
import io.kafkaconcierge.contracts.UserSpec.Quotas;
import io.kafkaconcierge.contracts.secrets.Passwords;
import io.kafkaconcierge.contracts.secrets.SecretBox;
import io.kafkaconcierge.testing.EmbeddedKafka;
import io.kafkaconcierge.testing.KafkaTestClient;
import io.kafkaconcierge.testing.SecuredKafka;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.quarkus.test.junit.QuarkusTest;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.acl.AccessControlEntryFilter;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.acl.AclBindingFilter;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.acl.AclPermissionType;
import org.apache.kafka.common.errors.AuthenticationException;
import org.apache.kafka.common.errors.TopicAuthorizationException;
import org.apache.kafka.common.quota.ClientQuotaEntity;
import org.apache.kafka.common.quota.ClientQuotaFilter;
import org.apache.kafka.common.quota.ClientQuotaFilterComponent;
import org.apache.kafka.common.resource.ResourcePattern;
import org.apache.kafka.common.resource.ResourcePatternFilter;
import org.apache.kafka.common.resource.ResourceType;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Users on a registered cluster that authenticates with SCRAM-SHA-512 and authorises with StandardAuthorizer: the
 * provisioner sets the credential, ACLs and quotas, and a real Kafka client then logs in with the password.
 */
@QuarkusTest
@QuarkusTestResource(value = UserProvisioningTest.SecuredCluster.class, restrictToAnnotatedClass = true)
class UserProvisioningTest {

    static final String KEY = Base64.getEncoder().encodeToString(new byte[] {
        1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30,
        31, 32
    });
    private static final Duration WAIT = Duration.ofSeconds(60);
    private static SecuredKafka secured;
    private static Admin admin;

    private final KafkaTestClient kafka =
            new KafkaTestClient(EmbeddedKafka.shared().bootstrapServers());
    private final SecretBox box = new SecretBox(Optional.of(KEY), "test");

    /** The concierge's own Kafka (plain) and a registered cluster {@code secured} with SASL and ACLs. */
    public static class SecuredCluster implements QuarkusTestResourceLifecycleManager {
        @Override
        public Map<String, String> start() {
            secured = SecuredKafka.start();
            Map<String, String> config = new HashMap<>();
            config.put("kafka.bootstrap.servers", EmbeddedKafka.shared().bootstrapServers());
            config.put("concierge.secrets.key", KEY);
            config.put("concierge.provisioner.clusters.secured.bootstrap-servers", secured.bootstrapServers());
            SecuredKafka.securitySettings(SecuredKafka.ADMIN, secured.adminPassword())
                    .forEach(
                            (k, v) -> config.put("concierge.provisioner.clusters.secured.properties.\"" + k + "\"", v));
            return config;
        }

        @Override
        public void stop() {
            secured.close();
        }
    }

    @BeforeAll
    static void topics() throws Exception {
        admin = secured.admin();
        admin.createTopics(List.of(
                        new NewTopic("payments.orders", 1, (short) 1),
                        new NewTopic("payments.refunds", 1, (short) 1),
                        new NewTopic("analytics.clicks", 1, (short) 1)))
                .all()
                .get();
    }

    @AfterAll
    static void closeAdmin() {
        admin.close();
    }

    private static UserSpec writer(String name, Quotas quotas) {
        return new UserSpec(
                "secured",
                name,
                "payments",
                List.of(new Grant(
                        "payments.orders", PatternType.LITERAL, List.of(Access.PRODUCE), null, null, null, null, null)),
                quotas,
                null);
    }

    private RequestCommand send(Operation operation, UserSpec user, String password) {
        RequestCommand c = RequestCommand.user(
                UUID.randomUUID().toString(),
                operation,
                user,
                password == null ? null : box.seal(password),
                null,
                "0".repeat(64),
                Instant.now());
        kafka.send(ConciergeTopics.REQUESTS, c.resource().key(), new String(Json.write(c)), Map.of());
        return c;
    }

    private StatusEvent awaitOutcome(RequestCommand c) {
        List<StatusEvent> outcome = new ArrayList<>();
        await().atMost(WAIT).untilAsserted(() -> {
            outcome.clear();
            kafka.records(ConciergeTopics.EVENTS, c.resource().key()).stream()
                    .filter(r -> KafkaTestClient.header(r, CloudEvents.H_ID).startsWith(c.requestId() + "."))
                    .map(r -> Json.read(r.value().getBytes(), StatusEvent.class))
                    .filter(e -> e.state().terminal())
                    .forEach(outcome::add);
            assertThat(outcome).isNotEmpty();
        });
        return outcome.get(0);
    }

    private void produce(String user, String password, String topic) throws Exception {
        Map<String, Object> props = secured.clientSettings(user, password);
        props.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, 10_000);
        props.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 10_000);
        props.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, 5_000);
        try (KafkaProducer<String, String> producer =
                new KafkaProducer<>(props, new StringSerializer(), new StringSerializer())) {
            producer.send(new ProducerRecord<>(topic, "k", "v")).get(15, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            throw (Exception) e.getCause();
        }
    }

    private static AclBindingFilter aclsOf(String user) {
        return new AclBindingFilter(
                ResourcePatternFilter.ANY,
                new AccessControlEntryFilter("User:" + user, null, AclOperation.ANY, AclPermissionType.ANY));
    }

    @Test
    void shouldRefuseAUserNamedAsTheConciergesOwnLoginAndKeepThatLoginWorking() throws Exception {
        RequestCommand c = send(Operation.CREATE, writer(SecuredKafka.ADMIN, null), "a-password-of-its-own");
        StatusEvent outcome = awaitOutcome(c);
        assertThat(outcome.state()).isEqualTo(RequestState.FAILED);
        assertThat(outcome.reason()).isEqualTo(io.kafkaconcierge.contracts.FailureReason.INVALID_SPEC);
        assertThat(outcome.message()).contains("the concierge itself logs in with");
        try (Admin asBefore = secured.admin()) {
            assertThat(asBefore.describeCluster().nodes().get()).isNotEmpty();
        }
    }

    @Test
    void makesAUserThatProducesWhereGrantedOnlyRotatesAndLeavesNothingWhenDeleted() throws Exception {
        String name = "payments-writer-" + UUID.randomUUID().toString().substring(0, 6);
        String first = Passwords.generate();
        RequestCommand create = send(Operation.CREATE, writer(name, new Quotas(1_048_576L, null, 50.0)), first);
        assertThat(awaitOutcome(create).state()).isEqualTo(RequestState.READY);

        produce(name, first, "payments.orders");
        assertThatThrownBy(() -> produce(name, first, "payments.refunds"))
                .isInstanceOf(TopicAuthorizationException.class);
        assertThatThrownBy(() -> produce(name, first, "analytics.clicks"))
                .isInstanceOf(TopicAuthorizationException.class);
        Map<String, Double> quotas = admin.describeClientQuotas(ClientQuotaFilter.containsOnly(
                        List.of(ClientQuotaFilterComponent.ofEntity(ClientQuotaEntity.USER, name))))
                .entities()
                .get()
                .values()
                .iterator()
                .next();
        assertThat(quotas)
                .containsEntry("producer_byte_rate", 1_048_576.0)
                .containsEntry("request_percentage", 50.0)
                .doesNotContainKey("consumer_byte_rate");

        String second = Passwords.generate();
        RequestCommand rotate = send(Operation.UPDATE, writer(name, null), second);
        assertThat(awaitOutcome(rotate).state()).isEqualTo(RequestState.READY);
        assertThatThrownBy(() -> produce(name, first, "payments.orders")).isInstanceOf(AuthenticationException.class);
        produce(name, second, "payments.orders");
        assertThat(admin.describeClientQuotas(ClientQuotaFilter.containsOnly(
                                List.of(ClientQuotaFilterComponent.ofEntity(ClientQuotaEntity.USER, name))))
                        .entities()
                        .get())
                .isEmpty();

        RequestCommand delete = send(Operation.DELETE, writer(name, null), null);
        assertThat(awaitOutcome(delete).state()).isEqualTo(RequestState.DELETED);
        assertThat(admin.describeAcls(aclsOf(name)).values().get()).isEmpty();
        assertThat(admin.describeUserScramCredentials().users().get()).doesNotContain(name);
        assertThatThrownBy(() -> produce(name, second, "payments.orders")).isInstanceOf(AuthenticationException.class);

        // neither password is in clear in any record of the concierge's topics
        for (String topic : List.of(ConciergeTopics.REQUESTS, ConciergeTopics.EVENTS, ConciergeTopics.AUDIT)) {
            for (ConsumerRecord<String, String> r : kafka.records(topic)) {
                assertThat(r.value()).as(topic).doesNotContain(first).doesNotContain(second);
            }
        }
    }

    @Test
    void changesGrantsByAddingTheNewAclsAndRemovingOnlyTheOldOnes() throws Exception {
        String name = "payments-reader-" + UUID.randomUUID().toString().substring(0, 6);
        String password = Passwords.generate();
        UserSpec reader = new UserSpec(
                "secured",
                name,
                "payments",
                List.of(new Grant(
                        "payments.",
                        PatternType.PREFIXED,
                        List.of(Access.CONSUME),
                        "payments-reader",
                        PatternType.PREFIXED,
                        null,
                        null,
                        null)),
                null,
                null);
        assertThat(awaitOutcome(send(Operation.CREATE, reader, password)).state())
                .isEqualTo(RequestState.READY);
        assertThat(admin.describeAcls(aclsOf(name)).values().get()).hasSize(3);

        UserSpec writerToo = new UserSpec(
                "secured",
                name,
                "payments",
                List.of(new Grant(
                        "payments.orders",
                        PatternType.LITERAL,
                        List.of(Access.PRODUCE, Access.DESCRIBE),
                        null,
                        null,
                        "payments-tx",
                        PatternType.LITERAL,
                        true)),
                null,
                null);
        assertThat(awaitOutcome(send(Operation.UPDATE, writerToo, null)).state())
                .isEqualTo(RequestState.READY);
        assertThat(admin.describeAcls(aclsOf(name)).values().get())
                .extracting(b -> b.entry().operation())
                .containsExactlyInAnyOrder(
                        AclOperation.WRITE,
                        AclOperation.DESCRIBE,
                        AclOperation.DESCRIBE_CONFIGS,
                        AclOperation.WRITE,
                        AclOperation.DESCRIBE,
                        AclOperation.IDEMPOTENT_WRITE);
        produce(name, password, "payments.orders");

        assertThat(awaitOutcome(send(Operation.DELETE, writerToo, null)).state())
                .isEqualTo(RequestState.DELETED);
        assertThat(admin.describeAcls(aclsOf(name)).values().get()).isEmpty();
    }

    @Test
    void givesAccessWithATopicAndIsReadyOnlyOnceTheTopicAndItsAclsAreInForce() throws Exception {
        String suffix = UUID.randomUUID().toString().substring(0, 6);
        String writerName = "orders-writer-" + suffix;
        String readerName = "orders-reader-" + suffix;
        String password = Passwords.generate();
        UserSpec writerUser = new UserSpec("secured", writerName, "payments", List.of(), null, null);
        assertThat(awaitOutcome(send(Operation.CREATE, writerUser, password)).state())
                .isEqualTo(RequestState.READY);
        UserSpec readerUser = new UserSpec("secured", readerName, "payments", List.of(), null, null);
        assertThat(awaitOutcome(send(Operation.CREATE, readerUser, Passwords.generate()))
                        .state())
                .isEqualTo(RequestState.READY);

        String topic = "payments.shipments-" + suffix;
        TopicSpec spec = new TopicSpec(
                "secured",
                topic,
                1,
                (short) 1,
                Map.of(),
                "payments",
                null,
                List.of(
                        new UserAccess(writerName, List.of(Access.PRODUCE), null, null, null, null, null),
                        new UserAccess(
                                readerName, List.of(Access.CONSUME), "shipments-" + suffix, null, null, null, null)));
        RequestCommand create = new RequestCommand(
                UUID.randomUUID().toString(),
                Operation.CREATE,
                spec.ref(),
                spec,
                null,
                null,
                "0".repeat(64),
                Instant.now());
        kafka.send(ConciergeTopics.REQUESTS, create.resource().key(), new String(Json.write(create)), Map.of());

        StatusEvent ready = awaitOutcome(create);
        assertThat(ready.state()).isEqualTo(RequestState.READY);
        assertThat(ready.spec().access()).extracting(UserAccess::user).containsExactly(writerName, readerName);
        // READY means both: the topic is there and the ACLs are in force, so the writer produces right away
        assertThat(admin.listTopics().names().get()).contains(topic);
        ResourcePattern onTopic =
                new ResourcePattern(ResourceType.TOPIC, topic, org.apache.kafka.common.resource.PatternType.LITERAL);
        assertThat(admin.describeAcls(aclsOf(writerName)).values().get())
                .extracting(AclBinding::pattern, b -> b.entry().operation())
                .containsExactlyInAnyOrder(
                        org.assertj.core.groups.Tuple.tuple(onTopic, AclOperation.WRITE),
                        org.assertj.core.groups.Tuple.tuple(onTopic, AclOperation.DESCRIBE));
        assertThat(admin.describeAcls(aclsOf(readerName)).values().get())
                .extracting(AclBinding::pattern, b -> b.entry().operation())
                .containsExactlyInAnyOrder(
                        org.assertj.core.groups.Tuple.tuple(onTopic, AclOperation.READ),
                        org.assertj.core.groups.Tuple.tuple(onTopic, AclOperation.DESCRIBE),
                        org.assertj.core.groups.Tuple.tuple(
                                new ResourcePattern(
                                        ResourceType.GROUP,
                                        "shipments-" + suffix,
                                        org.apache.kafka.common.resource.PatternType.LITERAL),
                                AclOperation.READ));
        produce(writerName, password, topic);
        assertThatThrownBy(() -> produce(writerName, password, "payments.orders"))
                .isInstanceOf(TopicAuthorizationException.class);

        // the access is the user's grant from then on: a later change of the user that carries it (as the API's
        // PATCH does, from the user's grants with the topic's access merged in) keeps its ACLs
        UserSpec withGrant = new UserSpec(
                "secured",
                writerName,
                "payments",
                List.of(spec.access().get(0).grant(topic)),
                new Quotas(1_048_576L, null, null),
                null);
        assertThat(awaitOutcome(send(Operation.UPDATE, withGrant, null)).state())
                .isEqualTo(RequestState.READY);
        assertThat(admin.describeAcls(aclsOf(writerName)).values().get()).hasSize(2);
        produce(writerName, password, topic);

        // and a deleted user leaves no ACL, the ones given with the topic included
        assertThat(awaitOutcome(send(Operation.DELETE, withGrant, null)).state())
                .isEqualTo(RequestState.DELETED);
        assertThat(admin.describeAcls(aclsOf(writerName)).values().get()).isEmpty();
        assertThat(awaitOutcome(send(Operation.DELETE, readerUser, null)).state())
                .isEqualTo(RequestState.DELETED);
        assertThat(admin.describeAcls(aclsOf(readerName)).values().get()).isEmpty();
    }
}
