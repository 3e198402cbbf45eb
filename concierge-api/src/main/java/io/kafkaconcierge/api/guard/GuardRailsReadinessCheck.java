package io.kafkaconcierge.api.guard;

import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/** Not ready until the ledger and the governance topic are read up to where they were at start. */
@Readiness
@ApplicationScoped
public class GuardRailsReadinessCheck implements HealthCheck {

    private final GuardRails guard;

    public GuardRailsReadinessCheck(GuardRails guard) {
        this.guard = guard;
    }

    @Override
    public HealthCheckResponse call() {
        var builder = HealthCheckResponse.named("guard-rails").status(guard.caughtUp());
        if (!guard.caughtUp()) {
            builder.withData("reason", String.valueOf(guard.problem()));
        }
        return builder.build();
    }
}
