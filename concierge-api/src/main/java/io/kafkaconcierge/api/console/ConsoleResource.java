package io.kafkaconcierge.api.console;

import io.kafkaconcierge.api.config.ApiConfig;
import io.kafkaconcierge.problem.Problem.FieldError;
import io.kafkaconcierge.problem.ProblemException;
import io.vertx.core.http.HttpServerRequest;
import jakarta.annotation.security.PermitAll;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.openapi.annotations.Operation;

/**
 * The console's two public calls: what the sign-in page needs to know (nothing secret: the provider's URL and the
 * console's public client id, the limits a form shows), and the local run's one-click sign-in. Not part of the API's
 * document: they are the console's plumbing, not something to build a client on.
 */
@Path("/api/v1/console")
@Produces(MediaType.APPLICATION_JSON)
@PermitAll
public class ConsoleResource {

    /** What the console needs before anyone signs in. */
    public record Settings(Oidc oidc, boolean devLogin, Limits limits) {}

    /** The provider to sign in with (authorization-code flow with PKCE), if any. */
    public record Oidc(String authServerUrl, String clientId) {}

    /** The limits forms show. */
    public record Limits(
            int maxPartitions,
            int maxBrokers,
            List<String> kafkaVersions,
            String defaultKafkaVersion,
            String instanceBackend) {}

    /** Whom to sign in as locally: {@code demo} or {@code admin}. */
    public record DevLoginRequest(String as) {}

    private final ConsoleConfig console;
    private final ApiConfig api;
    private final DevLogin devLogin;
    private final Optional<String> authServerUrl;

    public ConsoleResource(
            ConsoleConfig console,
            ApiConfig api,
            DevLogin devLogin,
            @ConfigProperty(name = "quarkus.oidc.auth-server-url") Optional<String> authServerUrl) {
        this.console = console;
        this.api = api;
        this.devLogin = devLogin;
        this.authServerUrl = authServerUrl;
    }

    @GET
    @Path("settings")
    @Operation(hidden = true)
    public Response settings() {
        Oidc oidc = console.oidc()
                .authServerUrl()
                .or(() -> authServerUrl)
                .filter(s -> !s.isBlank())
                .map(url -> new Oidc(url.replaceAll("/+$", ""), console.oidc().clientId()))
                .orElse(null);
        Settings settings = new Settings(
                oidc,
                devLogin.available(),
                new Limits(
                        api.topics().maxPartitions(),
                        api.instances().maxBrokers(),
                        api.instances().versions(),
                        api.instances().defaultVersion(),
                        api.instances().backend()));
        return Response.ok(settings).header("Cache-Control", "no-store").build();
    }

    @POST
    @Path("dev-login")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(hidden = true)
    public Response devLogin(DevLoginRequest body, @Context HttpServerRequest request) {
        // a local convenience for the person at this machine: never through a proxy, never from another host
        if (!devLogin.available() || !fromThisMachine(request)) {
            throw ProblemException.notFound("There is no one-click sign-in here: sign in with your identity provider");
        }
        DevLogin.Persona persona;
        try {
            persona = DevLogin.Persona.valueOf(
                    body == null || body.as() == null ? "" : body.as().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw ProblemException.validation(List.of(new FieldError("as", "must be demo or admin")));
        }
        DevLogin.Token token = devLogin.token(persona).orElseThrow();
        return Response.ok(token).header("Cache-Control", "no-store").build();
    }

    static boolean fromThisMachine(HttpServerRequest request) {
        if (request.getHeader("Forwarded") != null
                || request.getHeader("X-Forwarded-For") != null
                || request.remoteAddress() == null) {
            return false;
        }
        try {
            return InetAddress.getByName(request.remoteAddress().hostAddress()).isLoopbackAddress();
        } catch (UnknownHostException e) {
            return false;
        }
    }
}
