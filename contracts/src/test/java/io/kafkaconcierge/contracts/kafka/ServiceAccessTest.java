package io.kafkaconcierge.contracts.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import io.kafkaconcierge.contracts.ConciergeTopics;
import java.util.List;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.acl.AclPermissionType;
import org.apache.kafka.common.resource.PatternType;
import org.apache.kafka.common.resource.ResourceType;
import org.junit.jupiter.api.Test;

class ServiceAccessTest {

    private static List<String> writersOf(String topic) {
        return ServiceAccess.ALL.stream()
                .filter(g -> g.writes().contains(topic))
                .map(ServiceAccess.Grant::service)
                .toList();
    }

    private static List<String> readersOf(String topic) {
        return ServiceAccess.ALL.stream()
                .filter(g -> g.reads().contains(topic))
                .map(ServiceAccess.Grant::service)
                .toList();
    }

    @Test
    void letsOnlyTheApiWriteCommands() {
        assertThat(writersOf(ConciergeTopics.REQUESTS)).containsExactly("concierge-api");
    }

    @Test
    void letsOnlyTheProvisionerWriteClustersAndDeadCommands() {
        assertThat(writersOf(ConciergeTopics.CLUSTERS)).containsExactly("provisioner");
        assertThat(writersOf(ConciergeTopics.REQUESTS_DLQ)).containsExactly("provisioner");
    }

    @Test
    void keepsTheSubscriptionsAndTheirSecretsToTheNotifier() {
        assertThat(readersOf(ConciergeTopics.SUBSCRIPTIONS)).containsExactly("notifier");
        assertThat(writersOf(ConciergeTopics.SUBSCRIPTIONS)).containsExactly("notifier");
        assertThat(writersOf(ConciergeTopics.DELIVERIES)).containsExactly("notifier");
        assertThat(writersOf(ConciergeTopics.NOTIFIER_DLQ)).containsExactly("notifier");
    }

    @Test
    void givesEveryConciergeTopicAWriter() {
        for (ConciergeTopics.Layout layout : ConciergeTopics.LAYOUT) {
            assertThat(writersOf(layout.name())).as(layout.name()).isNotEmpty();
        }
    }

    @Test
    void letsTheProvisionerManageUserTopicsButNeverTheConciergesOwn() {
        var acls = ServiceAccess.PROVISIONER.acls();
        assertThat(acls).anySatisfy(a -> {
            assertThat(a.pattern().name()).isEqualTo("*");
            assertThat(a.entry().operation()).isEqualTo(AclOperation.DELETE);
            assertThat(a.entry().permissionType()).isEqualTo(AclPermissionType.ALLOW);
        });
        for (AclOperation op :
                List.of(AclOperation.CREATE, AclOperation.DELETE, AclOperation.ALTER, AclOperation.ALTER_CONFIGS)) {
            assertThat(acls).as(op.name()).anySatisfy(a -> {
                assertThat(a.pattern().resourceType()).isEqualTo(ResourceType.TOPIC);
                assertThat(a.pattern().patternType()).isEqualTo(PatternType.PREFIXED);
                assertThat(a.pattern().name()).isEqualTo(ServiceAccess.OWN_PREFIX);
                assertThat(a.entry().operation()).isEqualTo(op);
                assertThat(a.entry().permissionType()).isEqualTo(AclPermissionType.DENY);
            });
        }
        // nobody else may create, delete or alter anything
        assertThat(ServiceAccess.CONCIERGE_API.acls())
                .extracting(a -> a.entry().operation())
                .containsOnly(AclOperation.READ, AclOperation.WRITE, AclOperation.DESCRIBE);
        assertThat(ServiceAccess.NOTIFIER.acls())
                .extracting(a -> a.entry().operation())
                .containsOnly(AclOperation.READ, AclOperation.WRITE, AclOperation.DESCRIBE);
    }
}
