package io.kafkaconcierge.security;

import io.kafkaconcierge.problem.Problem;
import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.ForbiddenException;
import io.quarkus.security.UnauthorizedException;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/** 401 and 403 as problem+json; a 401 says how to authenticate ({@code WWW-Authenticate: Bearer}). */
public class SecurityProblems {

    @ServerExceptionMapper(priority = 1)
    public Response unauthenticated(AuthenticationFailedException e, UriInfo uri) {
        return unauthorized(
                "The bearer token is not valid: it may be expired, revoked, for another audience, or "
                        + "not signed by a trusted issuer",
                uri);
    }

    @ServerExceptionMapper(priority = 1)
    public Response unauthorized(UnauthorizedException e, UriInfo uri) {
        return unauthorized(
                "This operation needs a bearer token: an access token of the identity provider, or a "
                        + "team's API token, in 'Authorization: Bearer <token>'",
                uri);
    }

    @ServerExceptionMapper(priority = 1)
    public Response forbidden(ForbiddenException e, UriInfo uri) {
        return Response.status(403)
                .type(Problem.MEDIA_TYPE)
                .entity(new Problem(
                        Problem.TYPE_BASE + "forbidden",
                        "Forbidden",
                        403,
                        "Your credential does not allow this operation (a read-only token cannot change anything)",
                        Problem.instance(uri),
                        null))
                .build();
    }

    private static Response unauthorized(String detail, UriInfo uri) {
        return Response.status(401)
                .type(Problem.MEDIA_TYPE)
                .header("WWW-Authenticate", "Bearer")
                .entity(new Problem(
                        Problem.TYPE_BASE + "unauthorized", "Unauthorized", 401, detail, Problem.instance(uri), null))
                .build();
    }
}
