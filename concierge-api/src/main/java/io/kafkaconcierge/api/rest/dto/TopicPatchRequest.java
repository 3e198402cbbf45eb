package io.kafkaconcierge.api.rest.dto;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import java.util.Map;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** The body of {@code PATCH /api/v1/topics/{cluster}/{name}}: only what changes. */
@JsonIgnoreProperties(ignoreUnknown = false)
@Schema(name = "TopicPatchRequest", description = "Changes to a topic: more partitions, configs to set or reset")
public record TopicPatchRequest(
        @Schema(description = "New partition count: more than now, never fewer", example = "12")
        Integer partitions,

        @Schema(
                description = "Configs to set; a null value returns the config to the cluster default",
                example = "{\"retention.ms\": \"86400000\", \"max.message.bytes\": null}")
        Map<String, Object> config,

        @Schema(description = "New description") String description) {}
