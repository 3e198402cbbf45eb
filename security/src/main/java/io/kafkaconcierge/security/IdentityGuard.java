package io.kafkaconcierge.security;

import io.kafkaconcierge.contracts.identity.DevIdentity;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.runtime.configuration.ConfigUtils;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.Optional;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Refuses to start the production profile without an identity provider (neither {@code quarkus.oidc.auth-server-url}
 * nor {@code quarkus.oidc.public-key}) or trusting the local development identity, or with the console's one-click
 * sign-in pointed at that identity's key ({@code concierge.console.dev-identity}). {@code bin/concierge-local} runs
 * the profile {@code local}, tests the profile {@code test}.
 */
@ApplicationScoped
public class IdentityGuard {

    private final Optional<String> authServerUrl;
    private final Optional<String> publicKey;
    private final Optional<String> issuer;
    private final Optional<String> devIdentity;

    public IdentityGuard(
            @ConfigProperty(name = "quarkus.oidc.auth-server-url") Optional<String> authServerUrl,
            @ConfigProperty(name = "quarkus.oidc.public-key") Optional<String> publicKey,
            @ConfigProperty(name = "quarkus.oidc.token.issuer") Optional<String> issuer,
            @ConfigProperty(name = DEV_IDENTITY) Optional<String> devIdentity) {
        this.authServerUrl = authServerUrl;
        this.publicKey = publicKey;
        this.issuer = issuer;
        this.devIdentity = devIdentity;
    }

    /** The folder of the local development identity, for the console's one-click sign-in (concierge-api). */
    static final String DEV_IDENTITY = "concierge.console.dev-identity";

    void onStart(@Observes StartupEvent event) {
        String problem = problem(ConfigUtils.getProfiles().contains("prod"));
        if (problem != null) {
            throw new IllegalStateException(problem);
        }
    }

    String problem(boolean production) {
        if (!production) {
            return null;
        }
        if (authServerUrl.filter(s -> !s.isBlank()).isEmpty()
                && publicKey.filter(s -> !s.isBlank()).isEmpty()) {
            return "no identity provider is configured: set quarkus.oidc.auth-server-url (QUARKUS_OIDC_AUTH_SERVER_URL) "
                    + "to your OIDC provider, e.g. https://keycloak.example.com/realms/concierge";
        }
        if (issuer.filter(i -> i.equals(DevIdentity.ISSUER) || i.equals(DevIdentity.TEST_ISSUER))
                .isPresent()) {
            return "the production profile does not trust the local development identity (issuer "
                    + DevIdentity.ISSUER + "); configure a real identity provider, or run with QUARKUS_PROFILE=local "
                    + "on a developer's machine";
        }
        if (devIdentity.filter(s -> !s.isBlank()).isPresent()) {
            return "the production profile does not offer the console's one-click sign-in with the local development "
                    + "identity: unset " + DEV_IDENTITY + " (people sign in with the identity provider)";
        }
        return null;
    }
}
