package io.kafkaconcierge.api.rest.dto;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import java.util.List;
import java.util.Map;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** The body of {@code POST /api/v1/instances}. Unknown fields are refused, so a typo cannot pass silently. */
@JsonIgnoreProperties(ignoreUnknown = false)
@Schema(name = "InstanceRequest", description = "A dedicated Kafka instance to provision")
public record InstanceRequest(
        @Schema(
                description = "DNS-1123 label (lower-case letters, digits, '-'), at most 40 characters; becomes "
                        + "the cluster name topic requests use",
                example = "analytics",
                required = true)
        String name,

        @Schema(description = "The team that owns the instance", example = "data-platform", required = true)
        String owner,

        @Schema(description = "1 to the configured maximum", example = "3", required = true)
        Integer brokers,

        @Schema(description = "One of the backend's versions; its default when absent", example = "4.1.1")
        String kafkaVersion,

        @Schema(
                description = "Broker configs from the allow-list, with typed, ranged values",
                example = "{\"num.partitions\": 6, \"min.insync.replicas\": 2}")
        Map<String, Object> config,

        @Schema(description = "ephemeral (default) or persistent with a size")
        StorageRequest storage,

        @Schema(description = "How clients connect; one internal plain listener on 9092 when absent")
        List<ListenerRequest> listeners,

        @Schema(description = "CPU and memory requests and limits (Kubernetes backend)")
        ResourcesRequest resources,

        @Schema(description = "While true, DELETE is refused")
        Boolean deletionProtection,

        @Schema(description = "What the instance is for") String description,

        @Schema(
                description = "The environment class whose policy applies to it and its topics: dev (default), "
                        + "test or prod",
                example = "dev")
        String environment,

        @Schema(
                description = "Authentication and authorization of the instance's client listeners (local backend); "
                        + "plaintext without an authorizer when absent")
        SecurityRequest security) {

    @JsonIgnoreProperties(ignoreUnknown = false)
    @Schema(name = "InstanceSecurity")
    public record SecurityRequest(
            @Schema(
                    description =
                            "scram-sha-512: clients log in with SASL/SCRAM-SHA-512 (users from POST /api/v1/users)",
                    example = "scram-sha-512",
                    required = true)
            String authentication,

            @Schema(
                    description =
                            "StandardAuthorizer on every node, allow.everyone.if.no.acl.found=false: a client may "
                                    + "do only what its grants allow; true when absent",
                    example = "true")
            Boolean authorization) {}

    @JsonIgnoreProperties(ignoreUnknown = false)
    @Schema(name = "Storage")
    public record StorageRequest(
            @Schema(description = "ephemeral or persistent", example = "persistent")
            String type,

            @Schema(description = "For persistent: a Kubernetes quantity", example = "10Gi")
            String size) {}

    @JsonIgnoreProperties(ignoreUnknown = false)
    @Schema(name = "Listener")
    public record ListenerRequest(
            @Schema(description = "1 to 11 lower-case letters or digits", example = "plain")
            String name,

            @Schema(description = "Port on Kubernetes, 9092 and up (not 9404 or 9999)", example = "9092")
            Integer port,

            @Schema(description = "internal, or external where the backend supports it", example = "internal")
            String type,

            @Schema(description = "TLS encryption, where the backend supports it")
            Boolean tls) {}

    @JsonIgnoreProperties(ignoreUnknown = false)
    @Schema(name = "Resources")
    public record ResourcesRequest(
            @Schema(example = "{\"cpu\": \"500m\", \"memory\": \"2Gi\"}")
            Map<String, String> requests,

            @Schema(example = "{\"cpu\": \"2\", \"memory\": \"2Gi\"}")
            Map<String, String> limits) {}
}
