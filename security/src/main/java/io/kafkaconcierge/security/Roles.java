package io.kafkaconcierge.security;

/** Roles the concierge gives a {@link io.quarkus.security.identity.SecurityIdentity}, for {@code @RolesAllowed}. */
public final class Roles {

    /** May change things: every OIDC caller, and API tokens with the {@code write} scope. */
    public static final String WRITE = "concierge.write";

    private Roles() {}
}
