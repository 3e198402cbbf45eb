package io.kafkaconcierge.problem;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.core.io.JsonEOFException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import io.kafkaconcierge.problem.Problem.FieldError;
import io.quarkus.logging.Log;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import java.util.List;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/** Every error leaves the API as problem+json, never as a stack trace. */
public class ProblemMappers {

    @ServerExceptionMapper
    public Response problem(ProblemException e, UriInfo uri) {
        Response.ResponseBuilder response =
                Response.status(e.status()).type(Problem.MEDIA_TYPE).entity(e.toProblem(Problem.instance(uri)));
        if (e.retryAfterSeconds() != null) {
            response.header("Retry-After", e.retryAfterSeconds());
        }
        return response.build();
    }

    /** Quarkus maps these more specific types itself; naming them here makes them problem+json too. */
    @ServerExceptionMapper(priority = 1)
    public Response mismatchedInput(MismatchedInputException e, UriInfo uri) {
        return unreadableJson(e, uri);
    }

    @ServerExceptionMapper(priority = 1)
    public Response unparseable(JsonParseException e, UriInfo uri) {
        return unreadableJson(e, uri);
    }

    @ServerExceptionMapper(priority = 1)
    public Response unreadableJson(JsonProcessingException e, UriInfo uri) {
        return Response.status(400)
                .type(Problem.MEDIA_TYPE)
                .entity(malformedBody(e, Problem.instance(uri)))
                .build();
    }

    /**
     * What is wrong with an unreadable body, in words of the API: never Jackson's own message, which names Java
     * types ({@code java.lang.Integer}) and parser internals ({@code JsonToken.START_OBJECT}).
     */
    static Problem malformedBody(JsonProcessingException e, String instance) {
        List<FieldError> errors = List.of();
        String detail;
        boolean tooBig = e instanceof StreamConstraintsException || e.getCause() instanceof StreamConstraintsException;
        if (tooBig) {
            detail = "The body is nested too deeply, or has a string, name or number too long, to be read";
        } else if (e instanceof JsonEOFException) {
            detail = "The body ends before its JSON does";
        } else if (e instanceof JsonParseException) {
            detail = "The body is not valid JSON" + location(e);
        } else {
            detail = "The body does not have the shape this operation reads";
        }
        if (e instanceof UnrecognizedPropertyException u) {
            errors = List.of(
                    new FieldError(u.getPropertyName(), "unknown field; known fields: " + u.getKnownPropertyIds()));
            detail = "The body has a field this operation does not know";
        } else if (e instanceof JsonMappingException m && !m.getPath().isEmpty() && !tooBig) {
            StringBuilder field = new StringBuilder();
            for (JsonMappingException.Reference r : m.getPath()) {
                if (r.getFieldName() != null) {
                    field.append(field.length() == 0 ? "" : ".").append(r.getFieldName());
                } else {
                    field.append('[').append(r.getIndex()).append(']');
                }
            }
            List<String> values = e instanceof InvalidFormatException f ? enumValues(f.getTargetType()) : List.of();
            errors = List.of(
                    new FieldError(field.toString(), values.isEmpty() ? "has the wrong type" : "is none of " + values));
            detail = "A field of the body has the wrong type";
        }
        return new Problem(
                Problem.TYPE_BASE + "malformed-body", "The body cannot be read", 400, detail, instance, errors);
    }

    /** The JSON names of an enum's values (their {@code @JsonProperty}, else their names), or none. */
    private static List<String> enumValues(Class<?> type) {
        if (type == null || !type.isEnum()) {
            return List.of();
        }
        List<String> names = new java.util.ArrayList<>();
        for (Object constant : type.getEnumConstants()) {
            String name = ((Enum<?>) constant).name();
            try {
                com.fasterxml.jackson.annotation.JsonProperty p =
                        type.getField(name).getAnnotation(com.fasterxml.jackson.annotation.JsonProperty.class);
                names.add(p == null || p.value().isEmpty() ? name : p.value());
            } catch (NoSuchFieldException ex) {
                names.add(name);
            }
        }
        return names;
    }

    private static String location(JsonProcessingException e) {
        JsonLocation at = e.getLocation();
        return at == null || at.getLineNr() < 0
                ? ""
                : " (line " + at.getLineNr() + ", column " + at.getColumnNr() + ")";
    }

    @ServerExceptionMapper
    public Response webApplication(WebApplicationException e, UriInfo uri) {
        int status = e.getResponse().getStatus();
        String title = e.getResponse().getStatusInfo().getReasonPhrase();
        return Response.status(status)
                .type(Problem.MEDIA_TYPE)
                .entity(new Problem(
                        Problem.TYPE_BASE + "http-" + status,
                        title,
                        status,
                        e.getMessage(),
                        Problem.instance(uri),
                        null))
                .build();
    }

    @ServerExceptionMapper
    public Response unexpected(RuntimeException e, UriInfo uri) {
        Log.error("unexpected error answering " + Problem.instance(uri), e);
        return Response.status(500)
                .type(Problem.MEDIA_TYPE)
                .entity(new Problem(
                        Problem.TYPE_BASE + "internal",
                        "Internal error",
                        500,
                        "The request could not be handled; nothing was accepted. The error is logged.",
                        Problem.instance(uri),
                        null))
                .build();
    }
}
