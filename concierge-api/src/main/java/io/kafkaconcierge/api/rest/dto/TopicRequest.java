package io.kafkaconcierge.api.rest.dto;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import io.kafkaconcierge.contracts.TopicSpec.UserAccess;
import java.util.List;
import java.util.Map;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** The body of {@code POST /api/v1/topics}. Unknown fields are refused, so a typo cannot pass silently. */
@JsonIgnoreProperties(ignoreUnknown = false)
@Schema(name = "TopicRequest", description = "A topic to create on a registered cluster")
public record TopicRequest(
        @Schema(description = "Registered cluster name", example = "local", required = true)
        String cluster,

        @Schema(
                description = "Topic name: [a-zA-Z0-9._-], at most 249 characters, not '.' or '..'",
                example = "orders.v1",
                required = true)
        String name,

        @Schema(description = "1 to the configured maximum", example = "6", required = true)
        Integer partitions,

        @Schema(description = "At most the cluster's broker count", example = "1", required = true)
        Integer replicationFactor,

        @Schema(
                description = "Topic configs Kafka knows, with values of the right type and range",
                example = "{\"retention.ms\": \"604800000\", \"cleanup.policy\": \"delete\"}")
        Map<String, Object> config,

        @Schema(description = "The team that owns the topic", example = "payments", required = true)
        String owner,

        @Schema(description = "What the topic is for", example = "Orders placed in the web shop")
        String description,

        @Schema(
                description =
                        "Access to this topic for users of the same team on the same cluster, made with the "
                                + "topic: one request, one approval, READY once the topic is usable and the ACLs are in force. Each "
                                + "entry takes the operations of a user's grant (consume needs a group); it becomes a grant of that "
                                + "user, shown by GET /api/v1/users/{cluster}/{name} and kept by later changes of the user until a "
                                + "PATCH of its grants leaves it out. Deleting the topic does not remove it; deleting the user does.",
                example = "[{\"user\": \"payments-orders-writer\", \"operations\": [\"produce\"]}]")
        @JsonInclude(JsonInclude.Include.NON_NULL)
        List<UserAccess> access) {}
