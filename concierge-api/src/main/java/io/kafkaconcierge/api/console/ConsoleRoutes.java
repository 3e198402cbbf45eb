package io.kafkaconcierge.api.console;

import io.quarkus.vertx.http.runtime.filters.Filters;
import io.vertx.core.http.HttpHeaders;
import io.vertx.ext.web.Router;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.net.URI;
import java.util.Optional;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * The console's static files (from {@code META-INF/resources/console/}, public: they hold no data) get a strict
 * Content-Security-Policy: scripts and styles from this origin only (no inline script, no eval), connections to this
 * origin and to the identity provider's (the token endpoint of the sign-in), nothing framed, no referrer (so the
 * one-time code of a sign-in never leaves in a Referer). {@code /console} redirects to {@code /console/}.
 */
@ApplicationScoped
public class ConsoleRoutes {

    static final String PREFIX = "/console";

    private final String policy;

    public ConsoleRoutes(
            ConsoleConfig config,
            @ConfigProperty(name = "quarkus.oidc.auth-server-url") Optional<String> authServerUrl) {
        this.policy =
                policy(config.oidc().authServerUrl().or(() -> authServerUrl).flatMap(ConsoleRoutes::origin));
    }

    static String policy(Optional<String> providerOrigin) {
        return "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
                + "connect-src 'self'" + providerOrigin.map(o -> " " + o).orElse("") + "; "
                + "form-action 'self'; base-uri 'none'; frame-ancestors 'none'";
    }

    /** {@code scheme://host[:port]} of a URL, or empty if it has none. */
    static Optional<String> origin(String url) {
        try {
            URI uri = URI.create(url.strip());
            if (uri.getScheme() == null || uri.getHost() == null) {
                return Optional.empty();
            }
            return Optional.of(
                    uri.getScheme() + "://" + uri.getHost() + (uri.getPort() > 0 ? ":" + uri.getPort() : ""));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    void headers(@Observes Filters filters) {
        filters.register(
                ctx -> {
                    String path = ctx.normalizedPath();
                    if (path.equals(PREFIX) || path.startsWith(PREFIX + "/")) {
                        ctx.response()
                                .putHeader("Content-Security-Policy", policy)
                                .putHeader("X-Content-Type-Options", "nosniff")
                                .putHeader("Referrer-Policy", "no-referrer")
                                .putHeader("X-Frame-Options", "DENY")
                                .putHeader(HttpHeaders.CACHE_CONTROL, "no-cache");
                    }
                    ctx.next();
                },
                100);
    }

    void redirect(@Observes Router router) {
        // Vert.x matches /console/ here too: only the bare path is redirected
        router.get(PREFIX).handler(ctx -> {
            if (ctx.request().path().equals(PREFIX)) {
                ctx.response()
                        .setStatusCode(302)
                        .putHeader(HttpHeaders.LOCATION, PREFIX + "/")
                        .end();
            } else {
                ctx.next();
            }
        });
    }
}
