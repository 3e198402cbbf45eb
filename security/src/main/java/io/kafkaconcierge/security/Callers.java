package io.kafkaconcierge.security;

import io.kafkaconcierge.problem.ProblemException;
import io.quarkus.security.UnauthorizedException;
import io.quarkus.security.identity.SecurityIdentity;
import jakarta.enterprise.context.ApplicationScoped;

/** The caller of the request being served, and the checks every service makes with it. */
@ApplicationScoped
public class Callers {

    private final SecurityIdentity identity;

    public Callers(SecurityIdentity identity) {
        this.identity = identity;
    }

    /** The verified caller; a 401 when there is none (an endpoint without {@code @Authenticated} asked). */
    public Caller current() {
        Caller caller = identity.isAnonymous() ? null : identity.getAttribute(CallerAugmentor.ATTRIBUTE);
        if (caller == null) {
            throw new UnauthorizedException();
        }
        return caller;
    }

    /** The caller, if there is one. */
    public java.util.Optional<Caller> optional() {
        try {
            return identity.isAnonymous()
                    ? java.util.Optional.empty()
                    : java.util.Optional.ofNullable(identity.getAttribute(CallerAugmentor.ATTRIBUTE));
        } catch (RuntimeException e) {
            return java.util.Optional.empty();
        }
    }

    /**
     * Checks that the caller may act for {@code team}: a 403 naming the team when not. Use where the caller chose the
     * team (an owner in a body, a team in a path); for a resource found by name, use {@link #visible} and answer 404.
     */
    public Caller requireTeam(String team) {
        Caller caller = current();
        if (!caller.actsFor(team)) {
            throw notActingFor(caller, team);
        }
        return caller;
    }

    /** Whether the caller may see what {@code owner} owns. */
    public boolean visible(String owner) {
        return current().actsFor(owner);
    }

    /** Checks that the caller may change things (an API token may be read-only). */
    public Caller requireWrite() {
        Caller caller = current();
        if (!caller.canWrite()) {
            throw forbidden("the token '" + caller.tokenName() + "' may only read");
        }
        return caller;
    }

    /** The 403 for a caller naming a team it does not act for. */
    public static ProblemException notActingFor(Caller caller, String team) {
        return forbidden(caller.name() + " does not act for team '" + team + "'; your teams: " + caller.teams());
    }

    public static ProblemException forbidden(String detail) {
        return new ProblemException(403, "forbidden", "Forbidden", detail, null, null);
    }
}
