package io.kafkaconcierge.security;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.Optional;

/** Who may do what: where teams and the platform role come from, and the limits of API tokens. */
@ConfigMapping(prefix = "concierge.security")
public interface SecurityConfig {

    /** The top-level claim of an OIDC access token that lists the caller's teams (an array of names, or one name). */
    @WithDefault("groups")
    String teamsClaim();

    /** A member of this group (in the teams claim) is a platform admin: sees and may change everything. */
    @WithDefault("concierge-admins")
    String adminGroup();

    /** A caller with this role (as quarkus-oidc maps roles, e.g. from realm_access/roles) is a platform admin too. */
    Optional<String> adminRole();

    /** API tokens of teams, for automation. */
    Tokens tokens();

    interface Tokens {
        /** The longest expiry a new token may have. */
        @WithDefault("90d")
        Duration maxLifetime();

        /** How often a replica records that a token was used (its "last used" is at most this old). */
        @WithDefault("60s")
        Duration usageInterval();

        /** Tokens one team may hold at once. */
        @WithDefault("50")
        int maxPerTeam();
    }

    /** Bearer tokens verified lately, answered without verifying them again. */
    VerifiedTokensConfig verifiedTokens();

    interface VerifiedTokensConfig {
        /**
         * How long a verified token is answered from memory (never past its expiry); 0 verifies every request.
         * A changed signing key or claim mapping takes effect within this time.
         */
        @WithDefault("60s")
        Duration maxAge();

        /** The most tokens remembered at once. */
        @WithDefault("10000")
        int maxEntries();
    }

    /** Limits on what a request may carry, checked before anything reads it. */
    Input input();

    interface Input {
        /** The largest request body, in bytes; a larger one is a 413. */
        @WithDefault("65536")
        long maxBodyBytes();

        /** The deepest nesting of JSON objects and arrays in a body. */
        @WithDefault("16")
        int maxJsonDepth();

        /** The longest JSON string (value or field name) in a body. */
        @WithDefault("4096")
        int maxJsonString();
    }
}
