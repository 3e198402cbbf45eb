package io.kafkaconcierge.api.console;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.nio.file.Path;
import java.util.Optional;

/** The web console under {@code /console} (see this package's DESIGN.md). */
@ConfigMapping(prefix = "concierge.console")
public interface ConsoleConfig {

    /** How the console signs people in with the identity provider (authorization-code flow with PKCE). */
    Oidc oidc();

    interface Oidc {
        /** The public OIDC client of the console at the provider; it must add the audience {@code concierge}. */
        @WithDefault("concierge-console")
        String clientId();

        /**
         * The provider's issuer URL as browsers reach it; by default {@code quarkus.oidc.auth-server-url} (the same
         * provider the API checks tokens with).
         */
        Optional<String> authServerUrl();
    }

    /**
     * The folder of the local development identity ({@code .local/identity/}, set by {@code bin/concierge-local}):
     * with it, and only while the API trusts that identity, the console offers "sign in as demo / as admin". The
     * production profile refuses to start with it set.
     */
    Optional<Path> devIdentity();

    /** How long a token of the local one-click sign-in is valid. */
    @WithDefault("8h")
    java.time.Duration devTokenLifetime();

    /**
     * The notifier's URL, where this API forwards {@code /api/v1/subscriptions} with the caller's own token, so that
     * the console reaches subscriptions on its own origin (the local run sets it; on Kubernetes the Ingress routes
     * that path to the notifier and it stays unset).
     */
    Optional<String> notifierUrl();
}
