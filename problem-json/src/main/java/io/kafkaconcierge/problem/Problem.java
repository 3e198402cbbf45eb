package io.kafkaconcierge.problem;

import java.util.List;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * An RFC 9457 problem detail. {@code errors} lists the fields that failed validation.
 */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
public record Problem(String type, String title, int status, String detail, String instance,
        List<FieldError> errors) {

    public static final String MEDIA_TYPE = "application/problem+json";
    public static final String TYPE_BASE = "https://kafkaconcierge.io/problems/";

    /** One invalid field: a JSON-pointer-like path such as {@code config.retention.ms}, and what is wrong. */
    public record FieldError(String field, String message) {
    }
}
