package io.kafkaconcierge.provisioner.messaging;

import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/** Not ready until the outcome log has read the recent outcomes, so redelivered commands are recognised. */
@Readiness
@ApplicationScoped
public class ProvisionerReadinessCheck implements HealthCheck {

    private final OutcomeLog outcomes;

    public ProvisionerReadinessCheck(OutcomeLog outcomes) {
        this.outcomes = outcomes;
    }

    @Override
    public HealthCheckResponse call() {
        return HealthCheckResponse.named("outcome-log")
                .status(outcomes.caughtUp())
                .build();
    }
}
