package io.kafkaconcierge.api.rest.dto;

import java.util.Map;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;

/** The body of {@code POST /api/v1/topics}. Unknown fields are refused, so a typo cannot pass silently. */
@JsonIgnoreProperties(ignoreUnknown = false)
@Schema(name = "TopicRequest", description = "A topic to create on a registered cluster")
public record TopicRequest(
        @Schema(description = "Registered cluster name", example = "local", required = true) String cluster,
        @Schema(description = "Topic name: [a-zA-Z0-9._-], at most 249 characters, not '.' or '..'",
                example = "orders.v1", required = true) String name,
        @Schema(description = "1 to the configured maximum", example = "6", required = true) Integer partitions,
        @Schema(description = "At most the cluster's broker count", example = "1",
                required = true) Integer replicationFactor,
        @Schema(description = "Topic configs Kafka knows, with values of the right type and range",
                example = "{\"retention.ms\": \"604800000\", \"cleanup.policy\": \"delete\"}") Map<String, Object> config,
        @Schema(description = "The team that owns the topic", example = "payments", required = true) String owner,
        @Schema(description = "What the topic is for", example = "Orders placed in the web shop") String description) {
}
