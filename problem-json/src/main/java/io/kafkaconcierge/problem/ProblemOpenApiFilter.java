package io.kafkaconcierge.problem;

import java.util.Map;
import org.eclipse.microprofile.openapi.OASFactory;
import org.eclipse.microprofile.openapi.OASFilter;
import org.eclipse.microprofile.openapi.models.OpenAPI;
import org.eclipse.microprofile.openapi.models.Operation;
import org.eclipse.microprofile.openapi.models.PathItem;
import org.eclipse.microprofile.openapi.models.media.Content;
import org.eclipse.microprofile.openapi.models.media.Schema;
import org.eclipse.microprofile.openapi.models.responses.APIResponse;
import org.eclipse.microprofile.openapi.models.responses.APIResponses;

/**
 * Makes the OpenAPI document say what every {@code /api} operation really answers on an error: each one needs a
 * token, so each can answer {@code 401} and {@code 403}; and every 4xx and 5xx is an RFC 9457 problem
 * ({@code application/problem+json}, schema {@link Problem}). Registered with {@code mp.openapi.filter}; runs when
 * the document is built, so the document stored at build time and the one served at {@code /q/openapi} agree.
 */
public class ProblemOpenApiFilter implements OASFilter {

    static final String SCHEMA = "Problem";
    private static final String REF = "#/components/schemas/" + SCHEMA;

    @Override
    public void filterOpenAPI(OpenAPI openAPI) {
        if (openAPI.getPaths() == null || openAPI.getPaths().getPathItems() == null) {
            return;
        }
        boolean used = false;
        for (Map.Entry<String, PathItem> path :
                openAPI.getPaths().getPathItems().entrySet()) {
            if (!path.getKey().startsWith("/api/")) {
                continue;
            }
            for (Operation operation : path.getValue().getOperations().values()) {
                APIResponses responses = operation.getResponses();
                if (responses == null) {
                    responses = OASFactory.createAPIResponses();
                    operation.setResponses(responses);
                }
                addIfAbsent(
                        responses,
                        "401",
                        "No token, or a bad, expired, revoked or wrong-audience one "
                                + "(with WWW-Authenticate: Bearer)");
                addIfAbsent(
                        responses,
                        "403",
                        "The caller may not do this: not a member of the team, or a read-only " + "token");
                for (Map.Entry<String, APIResponse> response :
                        responses.getAPIResponses().entrySet()) {
                    if (response.getKey().startsWith("4") || response.getKey().startsWith("5")) {
                        describeAsProblem(response.getValue());
                        used = true;
                    }
                }
            }
        }
        if (used) {
            ensureSchema(openAPI);
        }
    }

    private static void addIfAbsent(APIResponses responses, String code, String description) {
        if (!responses.hasAPIResponse(code)) {
            responses.addAPIResponse(code, OASFactory.createAPIResponse().description(description));
        }
    }

    private static void describeAsProblem(APIResponse response) {
        Content content = response.getContent();
        if (content == null
                || content.getMediaTypes() == null
                || content.getMediaTypes().isEmpty()) {
            response.setContent(OASFactory.createContent()
                    .addMediaType(
                            Problem.MEDIA_TYPE,
                            OASFactory.createMediaType()
                                    .schema(OASFactory.createSchema().ref(REF))));
        }
    }

    /** The Problem schema, when no annotation of the service made it. */
    private static void ensureSchema(OpenAPI openAPI) {
        if (openAPI.getComponents() == null) {
            openAPI.setComponents(OASFactory.createComponents());
        }
        if (openAPI.getComponents().getSchemas() != null
                && openAPI.getComponents().getSchemas().containsKey(SCHEMA)) {
            return;
        }
        Schema string = OASFactory.createSchema().addType(Schema.SchemaType.STRING);
        Schema fieldError = OASFactory.createSchema()
                .addType(Schema.SchemaType.OBJECT)
                .addProperty("field", string)
                .addProperty("message", string);
        openAPI.getComponents()
                .addSchema(
                        SCHEMA,
                        OASFactory.createSchema()
                                .addType(Schema.SchemaType.OBJECT)
                                .description(
                                        "An RFC 9457 problem detail; errors lists the fields that failed validation")
                                .addProperty("type", string)
                                .addProperty("title", string)
                                .addProperty("status", OASFactory.createSchema().addType(Schema.SchemaType.INTEGER))
                                .addProperty("detail", string)
                                .addProperty("instance", string)
                                .addProperty(
                                        "errors",
                                        OASFactory.createSchema()
                                                .addType(Schema.SchemaType.ARRAY)
                                                .items(fieldError)));
    }
}
