package io.kafkaconcierge.api.rest.dto;

import io.kafkaconcierge.contracts.UserSpec.Grant;
import io.kafkaconcierge.contracts.UserSpec.Quotas;
import java.util.List;

/** What a PATCH of a user changes: its grants (the whole list), its quotas (all of them), its description. */
public record UserPatchRequest(List<Grant> grants, Quotas quotas, String description) {}
