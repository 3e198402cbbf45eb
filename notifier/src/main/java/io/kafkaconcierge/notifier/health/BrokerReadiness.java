package io.kafkaconcierge.notifier.health;

import io.kafkaconcierge.security.KafkaSettings;
import io.quarkus.scheduler.Scheduled;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/**
 * Not ready while the concierge's Kafka does not answer: the notifier cannot read events, record attempts or keep
 * subscriptions then, and a load balancer should send subscription calls to a replica that can. The broker is asked
 * on the scheduler ({@code describeCluster}, bounded by the check's timeout), never on the probe's own request, so a
 * probe answers at once from the last answer.
 */
@Readiness
@ApplicationScoped
public class BrokerReadiness implements HealthCheck {

    private static final Duration TIMEOUT = Duration.ofSeconds(3);

    private final Admin admin;
    private volatile String problem = "not asked yet";

    public BrokerReadiness(KafkaSettings kafka) {
        Map<String, Object> settings = new HashMap<>(kafka.clientSettings());
        settings.put(AdminClientConfig.CLIENT_ID_CONFIG, "notifier-readiness");
        settings.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, (int) TIMEOUT.toMillis());
        settings.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, (int) TIMEOUT.toMillis());
        this.admin = Admin.create(settings);
    }

    @Scheduled(every = "5s", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void ask() {
        try {
            admin.describeCluster().nodes().get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            problem = null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Exception e) {
            problem = "the concierge's Kafka did not answer describeCluster: "
                    + (e.getCause() != null ? e.getCause() : e);
        }
    }

    @Override
    public HealthCheckResponse call() {
        String seen = problem;
        return HealthCheckResponse.named("kafka")
                .status(seen == null)
                .withData("kafka", seen == null ? "answers" : seen)
                .build();
    }

    @PreDestroy
    void close() {
        admin.close(Duration.ofSeconds(2));
    }
}
