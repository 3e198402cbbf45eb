package io.kafkaconcierge.security.tokens;

import io.quarkus.security.identity.IdentityProviderManager;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.security.identity.request.AuthenticationRequest;
import io.quarkus.vertx.http.runtime.security.ChallengeData;
import io.quarkus.vertx.http.runtime.security.HttpAuthenticationMechanism;
import io.quarkus.vertx.http.runtime.security.HttpSecurityUtils;
import io.smallrye.mutiny.Uni;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Set;

/**
 * Accepts a team's API token ({@code Authorization: Bearer kct_...}) beside OIDC bearer tokens: it runs before the
 * OIDC mechanism and takes only tokens of its own shape, leaving every other bearer token to OIDC.
 */
@ApplicationScoped
public class ApiTokenMechanism implements HttpAuthenticationMechanism {

    @Override
    public Uni<SecurityIdentity> authenticate(RoutingContext context, IdentityProviderManager identityProviderManager) {
        String token = token(context);
        if (token == null) {
            return Uni.createFrom().nullItem();
        }
        return identityProviderManager.authenticate(
                HttpSecurityUtils.setRoutingContextAttribute(new ApiTokenRequest(token), context));
    }

    static String token(RoutingContext context) {
        String token = BearerHeader.token(context);
        return token != null && token.startsWith(TokenCodec.PREFIX) ? token : null;
    }

    @Override
    public Uni<ChallengeData> getChallenge(RoutingContext context) {
        return Uni.createFrom().item(new ChallengeData(401, "WWW-Authenticate", "Bearer"));
    }

    @Override
    public Set<Class<? extends AuthenticationRequest>> getCredentialTypes() {
        return Set.of(ApiTokenRequest.class);
    }

    @Override
    public int getPriority() {
        // before OIDC's bearer mechanism, which would reject an opaque token it cannot verify
        return DEFAULT_PRIORITY + 100;
    }
}
