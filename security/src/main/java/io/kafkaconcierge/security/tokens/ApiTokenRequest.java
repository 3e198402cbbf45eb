package io.kafkaconcierge.security.tokens;

import io.quarkus.security.identity.request.BaseAuthenticationRequest;

/** An API token to check. */
public class ApiTokenRequest extends BaseAuthenticationRequest {

    private final String token;

    public ApiTokenRequest(String token) {
        this.token = token;
    }

    public String token() {
        return token;
    }

    @Override
    public String toString() {
        return "ApiTokenRequest[token hidden]";
    }
}
