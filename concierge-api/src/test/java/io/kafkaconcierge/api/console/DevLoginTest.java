package io.kafkaconcierge.api.console;

import static org.assertj.core.api.Assertions.assertThat;

import io.kafkaconcierge.contracts.identity.DevIdentity;
import io.kafkaconcierge.testing.TestIdentity;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DevLoginTest {

    @TempDir
    Path folder;

    @Test
    void offersTheOneClickSignInOnlyWhenTheApiTrustsTheLocalDevelopmentKey() throws Exception {
        DevIdentity local = DevIdentity.load(folder);
        Optional<Path> dir = Optional.of(folder);
        Optional<String> key = Optional.of(local.publicKey());

        assertThat(DevLogin.identity(dir, Optional.of(DevIdentity.ISSUER), key, false))
                .isPresent();
        // the production profile, another issuer, another key, no key, no folder: never
        assertThat(DevLogin.identity(dir, Optional.of(DevIdentity.ISSUER), key, true))
                .isEmpty();
        assertThat(DevLogin.identity(dir, Optional.of(DevIdentity.TEST_ISSUER), key, false))
                .isEmpty();
        assertThat(DevLogin.identity(dir, Optional.of("https://keycloak.example.com/realms/c"), key, false))
                .isEmpty();
        assertThat(DevLogin.identity(
                        dir, Optional.of(DevIdentity.ISSUER), Optional.of(TestIdentity.publicKey()), false))
                .isEmpty();
        assertThat(DevLogin.identity(dir, Optional.of(DevIdentity.ISSUER), Optional.empty(), false))
                .isEmpty();
        assertThat(DevLogin.identity(Optional.empty(), Optional.of(DevIdentity.ISSUER), key, false))
                .isEmpty();
        Files.delete(folder.resolve("private-key.pem"));
        assertThat(DevLogin.identity(dir, Optional.of(DevIdentity.ISSUER), key, false))
                .isEmpty();
    }

    @Test
    void buildsAPolicyThatAllowsOnlyThisOriginAndTheIdentityProvider() {
        assertThat(ConsoleRoutes.origin("https://sso.example.com/realms/concierge"))
                .contains("https://sso.example.com");
        assertThat(ConsoleRoutes.origin("http://127.0.0.1:8180/realms/c")).contains("http://127.0.0.1:8180");
        assertThat(ConsoleRoutes.origin("not a url")).isEmpty();
        assertThat(ConsoleRoutes.policy(Optional.of("https://sso.example.com")))
                .contains("connect-src 'self' https://sso.example.com;")
                .contains("script-src 'self';")
                .doesNotContain("unsafe");
        assertThat(ConsoleRoutes.policy(Optional.empty())).contains("connect-src 'self';");
    }

    @Test
    void forwardsOnlyTheSubscriptionsPaths() {
        assertThat(SubscriptionsProxy.ALLOWED.matcher("/api/v1/subscriptions").matches())
                .isTrue();
        assertThat(SubscriptionsProxy.ALLOWED
                        .matcher("/api/v1/subscriptions/sub-1/deliveries")
                        .matches())
                .isTrue();
        assertThat(SubscriptionsProxy.ALLOWED
                        .matcher("/api/v1/subscriptions/sub-1/secret/rotate")
                        .matches())
                .isTrue();
        assertThat(SubscriptionsProxy.ALLOWED.matcher("/api/v1/subscriptionsX").matches())
                .isFalse();
        assertThat(SubscriptionsProxy.ALLOWED
                        .matcher("/api/v1/subscriptions/../../q/metrics")
                        .matches())
                .isFalse();
        assertThat(SubscriptionsProxy.ALLOWED
                        .matcher("/api/v1/subscriptions/a/b/c/d/e")
                        .matches())
                .isFalse();
        assertThat(SubscriptionsProxy.ALLOWED
                        .matcher("/api/v1/subscriptions/./x")
                        .matches())
                .isFalse();
        assertThat(SubscriptionsProxy.ALLOWED
                        .matcher("/api/v1/subscriptions/sub-1..x")
                        .matches())
                .isTrue();
    }
}
