package io.kafkaconcierge.api.rest.dto;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import java.util.Map;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** The body of {@code PATCH /api/v1/instances/{name}}: only what changes. */
@JsonIgnoreProperties(ignoreUnknown = false)
@Schema(name = "InstancePatchRequest", description = "Changes to an instance: configs, more brokers, protection")
public record InstancePatchRequest(
        @Schema(description = "New broker count: more than now, never fewer", example = "4")
        Integer brokers,

        @Schema(
                description = "Configs to set; a null value returns the config to its default",
                example = "{\"log.retention.hours\": 72, \"compression.type\": null}")
        Map<String, Object> config,

        @Schema(description = "Set or clear the protection against DELETE")
        Boolean deletionProtection,

        @Schema(description = "New description") String description) {}
