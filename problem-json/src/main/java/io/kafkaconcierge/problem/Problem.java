package io.kafkaconcierge.problem;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;

/**
 * An RFC 9457 problem detail. {@code errors} lists the fields that failed validation.
 */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
public record Problem(String type, String title, int status, String detail, String instance, List<FieldError> errors) {

    public static final String MEDIA_TYPE = "application/problem+json";
    public static final String TYPE_BASE = "https://kafkaconcierge.io/problems/";

    /**
     * The request's path for {@code instance}: decoded, or as sent when it does not decode. {@code UriInfo.getPath()}
     * decodes the path again, and throws on a path such as {@code /a/%25zz;m=1}, whose first decoding is {@code %zz}:
     * an exception mapper that called it answered a 500 with a stack trace.
     */
    public static String instance(jakarta.ws.rs.core.UriInfo uri) {
        try {
            return uri.getPath();
        } catch (IllegalArgumentException e) {
            try {
                return uri.getRequestUri().getRawPath();
            } catch (RuntimeException again) {
                return null;
            }
        }
    }

    /**
     * One invalid field: a JSON-pointer-like path such as {@code config.retention.ms}, and what is wrong. A refusal
     * by a rule (a policy or a quota) also names the rule, the value asked, the bound and, for a quota, the usage.
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record FieldError(String field, String message, String rule, Object asked, Object bound, Object usage) {

        public FieldError(String field, String message) {
            this(field, message, null, null, null, null);
        }
    }
}
