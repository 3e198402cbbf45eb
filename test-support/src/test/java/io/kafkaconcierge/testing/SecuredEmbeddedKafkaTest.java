package io.kafkaconcierge.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kafkaconcierge.contracts.ConciergeTopics;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.acl.AccessControlEntry;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.acl.AclPermissionType;
import org.apache.kafka.common.config.SaslConfigs;
import org.apache.kafka.common.errors.SaslAuthenticationException;
import org.apache.kafka.common.errors.TopicAuthorizationException;
import org.apache.kafka.common.resource.PatternType;
import org.apache.kafka.common.resource.ResourcePattern;
import org.apache.kafka.common.resource.ResourceType;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class SecuredEmbeddedKafkaTest {

    private static EmbeddedKafka kafka;

    @BeforeAll
    static void start() throws Exception {
        kafka = EmbeddedKafka.startSecured();
    }

    @AfterAll
    static void stop() {
        kafka.close();
    }

    @Test
    void letsTheBootstrappedAdminDoAnything() {
        KafkaTestClient admin = new KafkaTestClient(kafka.clientSettings());
        admin.send(ConciergeTopics.REQUESTS, "k", "v", Map.of());
        assertThat(admin.records(ConciergeTopics.REQUESTS)).anyMatch(r -> "k".equals(r.key()));
    }

    @Test
    void letsAUserDoWhatItsAclsAllowAndNothingElse() throws Exception {
        Map<String, Object> writer = kafka.addUser(
                "writer",
                List.of(new AclBinding(
                        new ResourcePattern(ResourceType.TOPIC, ConciergeTopics.AUDIT, PatternType.LITERAL),
                        new AccessControlEntry("User:writer", "*", AclOperation.WRITE, AclPermissionType.ALLOW))));
        new KafkaTestClient(writer).send(ConciergeTopics.AUDIT, "allowed", "v", Map.of());
        assertThatThrownBy(() -> new KafkaTestClient(writer).send(ConciergeTopics.CLUSTERS, "refused", "v", Map.of()))
                .hasRootCauseInstanceOf(TopicAuthorizationException.class);
        assertThatThrownBy(() -> new KafkaTestClient(writer).records(ConciergeTopics.AUDIT))
                .isInstanceOf(TopicAuthorizationException.class);
    }

    @Test
    void refusesAWrongPassword() throws Exception {
        Map<String, Object> user = new HashMap<>(kafka.addUser("someone", List.of()));
        user.put(
                SaslConfigs.SASL_JAAS_CONFIG,
                "org.apache.kafka.common.security.scram.ScramLoginModule required"
                        + " username=\"someone\" password=\"not-the-password\";");
        user.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, 5_000);
        assertThatThrownBy(() -> new KafkaTestClient(user).send(ConciergeTopics.AUDIT, "k", "v", Map.of()))
                .hasRootCauseInstanceOf(SaslAuthenticationException.class);
    }

    @Test
    void refusesAClientWithoutCredentials() {
        try (Admin anonymous = Admin.create(Map.of(
                CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG,
                kafka.bootstrapServers(),
                AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG,
                3_000,
                AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG,
                2_000))) {
            assertThatThrownBy(() -> anonymous.listTopics().names().get()).isNotNull();
        }
    }
}
