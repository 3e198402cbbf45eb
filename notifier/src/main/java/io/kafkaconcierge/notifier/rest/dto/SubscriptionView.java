package io.kafkaconcierge.notifier.rest.dto;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.kafkaconcierge.notifier.subscription.Subscription;
import java.time.Instant;
import java.util.List;

/**
 * A subscription as clients see it: never its secrets, only when each was made and until when it is sent. The
 * {@code secret} is there once, in the answer to the create or the rotation that made it.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record SubscriptionView(
        String id,
        String owner,
        String description,
        Subscription.Filter filter,
        ChannelView channel,
        String state,
        String disabledReason,
        String disabledMessage,
        Instant disabledAt,
        Instant createdAt,
        Instant updatedAt,
        boolean configured,
        List<SecretInfo> secrets,
        String secret) {

    /** Where events go. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record ChannelView(String type, String url, List<String> to) {}

    /** A signing secret without its value. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record SecretInfo(Instant createdAt, Instant expiresAt) {}

    public static SubscriptionView of(Subscription s, String newSecret) {
        List<SecretInfo> secrets = s.secrets() == null
                ? null
                : s.liveSecrets(Instant.now()).stream()
                        .map(x -> new SecretInfo(x.createdAt(), x.expiresAt()))
                        .toList();
        return new SubscriptionView(
                s.id(),
                s.owner(),
                s.description(),
                s.filter(),
                new ChannelView(s.channel(), s.url(), s.to()),
                s.state(),
                s.disabledReason(),
                s.disabledMessage(),
                s.disabledAt(),
                s.createdAt(),
                s.updatedAt(),
                s.configured(),
                secrets,
                newSecret);
    }
}
