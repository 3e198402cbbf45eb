package io.kafkaconcierge.api.view;

import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/** Not ready until the request view has read the concierge topics up to where they were at start. */
@Readiness
@ApplicationScoped
public class ViewReadinessCheck implements HealthCheck {

    private final ViewLoader loader;

    public ViewReadinessCheck(ViewLoader loader) {
        this.loader = loader;
    }

    @Override
    public HealthCheckResponse call() {
        var builder = HealthCheckResponse.named("request-view").status(loader.caughtUp());
        if (!loader.caughtUp()) {
            builder.withData("reason", String.valueOf(loader.problem()));
        }
        return builder.build();
    }
}
