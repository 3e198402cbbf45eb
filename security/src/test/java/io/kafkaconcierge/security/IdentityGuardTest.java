package io.kafkaconcierge.security;

import static org.assertj.core.api.Assertions.assertThat;

import io.kafkaconcierge.contracts.identity.DevIdentity;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class IdentityGuardTest {

    private static IdentityGuard guard(String url, String key, String issuer) {
        return guard(url, key, issuer, null);
    }

    private static IdentityGuard guard(String url, String key, String issuer, String devIdentity) {
        return new IdentityGuard(
                Optional.ofNullable(url),
                Optional.ofNullable(key),
                Optional.ofNullable(issuer),
                Optional.ofNullable(devIdentity));
    }

    @Test
    void shouldRefuseProductionWithoutAnIdentityProvider() {
        assertThat(guard(null, null, null).problem(true)).contains("no identity provider");
        assertThat(guard(" ", "", null).problem(true)).contains("no identity provider");
    }

    @Test
    void shouldRefuseProductionTrustingTheDevelopmentOrTheTestKey() {
        assertThat(guard(null, "MIIB...", DevIdentity.ISSUER).problem(true)).contains("local development identity");
        assertThat(guard(null, "MIIB...", DevIdentity.TEST_ISSUER).problem(true))
                .contains("local development");
    }

    @Test
    void shouldRefuseProductionOfferingTheConsolesOneClickSignIn() {
        assertThat(guard("https://keycloak.example.com/realms/c", null, null, "/home/me/.local/identity")
                        .problem(true))
                .contains("one-click sign-in")
                .contains("concierge.console.dev-identity");
        assertThat(guard(null, null, DevIdentity.ISSUER, "/home/me/.local/identity")
                        .problem(false))
                .isNull();
    }

    @Test
    void shouldAcceptARealProviderInProductionAndAnythingElsewhere() {
        assertThat(guard("https://keycloak.example.com/realms/c", null, null).problem(true))
                .isNull();
        assertThat(guard(null, "MIIB...", "https://issuer.example.com").problem(true))
                .isNull();
        assertThat(guard(null, null, DevIdentity.ISSUER).problem(false)).isNull();
    }
}
