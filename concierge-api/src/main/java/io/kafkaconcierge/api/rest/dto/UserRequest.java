package io.kafkaconcierge.api.rest.dto;

import io.kafkaconcierge.contracts.UserSpec.Grant;
import io.kafkaconcierge.contracts.UserSpec.Quotas;
import java.util.List;

/** A new Kafka user (service account) of a team on a cluster or instance. */
public record UserRequest(
        String cluster, String name, String owner, List<Grant> grants, Quotas quotas, String description) {}
