package io.kafkaconcierge.security.tokens;

import io.kafkaconcierge.security.Caller;
import io.kafkaconcierge.security.CallerAugmentor;
import io.kafkaconcierge.security.Roles;
import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.identity.AuthenticationRequestContext;
import io.quarkus.security.identity.IdentityProvider;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.security.runtime.QuarkusSecurityIdentity;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.security.Principal;
import java.time.Instant;

/** Checks an API token against the token store: unknown, revoked and expired tokens are a 401. */
@ApplicationScoped
public class ApiTokenIdentityProvider implements IdentityProvider<ApiTokenRequest> {

    private final ApiTokenStore store;

    public ApiTokenIdentityProvider(ApiTokenStore store) {
        this.store = store;
    }

    @Override
    public Class<ApiTokenRequest> getRequestType() {
        return ApiTokenRequest.class;
    }

    @Override
    public Uni<SecurityIdentity> authenticate(ApiTokenRequest request, AuthenticationRequestContext context) {
        return store.authenticate(request.token(), Instant.now())
                .map(token -> {
                    Caller caller = token.caller();
                    Principal principal = caller::subject;
                    QuarkusSecurityIdentity.Builder identity = QuarkusSecurityIdentity.builder()
                            .setPrincipal(principal)
                            .addAttribute(CallerAugmentor.ATTRIBUTE, caller);
                    if (caller.canWrite()) {
                        identity.addRole(Roles.WRITE);
                    }
                    return Uni.createFrom().<SecurityIdentity>item(identity.build());
                })
                .orElseGet(() -> Uni.createFrom()
                        .failure(new AuthenticationFailedException("the API token is unknown, revoked or expired")));
    }
}
