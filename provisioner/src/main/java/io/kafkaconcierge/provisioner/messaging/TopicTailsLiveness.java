package io.kafkaconcierge.provisioner.messaging;

import io.kafkaconcierge.contracts.kafka.TopicTail;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.interceptor.Interceptor;
import java.util.concurrent.atomic.AtomicLong;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;
import org.eclipse.microprofile.health.Liveness;

/**
 * Alive only while every topic reader of the service runs: a reader whose consumer fails starts again by itself
 * (its restarts are shown here), one whose thread is gone all the same takes the service down so that it is
 * restarted rather than serving a view that no longer moves. Their metrics:
 * {@code concierge_unreadable_records_total{reader}} (records a reader could not read and passed: the alert
 * {@code ConciergeUnreadableRecords}) and {@code concierge_topic_reader_restarts_total{reader}}.
 */
@Liveness
@ApplicationScoped
public class TopicTailsLiveness implements HealthCheck {

    private final MeterRegistry registry;

    public TopicTailsLiveness(MeterRegistry registry) {
        this.registry = registry;
    }

    private final java.util.function.Consumer<TopicTail> meters = this::meters;

    /** Before the readers start (they start on the same event): each one's meters as it starts. */
    void onStart(@Observes @Priority(Interceptor.Priority.PLATFORM_BEFORE) StartupEvent event) {
        TopicTail.whenStarted(meters);
    }

    void onStop(@Observes ShutdownEvent event) {
        TopicTail.forget(meters);
    }

    private void meters(TopicTail tail) {
        FunctionCounter.builder(
                        "concierge_unreadable_records_total", TopicTail.failedRecordsOf(tail.name()), AtomicLong::get)
                .description("Records a topic reader could not read and passed")
                .tag("reader", tail.name())
                .register(registry);
        FunctionCounter.builder(
                        "concierge_topic_reader_restarts_total", TopicTail.restartsOf(tail.name()), AtomicLong::get)
                .description("Times a topic reader's consumer failed and was replaced")
                .tag("reader", tail.name())
                .register(registry);
    }

    @Override
    public HealthCheckResponse call() {
        HealthCheckResponseBuilder response =
                HealthCheckResponse.named("topic-readers").up();
        for (TopicTail tail : TopicTail.started()) {
            if (!tail.alive()) {
                response.down();
            }
            response.withData(
                    tail.name(),
                    (tail.alive() ? "reading" : "dead") + ", " + tail.restarts()
                            + " restart(s), " + tail.failedRecords() + " record(s) passed"
                            + (tail.problem() == null ? "" : "; " + tail.problem()));
        }
        return response.build();
    }
}
