package io.kafkaconcierge.notifier.health;

import io.kafkaconcierge.notifier.delivery.Dispatchers;
import io.kafkaconcierge.notifier.subscription.SubscriptionStore;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/** Ready once every subscription is read and the dispatchers run: before that, a GET could miss a subscription. */
@Readiness
@ApplicationScoped
public class SubscriptionsReadiness implements HealthCheck {

    private final SubscriptionStore store;
    private final Dispatchers dispatchers;

    public SubscriptionsReadiness(SubscriptionStore store, Dispatchers dispatchers) {
        this.store = store;
        this.dispatchers = dispatchers;
    }

    @Override
    public HealthCheckResponse call() {
        boolean ready = store.caughtUp() && dispatchers.ready();
        return HealthCheckResponse.named("subscriptions")
                .status(ready)
                .withData("store", ready ? "read" : String.valueOf(store.problem()))
                .build();
    }
}
