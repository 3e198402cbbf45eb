package io.kafkaconcierge.api.rest;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.everyItem;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;

import io.kafkaconcierge.contracts.ClusterInfo;
import io.kafkaconcierge.contracts.ConciergeTopics;
import io.kafkaconcierge.contracts.Json;
import io.kafkaconcierge.contracts.RequestCommand;
import io.kafkaconcierge.contracts.kafka.ServiceAccess;
import io.kafkaconcierge.contracts.kafka.UserAcls;
import io.kafkaconcierge.testing.EmbeddedKafka;
import io.kafkaconcierge.testing.KafkaTestClient;
import io.kafkaconcierge.testing.SecuredKafka;
import io.kafkaconcierge.testing.TestIdentity;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ScramCredentialInfo;
import org.apache.kafka.clients.admin.ScramMechanism;
import org.apache.kafka.clients.admin.UserScramCredentialUpsertion;
import org.apache.kafka.common.acl.AccessControlEntry;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.acl.AclPermissionType;
import org.apache.kafka.common.resource.PatternType;
import org.apache.kafka.common.resource.ResourcePattern;
import org.apache.kafka.common.resource.ResourceType;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The drift report against a real secured cluster (SCRAM, StandardAuthorizer): a stray ACL and a stray SCRAM user
 * are reported; the ACLs and credentials of concierge users and of the concierge's own services are not. Clusters
 * that cannot be compared answer a problem, never an empty report.
 */
@QuarkusTest
@QuarkusTestResource(value = AclDriftTest.WithSecuredCluster.class, restrictToAnnotatedClass = true)
class AclDriftTest {

    static {
        TestIdentity.restAssuredAsAdmin();
    }

    private static SecuredKafka secured;
    private static final String PAYMENTS = TestIdentity.bearer(TestIdentity.member("pat", "payments"));
    private final KafkaTestClient kafka =
            new KafkaTestClient(EmbeddedKafka.shared().bootstrapServers());

    /** The API's resources, plus the registered clusters "secured" (with the API's credentials) and "gone". */
    public static class WithSecuredCluster extends ApiKafkaResource {
        @Override
        public Map<String, String> start() {
            Map<String, String> config = new HashMap<>(super.start());
            secured = SecuredKafka.start();
            KafkaTestClient client = new KafkaTestClient(EmbeddedKafka.shared().bootstrapServers());
            client.send(
                    ConciergeTopics.CLUSTERS,
                    "secured",
                    new String(Json.write(
                            new ClusterInfo("secured", secured.bootstrapServers(), 1, true, null, Instant.now()))),
                    Map.of());
            client.send(
                    ConciergeTopics.CLUSTERS,
                    "gone",
                    new String(Json.write(
                            new ClusterInfo("gone", "127.0.0.1:1", 0, false, "connection refused", Instant.now()))),
                    Map.of());
            SecuredKafka.securitySettings(SecuredKafka.ADMIN, secured.adminPassword())
                    .forEach((k, v) -> config.put("concierge.api.guard.clusters.secured.\"" + k + "\"", v));
            return config;
        }

        @Override
        public void stop() {
            secured.close();
            super.stop();
        }
    }

    @BeforeEach
    void waitUntilReady() {
        await().atMost(Duration.ofSeconds(30))
                .until(() -> given().get("/q/health/ready").statusCode() == 200);
    }

    private static AclBinding allow(String user, ResourceType type, String name, AclOperation op) {
        return new AclBinding(
                new ResourcePattern(type, name, PatternType.LITERAL),
                new AccessControlEntry("User:" + user, "*", op, AclPermissionType.ALLOW));
    }

    private static void scram(Admin admin, String user) throws Exception {
        admin.alterUserScramCredentials(List.of(new UserScramCredentialUpsertion(
                        user,
                        new ScramCredentialInfo(ScramMechanism.SCRAM_SHA_512, 8192),
                        UUID.randomUUID().toString())))
                .all()
                .get();
    }

    @Test
    void reportsTheStrayAclAndScramUserButNotConciergeUsersOrItsOwnServices() throws Exception {
        String suffix = UUID.randomUUID().toString().substring(0, 6);
        String member = "payments-writer-" + suffix;
        given().header("Authorization", PAYMENTS)
                .header(TestIdentity.NO_DEFAULT_TOKEN, "true")
                .contentType(ContentType.JSON)
                .body("""
                        {"cluster": "secured", "name": "%s", "owner": "payments",
                         "grants": [{"topic": "payments.orders", "operations": ["produce"]}]}""".formatted(member))
                .post("/api/v1/users")
                .then()
                .statusCode(202);
        List<org.apache.kafka.clients.consumer.ConsumerRecord<String, String>> records =
                kafka.records(ConciergeTopics.REQUESTS, "user:secured/" + member);
        RequestCommand command =
                Json.read(records.get(records.size() - 1).value().getBytes(), RequestCommand.class);

        String stray = "legacy-app-" + suffix;
        AclBinding strayAcl = allow(stray, ResourceType.TOPIC, "payments.orders", AclOperation.WRITE);
        AclBinding extraOfMember = allow(member, ResourceType.TOPIC, "analytics.clicks", AclOperation.READ);
        try (Admin admin = secured.admin()) {
            // what the provisioner makes for the concierge user, one ACL more by hand, the concierge's own service,
            // and a user nobody in the concierge knows
            scram(admin, member);
            List<AclBinding> acls = new ArrayList<>(UserAcls.of(command.user()));
            acls.add(extraOfMember);
            acls.addAll(ServiceAccess.CONCIERGE_API.acls());
            acls.add(strayAcl);
            admin.createAcls(acls).all().get();
            scram(admin, ServiceAccess.CONCIERGE_API.user());
            scram(admin, stray);
        }

        await().atMost(Duration.ofSeconds(30))
                .untilAsserted(() -> given().get("/api/v1/clusters/secured/acls/drift")
                        .then()
                        .statusCode(200)
                        .body("cluster", equalTo("secured"))
                        .body("acls.principal", hasItem("User:" + stray))
                        .body("scramUsers.name", hasItem(stray)));
        given().get("/api/v1/clusters/secured/acls/drift")
                .then()
                .statusCode(200)
                .body("acls.findAll { it.principal == 'User:" + stray + "' }.size()", equalTo(1))
                .body("acls.find { it.principal == 'User:" + stray + "' }.resourceName", equalTo("payments.orders"))
                .body("acls.find { it.principal == 'User:" + stray + "' }.operation", equalTo("WRITE"))
                .body(
                        "acls.find { it.principal == 'User:" + stray + "' }.reason",
                        equalTo("no concierge user '" + stray + "' on this cluster"))
                // the concierge user's own ACLs are accounted for; the one its grants do not give is not
                .body(
                        "acls.findAll { it.principal == 'User:" + member + "' }.resourceName",
                        equalTo(List.of("analytics.clicks")))
                .body(
                        "acls.find { it.principal == 'User:" + member + "' }.reason",
                        equalTo("not given by the grants of concierge user '" + member + "'"))
                .body("acls.principal", everyItem(not(equalTo(ServiceAccess.CONCIERGE_API.principal()))))
                .body("scramUsers.name", not(hasItem(member)))
                .body("scramUsers.name", not(hasItem(ServiceAccess.CONCIERGE_API.user())))
                .body("scramUsers.name", not(hasItem(SecuredKafka.ADMIN)))
                .body("ownPrincipals", hasItem("User:" + SecuredKafka.ADMIN));
    }

    @Test
    void answersOnlyAdminsAndSaysWhyAClusterCannotBeCompared() {
        given().header("Authorization", PAYMENTS)
                .header(TestIdentity.NO_DEFAULT_TOKEN, "true")
                .get("/api/v1/clusters/secured/acls/drift")
                .then()
                .statusCode(403)
                .contentType("application/problem+json");
        given().header(TestIdentity.NO_DEFAULT_TOKEN, "true")
                .get("/api/v1/clusters/secured/acls/drift")
                .then()
                .statusCode(401);
        given().get("/api/v1/clusters/nowhere/acls/drift")
                .then()
                .statusCode(404)
                .contentType("application/problem+json");
        // the concierge's plain test broker has no authorizer: nothing to compare, and it says so
        given().get("/api/v1/clusters/local/acls/drift")
                .then()
                .statusCode(409)
                .contentType("application/problem+json")
                .body("type", containsString("cluster-without-authorizer"))
                .body("detail", containsString("No Authorizer is configured"))
                .body("detail", not(containsString("Exception")));
        given().get("/api/v1/clusters/gone/acls/drift")
                .then()
                .statusCode(503)
                .contentType("application/problem+json")
                .header("Retry-After", not(equalTo(null)))
                .body("detail", containsString("not reachable"));
    }
}
