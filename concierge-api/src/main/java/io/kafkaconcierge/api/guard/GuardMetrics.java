package io.kafkaconcierge.api.guard;

import io.kafkaconcierge.api.guard.LedgerState.State;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Duration;
import java.time.Instant;

/**
 * The approval stage as gauges, read from the ledger at each scrape: requests waiting for approvers, and how long the
 * oldest has waited (a request waiting is not stuck, so it is not in concierge_request_oldest_in_flight_seconds).
 */
@ApplicationScoped
public class GuardMetrics {

    private final Ledger ledger;
    private final MeterRegistry registry;

    public GuardMetrics(Ledger ledger, MeterRegistry registry) {
        this.ledger = ledger;
        this.registry = registry;
    }

    void register(@Observes StartupEvent event) {
        Gauge.builder(
                        "concierge_approvals_waiting",
                        () -> ledger.open().stream()
                                .filter(e -> e.state == State.AWAITING_APPROVAL)
                                .count())
                .description("Requests waiting for approvers")
                .register(registry);
        Gauge.builder(
                        "concierge_approval_oldest_waiting_seconds",
                        () -> ledger.open().stream()
                                .filter(e -> e.state == State.AWAITING_APPROVAL)
                                .map(e -> e.reserve.at())
                                .min(Instant::compareTo)
                                .map(t -> (double)
                                        Duration.between(t, Instant.now()).toSeconds())
                                .orElse(0.0))
                .description("How long the oldest request waiting for approvers has waited; 0 when none")
                .register(registry);
    }
}
