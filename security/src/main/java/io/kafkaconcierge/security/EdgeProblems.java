package io.kafkaconcierge.security;

import io.kafkaconcierge.contracts.Json;
import io.kafkaconcierge.problem.Problem;
import io.quarkus.vertx.http.runtime.RouteConstants;
import io.vertx.core.http.HttpHeaders;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

/**
 * Problems answered before JAX-RS sees a request, as problem+json too, where Quarkus would answer an empty body: a
 * Content-Length above {@code concierge.security.input.max-body-bytes} (Quarkus's own limit,
 * {@code quarkus.http.limits.max-body-size}, answers it before {@link InputLimits} could), and a request the router
 * refuses with a 4xx (a request target whose percent-encoding is broken). What Netty refuses while it decodes the
 * request (a header with control characters, a request line or headers over their limits, a Content-Length that is
 * not one number) never reaches the application and stays an empty 400, 414 or 431.
 */
@ApplicationScoped
public class EdgeProblems {

    void routes(@Observes Router router, SecurityConfig config) {
        long max = config.input().maxBodyBytes();
        router.route().order(RouteConstants.ROUTE_ORDER_UPLOAD_LIMIT - 1).handler(ctx -> {
            String length = ctx.request().getHeader(HttpHeaders.CONTENT_LENGTH);
            long bytes = -1;
            try {
                bytes = length == null ? -1 : Long.parseLong(length.trim());
            } catch (NumberFormatException e) {
                // InputLimits answers it
            }
            if (bytes > max) {
                // the body is not read: the connection cannot be used for another request
                ctx.response().putHeader(HttpHeaders.CONNECTION, "close");
                answer(
                        ctx,
                        413,
                        "body-too-large",
                        "The body is too large",
                        "The body has " + bytes + " bytes; at most " + max + " are read",
                        ctx.request().path());
            } else {
                ctx.next();
            }
        });
        router.route().order(Integer.MIN_VALUE).failureHandler(ctx -> {
            int status = ctx.statusCode();
            if (status >= 400 && status < 500 && !ctx.response().headWritten()) {
                answer(
                        ctx,
                        status,
                        "http-" + status,
                        status == 400 ? "Bad request" : "Refused",
                        status == 400
                                ? "The request target cannot be read (is its percent-encoding broken?)"
                                : "The request cannot be served",
                        null);
            } else {
                ctx.next();
            }
        });
    }

    private static void answer(
            RoutingContext ctx, int status, String slug, String title, String detail, String instance) {
        Problem problem = new Problem(Problem.TYPE_BASE + slug, title, status, detail, instance, null);
        ctx.response()
                .setStatusCode(status)
                .putHeader(HttpHeaders.CONTENT_TYPE, Problem.MEDIA_TYPE)
                .end(io.vertx.core.buffer.Buffer.buffer(Json.write(problem)));
    }
}
