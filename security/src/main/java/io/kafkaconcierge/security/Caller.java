package io.kafkaconcierge.security;

import io.kafkaconcierge.contracts.Requester;
import java.time.Instant;
import java.util.Set;
import java.util.TreeSet;

/**
 * A verified caller: an OIDC bearer token's subject, or a team's API token.
 *
 * @param subject   {@code sub} of the token, or {@code token:<id>} for an API token
 * @param name      a name for people: {@code preferred_username}, or the API token's name
 * @param teams     the teams the caller acts for
 * @param admin     a platform admin: sees and may change everything
 * @param scope     what the caller may do; OIDC callers may write
 * @param tokenName the API token's name, or null for an OIDC caller
 * @param tokenId   the API token's id, or null
 * @param expiresAt when the credential expires, if known
 */
public record Caller(
        String subject,
        String name,
        Set<String> teams,
        boolean admin,
        Scope scope,
        String tokenName,
        String tokenId,
        Instant expiresAt) {

    public Caller {
        teams = Set.copyOf(new TreeSet<>(teams));
    }

    /** May this caller see (and, with the write scope, change) what {@code team} owns? */
    public boolean actsFor(String team) {
        return admin || (team != null && teams.contains(team));
    }

    public boolean canWrite() {
        return scope == Scope.WRITE;
    }

    public Requester requester() {
        return new Requester(subject, name, tokenName);
    }

    /** The team to record a decision under when the resource names none: the caller's only team, or {@code -}. */
    public String defaultTeam() {
        return teams.size() == 1 ? teams.iterator().next() : io.kafkaconcierge.contracts.AuditRecord.NO_TEAM;
    }

    /** What a credential allows. */
    public enum Scope {
        /** Read only: no POST, PATCH, PUT or DELETE. */
        READ,
        /** Everything the caller's teams allow. */
        WRITE
    }
}
