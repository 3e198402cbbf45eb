package io.kafkaconcierge.api.console;

import io.kafkaconcierge.contracts.Json;
import io.kafkaconcierge.problem.Problem;
import io.kafkaconcierge.security.SecurityConfig;
import io.quarkus.logging.Log;
import io.quarkus.vertx.http.runtime.RouteConstants;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.net.URI;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * {@code /api/v1/subscriptions} on this API's origin, forwarded to the notifier ({@code concierge.console.notifier-url},
 * set by the local run), so the console reaches subscriptions where it reaches everything else, as the Kubernetes
 * Ingress does for the same path. It grants nothing: it forwards the caller's own {@code Authorization} and the
 * notifier decides, exactly as if called directly. No token, no forwarding (401 here); only that path and its
 * sub-paths, only the methods the notifier serves, and only the headers the API needs pass either way.
 */
@ApplicationScoped
public class SubscriptionsProxy {

    static final String PATH = "/api/v1/subscriptions";
    static final Pattern ALLOWED = Pattern.compile("/api/v1/subscriptions(/(?!\\.{1,2}(?:/|$))[A-Za-z0-9._~-]+){0,4}");
    private static final Set<HttpMethod> METHODS =
            Set.of(HttpMethod.GET, HttpMethod.POST, HttpMethod.PATCH, HttpMethod.DELETE);
    private static final List<String> REQUEST_HEADERS =
            List.of("Authorization", "Content-Type", "Accept", "Idempotency-Key");
    private static final List<String> RESPONSE_HEADERS =
            List.of("Content-Type", "Cache-Control", "Retry-After", "WWW-Authenticate", "Idempotent-Replayed");

    private final ConsoleConfig config;
    private final Vertx vertx;
    private final long maxBody;

    public SubscriptionsProxy(ConsoleConfig config, Vertx vertx, SecurityConfig security) {
        this.config = config;
        this.vertx = vertx;
        this.maxBody = security.input().maxBodyBytes();
    }

    void routes(@Observes Router router) {
        config.notifierUrl().filter(u -> !u.isBlank()).map(URI::create).ifPresent(notifier -> {
            HttpClient client = vertx.createHttpClient(new HttpClientOptions()
                    .setDefaultHost(notifier.getHost())
                    .setDefaultPort(notifier.getPort() > 0 ? notifier.getPort() : 80)
                    .setSsl("https".equals(notifier.getScheme()))
                    .setConnectTimeout(2_000));
            Log.infof("forwarding %s to the notifier at %s", PATH, notifier);
            for (String path : List.of(PATH, PATH + "/*")) {
                // the body read whole first (bounded as every body of this API), then sent on
                router.route(path)
                        .order(RouteConstants.ROUTE_ORDER_BEFORE_DEFAULT)
                        .handler(BodyHandler.create(false).setBodyLimit(maxBody))
                        .handler(ctx -> forward(client, ctx));
            }
        });
    }

    private void forward(HttpClient client, RoutingContext ctx) {
        String path = ctx.request().path();
        if (!ALLOWED.matcher(path).matches() || !METHODS.contains(ctx.request().method())) {
            problem(ctx, 404, "not-found", "Not found", "No such resource");
            return;
        }
        if (ctx.request().getHeader(HttpHeaders.AUTHORIZATION) == null) {
            ctx.response().putHeader("WWW-Authenticate", "Bearer");
            problem(ctx, 401, "unauthorized", "Not signed in", "This needs a bearer token");
            return;
        }
        String query = ctx.request().query();
        RequestOptions options = new RequestOptions()
                .setMethod(ctx.request().method())
                .setURI(path + (query == null ? "" : "?" + query))
                .setTimeout(30_000);
        for (String header : REQUEST_HEADERS) {
            String value = ctx.request().getHeader(header);
            if (value != null) {
                options.putHeader(header, value);
            }
        }
        Buffer body = ctx.body().buffer() == null ? Buffer.buffer() : ctx.body().buffer();
        client.request(options)
                .compose(request -> body.length() > 0 ? request.send(body) : request.send())
                .compose(response -> response.body().map(answer -> {
                    ctx.response().setStatusCode(response.statusCode());
                    for (String header : RESPONSE_HEADERS) {
                        String value = response.getHeader(header);
                        if (value != null) {
                            ctx.response().putHeader(header, value);
                        }
                    }
                    String location = response.getHeader(HttpHeaders.LOCATION);
                    if (location != null) {
                        // the notifier names itself; the caller reaches it here
                        ctx.response()
                                .putHeader(
                                        HttpHeaders.LOCATION,
                                        URI.create(location).getRawPath());
                    }
                    return answer;
                }))
                .onSuccess(answer -> ctx.response().end(answer))
                .onFailure(e -> {
                    Log.warnf(
                            "the notifier did not answer %s %s: %s",
                            ctx.request().method(), path, e.toString());
                    if (!ctx.response().headWritten()) {
                        ctx.response().putHeader("Retry-After", "5");
                        problem(
                                ctx,
                                503,
                                "unavailable",
                                "The notifier is not reachable",
                                "Subscriptions cannot be reached now; try again shortly");
                    }
                });
    }

    private static void problem(RoutingContext ctx, int status, String slug, String title, String detail) {
        Problem problem = new Problem(
                Problem.TYPE_BASE + slug, title, status, detail, ctx.request().path(), null);
        ctx.response()
                .setStatusCode(status)
                .putHeader(HttpHeaders.CONTENT_TYPE, Problem.MEDIA_TYPE)
                .end(Buffer.buffer(Json.write(problem)));
    }
}
