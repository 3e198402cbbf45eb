package io.kafkaconcierge.security.tokens;

import io.kafkaconcierge.contracts.Requester;
import io.kafkaconcierge.security.Caller;
import java.time.Instant;

/**
 * A team's API token as stored on {@code concierge.tokens}, keyed by {@link #id()}: never the token itself, only
 * its SHA-256.
 *
 * @param id        public id, part of the token
 * @param team      the team it acts for
 * @param name      a name unique within the team, e.g. {@code ci-deploy}
 * @param scope     read or write
 * @param hash      SHA-256 (hex) of the whole token
 * @param createdBy who made it
 * @param createdAt when
 * @param expiresAt when it stops working
 * @param lastUsedAt when a replica last saw it used (from its usage records); null if never
 */
public record ApiToken(
        String id,
        String team,
        String name,
        Caller.Scope scope,
        String hash,
        Requester createdBy,
        Instant createdAt,
        Instant expiresAt,
        Instant lastUsedAt) {

    public ApiToken withLastUsed(Instant lastUsed) {
        return new ApiToken(id, team, name, scope, hash, createdBy, createdAt, expiresAt, lastUsed);
    }

    public boolean expired(Instant now) {
        return !expiresAt.isAfter(now);
    }

    public Caller caller() {
        return new Caller("token:" + id, name, java.util.Set.of(team), false, scope, name, id, expiresAt);
    }
}
