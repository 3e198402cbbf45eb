package io.kafkaconcierge.security.tokens;

import io.quarkus.security.identity.IdentityProviderManager;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.security.identity.request.AuthenticationRequest;
import io.quarkus.security.identity.request.TokenAuthenticationRequest;
import io.quarkus.vertx.http.runtime.security.ChallengeData;
import io.quarkus.vertx.http.runtime.security.HttpAuthenticationMechanism;
import io.smallrye.mutiny.Uni;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Set;

/**
 * Answers a bearer token that OIDC verified lately with the identity it was verified to ({@link VerifiedTokens});
 * any other token (new, expired from the cache, or not a JWT) goes on to the OIDC mechanism, which verifies it in
 * full. It runs after {@link ApiTokenMechanism} and before OIDC.
 */
@ApplicationScoped
public class VerifiedTokenMechanism implements HttpAuthenticationMechanism {

    private final VerifiedTokens tokens;

    public VerifiedTokenMechanism(VerifiedTokens tokens) {
        this.tokens = tokens;
    }

    @Override
    public Uni<SecurityIdentity> authenticate(RoutingContext context, IdentityProviderManager identityProviderManager) {
        String token = BearerHeader.token(context);
        if (token == null || token.startsWith(TokenCodec.PREFIX)) {
            return Uni.createFrom().nullItem();
        }
        return tokens.find(token)
                .map(identity -> Uni.createFrom().item(identity))
                .orElseGet(() -> Uni.createFrom().nullItem());
    }

    @Override
    public Uni<ChallengeData> getChallenge(RoutingContext context) {
        return Uni.createFrom().item(new ChallengeData(401, "WWW-Authenticate", "Bearer"));
    }

    @Override
    public Set<Class<? extends AuthenticationRequest>> getCredentialTypes() {
        return Set.of(TokenAuthenticationRequest.class);
    }

    @Override
    public int getPriority() {
        // after the API-token mechanism (+100), before OIDC's bearer mechanism (the default)
        return DEFAULT_PRIORITY + 50;
    }
}
