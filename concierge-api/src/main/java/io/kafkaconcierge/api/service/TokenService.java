package io.kafkaconcierge.api.service;

import io.kafkaconcierge.api.rest.dto.TokenRequest;
import io.kafkaconcierge.api.rest.dto.TokenView;
import io.kafkaconcierge.contracts.AuditRecord.Decision;
import io.kafkaconcierge.contracts.Owners;
import io.kafkaconcierge.problem.Problem.FieldError;
import io.kafkaconcierge.problem.ProblemException;
import io.kafkaconcierge.security.Caller;
import io.kafkaconcierge.security.Callers;
import io.kafkaconcierge.security.SecurityConfig;
import io.kafkaconcierge.security.audit.AuditContext;
import io.kafkaconcierge.security.tokens.ApiToken;
import io.kafkaconcierge.security.tokens.ApiTokenStore;
import io.kafkaconcierge.security.tokens.TokenCodec;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * A team's API tokens: made by a member (or an admin), shown once, stored as a hash, listed without the secret,
 * revoked on every replica within seconds. A token acts as its team, with the scope it was given.
 */
@ApplicationScoped
public class TokenService {

    private static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9._-]{0,62}");

    private final ApiTokenStore store;
    private final Callers callers;
    private final AuditContext audit;
    private final SecurityConfig.Tokens config;

    public TokenService(ApiTokenStore store, Callers callers, AuditContext audit, SecurityConfig config) {
        this.store = store;
        this.callers = callers;
        this.audit = audit;
        this.config = config.tokens();
    }

    public TokenView create(String team, TokenRequest body) {
        audit.about(team, "token.create", null).decision(Decision.CREATED);
        Caller caller = member(team);
        if (caller.tokenId() != null) {
            // a leaked token must not be able to mint itself successors
            throw Callers.forbidden("an API token cannot make tokens; sign in as a person of team '" + team + "'");
        }
        if (body == null) {
            throw ProblemException.validation(List.of(new FieldError(
                    "",
                    "a body is required: {\"name\": ..., "
                            + "\"scope\": \"read\"|\"write\", \"expiresAt\" or \"expiresIn\"}")));
        }
        requireCaughtUp();
        List<FieldError> errors = new ArrayList<>();
        if (body.name() == null || !NAME.matcher(body.name()).matches()) {
            errors.add(new FieldError(
                    "name", "must be 1 to 63 characters of [a-z0-9._-], starting with a letter " + "or digit"));
        }
        Caller.Scope scope = null;
        if (body.scope() == null) {
            errors.add(new FieldError("scope", "is required: read or write"));
        } else {
            try {
                scope = Caller.Scope.valueOf(body.scope().toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                errors.add(new FieldError("scope", "must be read or write"));
            }
        }
        Instant now = Instant.now();
        Instant expiresAt = expiry(body, now, errors);
        List<ApiToken> existing = store.ofTeam(team);
        if (body.name() != null && existing.stream().anyMatch(t -> t.name().equals(body.name()))) {
            errors.add(new FieldError(
                    "name",
                    "team '" + team + "' already has a token named '" + body.name()
                            + "'; revoke it first or choose another name"));
        }
        if (existing.size() >= config.maxPerTeam()) {
            errors.add(new FieldError(
                    "",
                    "team '" + team + "' has " + existing.size() + " tokens, the most allowed; " + "revoke one first"));
        }
        if (!errors.isEmpty()) {
            throw ProblemException.validation(errors);
        }
        TokenCodec.Issued issued = TokenCodec.issue();
        ApiToken token = new ApiToken(
                issued.id(),
                team,
                body.name(),
                scope,
                TokenCodec.hash(issued.token()),
                caller.requester(),
                now,
                expiresAt,
                null);
        audit.about(team, "token.create", "token:" + issued.id() + " (" + body.name() + ")");
        store.put(token);
        return TokenView.of(token, issued.token());
    }

    private Instant expiry(TokenRequest body, Instant now, List<FieldError> errors) {
        Instant latest = now.plus(config.maxLifetime());
        Instant expiresAt = null;
        if (body.expiresAt() != null && body.expiresIn() != null) {
            errors.add(new FieldError("expiresAt", "give expiresAt or expiresIn, not both"));
        } else if (body.expiresAt() != null) {
            try {
                expiresAt = Instant.parse(body.expiresAt());
            } catch (DateTimeParseException e) {
                errors.add(new FieldError("expiresAt", "must be an ISO-8601 instant such as 2027-03-01T00:00:00Z"));
            }
        } else if (body.expiresIn() != null) {
            try {
                expiresAt = now.plus(Duration.parse(body.expiresIn()));
            } catch (DateTimeParseException | ArithmeticException e) {
                errors.add(new FieldError("expiresIn", "must be an ISO-8601 duration such as P30D"));
            }
        } else {
            errors.add(new FieldError(
                    "expiresAt",
                    "an expiry is required (expiresAt or expiresIn), at most "
                            + config.maxLifetime().toDays() + " days ahead"));
        }
        if (expiresAt != null && !expiresAt.isAfter(now)) {
            errors.add(new FieldError("expiresAt", "must be in the future"));
        } else if (expiresAt != null && expiresAt.isAfter(latest.plusSeconds(60))) {
            errors.add(new FieldError(
                    "expiresAt", "must be at most " + config.maxLifetime().toDays() + " days ahead (" + latest + ")"));
        }
        return expiresAt;
    }

    public List<TokenView> list(String team) {
        member(team);
        return store.ofTeam(team).stream().map(t -> TokenView.of(t, null)).toList();
    }

    public void revoke(String team, String id) {
        audit.about(team, "token.revoke", "token:" + id).decision(Decision.REVOKED);
        member(team);
        callers.requireWrite();
        requireCaughtUp();
        ApiToken token = store.get(id)
                .filter(t -> t.team().equals(team))
                .orElseThrow(() -> ProblemException.notFound("Team '" + team + "' has no token '" + id + "'"));
        audit.about(team, "token.revoke", "token:" + id + " (" + token.name() + ")");
        store.revoke(id);
    }

    /** A member of the team or an admin; a team that is not the caller's is a 403, as the caller named it. */
    private Caller member(String team) {
        if (Owners.problem(team) != null) {
            throw ProblemException.validation(List.of(new FieldError("team", Owners.problem(team))));
        }
        return callers.requireTeam(team);
    }

    private void requireCaughtUp() {
        if (!store.caughtUp()) {
            throw ProblemException.unavailable(
                    "The API is still reading its tokens from Kafka (" + store.problem() + ")", 5);
        }
    }
}
