package io.kafkaconcierge.api.view;

import io.kafkaconcierge.contracts.RequestState;
import io.kafkaconcierge.contracts.ResourceKind;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;

/**
 * What the view knows, as gauges: requests in flight by kind and state, the age of the oldest one (a request stuck
 * somewhere shows here first), and instances by state. Read from the view at each scrape.
 */
@ApplicationScoped
public class ViewMetrics {

    private final RequestView view;
    private final MeterRegistry registry;

    public ViewMetrics(RequestView view, MeterRegistry registry) {
        this.view = view;
        this.registry = registry;
    }

    void register(@Observes StartupEvent event) {
        for (ResourceKind kind : ResourceKind.values()) {
            for (RequestState state : RequestState.values()) {
                if (!state.terminal() && state != RequestState.DEGRADED) {
                    Gauge.builder(
                                    "concierge_requests_in_flight",
                                    () -> view.inFlight()
                                            .getOrDefault(kind, Map.of())
                                            .getOrDefault(state, 0L))
                            .description("Requests accepted and not finished yet, by the step they are at")
                            .tags("kind", kind.segment(), "state", state.segment())
                            .register(registry);
                }
            }
        }
        Gauge.builder(
                        "concierge_request_oldest_in_flight_seconds",
                        () -> view.oldestInFlight()
                                .map(t -> (double)
                                        Duration.between(t, Instant.now()).toSeconds())
                                .orElse(0.0))
                .description("Age of the oldest request not finished yet; 0 when none")
                .register(registry);
        Gauge.builder("concierge_view_requests", () -> view.sizes().full())
                .description(
                        "Requests the view keeps in full: unfinished ones and those that decide what a resource shows")
                .tags("form", "full")
                .register(registry);
        Gauge.builder("concierge_view_requests", () -> view.sizes().summaries())
                .description(
                        "Superseded requests the view keeps as summaries (bounded by concierge.api.view.requests-kept)")
                .tags("form", "summary")
                .register(registry);
        Gauge.builder("concierge_view_gone_resources", () -> view.sizes().gone())
                .description("Deleted topics and users still shown (bounded by concierge.api.view.gone-resources-kept)")
                .register(registry);
        for (RequestState state : RequestState.values()) {
            Gauge.builder("concierge_instances", () -> view.instancesByState().getOrDefault(state, 0L))
                    .description("Dedicated instances by state")
                    .tags("state", state.segment())
                    .register(registry);
        }
    }
}
