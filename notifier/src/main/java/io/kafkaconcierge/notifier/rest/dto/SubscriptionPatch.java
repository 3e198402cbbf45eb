package io.kafkaconcierge.notifier.rest.dto;

import io.kafkaconcierge.notifier.subscription.Subscription;
import java.util.List;

/**
 * Changes to a subscription; fields left out stay as they are. The channel's type cannot change.
 *
 * @param state {@code ACTIVE} turns a disabled subscription on again (it resumes where it stopped: nothing it
 *              missed is lost within the events topic's retention); {@code DISABLED} pauses it
 */
public record SubscriptionPatch(
        String description, Subscription.Filter filter, String url, List<String> to, String state) {}
