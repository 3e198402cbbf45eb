package io.kafkaconcierge.security;

import io.kafkaconcierge.contracts.Owners;
import io.kafkaconcierge.security.tokens.VerifiedTokens;
import io.quarkus.oidc.AccessTokenCredential;
import io.quarkus.security.identity.AuthenticationRequestContext;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.security.identity.SecurityIdentityAugmentor;
import io.quarkus.security.runtime.QuarkusSecurityIdentity;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.json.JsonArray;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.eclipse.microprofile.jwt.JsonWebToken;

/**
 * Turns a verified OIDC bearer token into a {@link Caller}: its teams from the configured claim, admin from the
 * configured group or role, and the {@link Roles#WRITE} role. API-token identities carry their caller already.
 */
@ApplicationScoped
public class CallerAugmentor implements SecurityIdentityAugmentor {

    public static final String ATTRIBUTE = "io.kafkaconcierge.caller";

    private final SecurityConfig config;
    private final VerifiedTokens verified;

    public CallerAugmentor(SecurityConfig config, VerifiedTokens verified) {
        this.config = config;
        this.verified = verified;
    }

    @Override
    public Uni<SecurityIdentity> augment(SecurityIdentity identity, AuthenticationRequestContext context) {
        if (identity.isAnonymous()
                || identity.getAttribute(ATTRIBUTE) != null
                || !(identity.getPrincipal() instanceof JsonWebToken jwt)) {
            return Uni.createFrom().item(identity);
        }
        Caller caller = caller(jwt, identity.getRoles());
        SecurityIdentity augmented = QuarkusSecurityIdentity.builder(identity)
                .addRole(Roles.WRITE)
                .addAttribute(ATTRIBUTE, caller)
                .build();
        AccessTokenCredential credential = identity.getCredential(AccessTokenCredential.class);
        if (credential != null && credential.getToken() != null) {
            verified.remember(credential.getToken(), augmented, jwt.getExpirationTime());
        }
        return Uni.createFrom().item(augmented);
    }

    Caller caller(JsonWebToken jwt, Set<String> roles) {
        List<String> groups = names(jwt.getClaim(config.teamsClaim()));
        boolean admin = groups.contains(config.adminGroup())
                || config.adminRole().map(roles::contains).orElse(false);
        Set<String> teams = new HashSet<>();
        for (String g : groups) {
            // Keycloak writes full group paths (/payments) unless told not to; a team is the last segment
            String team = g.startsWith("/") ? g.substring(g.lastIndexOf('/') + 1) : g;
            if (!team.equals(config.adminGroup()) && Owners.problem(team) == null) {
                teams.add(team);
            }
        }
        String subject = jwt.getSubject() != null ? jwt.getSubject() : jwt.getName();
        Object username = jwt.getClaim("preferred_username");
        String name = username != null ? text(username) : subject;
        Instant expires = jwt.getExpirationTime() > 0 ? Instant.ofEpochSecond(jwt.getExpirationTime()) : null;
        return new Caller(subject, name, teams, admin, Caller.Scope.WRITE, null, null, expires);
    }

    /** A claim that is an array of names, a collection, or one name (space- or comma-separated). */
    static List<String> names(Object claim) {
        List<String> names = new ArrayList<>();
        if (claim instanceof JsonArray array) {
            for (JsonValue v : array) {
                names.add(text(v));
            }
        } else if (claim instanceof Collection<?> values) {
            values.forEach(v -> names.add(text(v)));
        } else if (claim != null) {
            for (String s : text(claim).split("[,\\s]+")) {
                if (!s.isBlank()) {
                    names.add(s);
                }
            }
        }
        return names;
    }

    private static String text(Object value) {
        if (value instanceof JsonString s) {
            return s.getString();
        }
        String s = String.valueOf(value);
        return s.length() >= 2 && s.startsWith("\"") && s.endsWith("\"") ? s.substring(1, s.length() - 1) : s;
    }
}
