package io.kafkaconcierge.e2e;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.kafkaconcierge.contracts.identity.DevIdentity;
import io.kafkaconcierge.testing.EmbeddedKafka;
import io.kafkaconcierge.testing.KeycloakServer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The web console in a real browser: Debian's chromium driven by Playwright ({@code tools/browser-tests/console.mjs},
 * installed by npm from its committed lock file) against the three packaged services and a real broker. One API runs
 * as {@code bin/concierge-local} runs it (the local development identity, the one-click sign-in, subscriptions
 * forwarded to the notifier); a second API of the same suite trusts a real Keycloak, to sign in with the
 * authorization-code flow. A second registered cluster on the same broker, {@value #APPROVAL_CLUSTER}, gets a policy
 * that wants one platform admin's approval, for the approver's queue. Screenshots go to
 * {@code target/console-screenshots/}. Skipped, saying why, where there is no chromium or no Node.js ({@code .ci/run}
 * installs both).
 */
class ConsoleIT {

    static final Path CHROMIUM = Path.of(System.getProperty("console.chromium", "/usr/bin/chromium"));
    static final String SSO_API = "concierge-api-sso";
    static final String APPROVAL_CLUSTER = "prod-local";

    private static Suite suite;
    private static KeycloakServer keycloak;
    private static DevIdentity local;

    @BeforeAll
    static void start() throws Exception {
        assumeTrue(
                Files.isExecutable(CHROMIUM),
                "no chromium at " + CHROMIUM
                        + ": the console's browser tests are skipped (Debian: apt-get install chromium; .ci/run installs it)");
        assumeTrue(
                onPath("node") && onPath("npm"), "no Node.js/npm on the PATH: the console's browser tests are skipped");
        Path identity = Files.createTempDirectory(Path.of("target"), "console-identity");
        local = DevIdentity.load(identity);
        EmbeddedKafka kafka = EmbeddedKafka.start();
        suite = new Suite(
                kafka,
                Map.of(
                        "concierge.provisioner.clusters." + APPROVAL_CLUSTER + ".bootstrap-servers",
                        kafka.bootstrapServers(),
                        "concierge.provisioner.clusters." + APPROVAL_CLUSTER + ".environment",
                        "prod"));
        suite.start(Suite.PROVISIONER);
        // as bin/concierge-local starts them: API and notifier trust the local development identity, the API offers
        // the one-click sign-in and forwards /api/v1/subscriptions to the notifier
        Map<String, String> localIdentity =
                Map.of("quarkus.oidc.public-key", local.publicKey(), "quarkus.oidc.token.issuer", DevIdentity.ISSUER);
        suite.start(Suite.NOTIFIER, Suite.NOTIFIER, localIdentity);
        Map<String, String> api = new java.util.LinkedHashMap<>(localIdentity);
        api.put("concierge.console.dev-identity", identity.toAbsolutePath().toString());
        api.put("concierge.console.notifier-url", suite.url(Suite.NOTIFIER));
        suite.start(Suite.API, Suite.API, api);
        // as an admin would, over the API: the approval cluster wants one platform admin's yes (one broker here, so
        // without the prod class's replication rules)
        String admin =
                "Bearer " + local.token("platform-admin", List.of(DevIdentity.ADMIN_GROUP), Duration.ofMinutes(10));
        await().atMost(Duration.ofSeconds(60))
                .until(() -> given().baseUri(suite.url(Suite.API))
                        .header("Authorization", admin)
                        .get("/api/v1/clusters")
                        .asString()
                        .contains("\"" + APPROVAL_CLUSTER + "\""));
        given().baseUri(suite.url(Suite.API))
                .header("Authorization", admin)
                .contentType("application/json")
                .body("""
                {"partitions": {"min": 1, "max": 50}, "unclaimedNames": true,
                 "approval": {"required": 1, "approvers": "admins", "expiry": "P1D", "instanceDeletion": 1}}""")
                .put("/api/v1/clusters/" + APPROVAL_CLUSTER + "/policy")
                .then()
                .statusCode(200);

        // the second API, trusting Keycloak; the console's client there must send people back to this port
        int ssoPort = suite.port(SSO_API);
        Path realm = Path.of("target", "console-realm", "concierge-realm.json");
        Files.createDirectories(realm.getParent());
        Files.writeString(
                realm,
                Files.readString(Path.of(ConsoleIT.class
                                .getResource("/keycloak/concierge-realm.json")
                                .toURI()))
                        .replace("http://127.0.0.1:8080", "http://127.0.0.1:" + ssoPort));
        keycloak = KeycloakServer.start(Path.of(System.getProperty("keycloak.home")), "concierge", realm);
        suite.start(Suite.API, SSO_API, Map.of("quarkus.oidc.auth-server-url", keycloak.issuer()));
    }

    @AfterAll
    static void stop() throws Exception {
        if (suite != null) {
            suite.close();
        }
        if (keycloak != null) {
            keycloak.close();
        }
    }

    private static boolean onPath(String command) {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(":")) {
            if (Files.isExecutable(Path.of(dir, command))) {
                return true;
            }
        }
        return false;
    }

    @Test
    void signsInAsksChangesApprovesAndWatchesTopicsBecomeReadyKeepsTeamsApartAndWorksWithTheKeyboardAlone()
            throws Exception {
        Path shots = Path.of("target", "console-screenshots").toAbsolutePath();
        Path run = Path.of(System.getProperty("concierge.apps.dir", ".."), "tools", "browser-tests", "run");
        Path log = Path.of("target", "e2e-logs", "console-browser.log").toAbsolutePath();
        Files.createDirectories(log.getParent());
        ProcessBuilder builder = new ProcessBuilder(run.toAbsolutePath().toString(), "console.mjs")
                .redirectErrorStream(true)
                .redirectOutput(log.toFile());
        builder.environment()
                .putAll(Map.of(
                        "CONSOLE_URL", suite.url(Suite.API),
                        "SSO_CONSOLE_URL", suite.url(SSO_API),
                        "SSO_ISSUER", keycloak.issuer(),
                        "SSO_USER", "alice",
                        "SSO_PASSWORD", "alice-pass",
                        "SCREENSHOTS", shots.toString(),
                        "CHROMIUM", CHROMIUM.toString(),
                        "APPROVAL_CLUSTER", APPROVAL_CLUSTER,
                        // a member of another team, signed by the same local identity as the one-click sign-in's tokens
                        "OTHER_TEAM_TOKEN", local.token("bob", List.of("analytics"), Duration.ofMinutes(30))));
        Process browser = builder.start();
        boolean done = browser.waitFor(10, TimeUnit.MINUTES);
        if (!done) {
            browser.destroyForcibly().waitFor();
        }
        String output = Files.readString(log, StandardCharsets.UTF_8);
        System.out.println(output);
        assertThat(done)
                .as("the browser tests finished within 10 minutes; see " + log)
                .isTrue();
        assertThat(browser.exitValue())
                .as("the browser tests passed:\n" + output)
                .isZero();
        assertThat(output)
                .contains(
                        "ok - asked for",
                        "ok - changed ",
                        "ok - signed in, reached the form",
                        "ok - signed in with the authorization-code flow",
                        "ok - made a webhook subscription",
                        "waited for approval, a platform admin approved it",
                        "ok - a member of another team sees nothing");
        List<String> missing = new ArrayList<>();
        for (String shot : List.of(
                "sign-in",
                "topic-form-errors",
                "request-ready",
                "topics",
                "topics-narrow",
                "topic",
                "subscription",
                "keycloak",
                "topic-plan-approval",
                "approvals")) {
            if (!Files.exists(shots.resolve(shot + ".png"))) {
                missing.add(shot);
            }
        }
        assertThat(missing).as("screenshots in " + shots).isEmpty();
    }
}
