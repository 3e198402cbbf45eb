package io.kafkaconcierge.security;

import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.kafkaconcierge.problem.Problem;
import io.quarkus.jackson.ObjectMapperCustomizer;
import jakarta.inject.Singleton;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.Response;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;

/**
 * Hostile input stops at the edge: a body larger than {@code concierge.security.input.max-body-bytes} is a 413
 * before it is read (Vert.x's {@code quarkus.http.limits.max-body-size} is the backstop for bodies without a
 * Content-Length), and JSON deeper or with longer strings than configured is a 400 while it is parsed.
 */
public class InputLimits {

    private final SecurityConfig.Input config;

    public InputLimits(SecurityConfig config) {
        this.config = config.input();
    }

    /**
     * Limits of the JSON parser. The ObjectMapper is made while the application initialises, before config
     * mappings exist, so this reads the same properties (and defaults) through the plain config API.
     */
    @Singleton
    public static class JsonLimits implements ObjectMapperCustomizer {

        @Override
        public void customize(ObjectMapper mapper) {
            var config = org.eclipse.microprofile.config.ConfigProvider.getConfig();
            int depth = config.getOptionalValue("concierge.security.input.max-json-depth", Integer.class)
                    .orElse(16);
            int string = config.getOptionalValue("concierge.security.input.max-json-string", Integer.class)
                    .orElse(4096);
            mapper.getFactory()
                    .setStreamReadConstraints(StreamReadConstraints.builder()
                            .maxNestingDepth(depth)
                            .maxStringLength(string)
                            .maxNameLength(string)
                            .maxNumberLength(100)
                            .build());
        }
    }

    @ServerRequestFilter(preMatching = true)
    public Response bodySize(ContainerRequestContext request) {
        String length = request.getHeaderString("Content-Length");
        if (length == null) {
            return null;
        }
        long bytes;
        try {
            bytes = Long.parseLong(length.trim());
        } catch (NumberFormatException e) {
            return problem(400, "malformed-request", "Bad request", "Content-Length is not a number", request);
        }
        if (bytes > config.maxBodyBytes()) {
            return problem(
                    413,
                    "body-too-large",
                    "The body is too large",
                    "The body has " + bytes + " bytes; at most " + config.maxBodyBytes() + " are read",
                    request);
        }
        return null;
    }

    private static Response problem(
            int status, String slug, String title, String detail, ContainerRequestContext request) {
        return Response.status(status)
                .type(Problem.MEDIA_TYPE)
                .entity(new Problem(
                        Problem.TYPE_BASE + slug, title, status, detail, Problem.instance(request.getUriInfo()), null))
                .build();
    }
}
