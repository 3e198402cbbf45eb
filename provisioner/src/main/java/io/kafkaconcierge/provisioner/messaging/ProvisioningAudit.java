package io.kafkaconcierge.provisioner.messaging;

import io.kafkaconcierge.contracts.AuditRecord;
import io.kafkaconcierge.contracts.AuditRecord.Decision;
import io.kafkaconcierge.contracts.StatusEvent;
import io.kafkaconcierge.contracts.kafka.AuditWriter;
import io.kafkaconcierge.contracts.kafka.ClientSettings;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.logging.Log;
import io.smallrye.common.annotation.Identifier;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Map;

/**
 * The provisioner's decisions on {@code concierge.audit}: a request provisioned, failed or deleted, recorded when its
 * terminal status event is written, under the same id as that event (so a re-sent event is one record to readers
 * that keep the newest per id). Who asked is in the API's record of the same request id.
 */
@ApplicationScoped
public class ProvisioningAudit {

    private final AuditWriter writer;
    private final MeterRegistry registry;

    public ProvisioningAudit(@Identifier("default-kafka-broker") Map<String, Object> kafka, MeterRegistry registry) {
        this.registry = registry;
        this.writer = new AuditWriter(ClientSettings.of(kafka), "provisioner", problem -> {
            registry.counter("concierge_audit_failures_total").increment();
            Log.warn(problem);
        });
    }

    /** Records the decision an event reports, if it is one (a request's end; not its steps or health changes). */
    public void record(StatusEvent event) {
        Decision decision = switch (event.state()) {
            case READY -> Decision.PROVISIONED;
            case FAILED -> Decision.FAILED;
            case DELETED -> Decision.DELETED;
            default -> null;
        };
        if (decision == null || event.sequence() != null) {
            return;
        }
        String owner = event.instance() != null
                ? event.instance().owner()
                : event.user() != null
                        ? event.user().owner()
                        : event.spec() != null ? event.spec().owner() : null;
        String action = event.resource().kind().segment() + "."
                + event.operation().name().toLowerCase();
        registry.counter(
                        "concierge_audit_records_total",
                        "decision",
                        decision.name().toLowerCase())
                .increment();
        writer.write(new AuditRecord(
                event.eventId(),
                event.time(),
                owner == null ? AuditRecord.NO_TEAM : owner,
                "system:provisioner",
                null,
                null,
                action,
                decision,
                event.reason() == null ? null : event.reason().name(),
                event.message(),
                null,
                event.requestId(),
                event.resource().key(),
                "provisioner"));
    }

    @PreDestroy
    void close() {
        writer.close();
    }
}
