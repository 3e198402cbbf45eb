package io.kafkaconcierge.security.audit;

import io.kafkaconcierge.contracts.AuditRecord;
import io.kafkaconcierge.contracts.AuditRecord.Decision;
import io.kafkaconcierge.contracts.kafka.AuditWriter;
import io.kafkaconcierge.security.Caller;
import io.kafkaconcierge.security.KafkaSettings;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.logging.Log;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.UUID;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/** Records decisions of this service on {@code concierge.audit}; counts them by decision. */
@ApplicationScoped
public class Audit {

    private final AuditWriter writer;
    private final String service;
    private final MeterRegistry registry;

    public Audit(
            KafkaSettings kafka,
            @ConfigProperty(name = "quarkus.application.name") String service,
            MeterRegistry registry) {
        this.service = service;
        this.registry = registry;
        this.writer = new AuditWriter(kafka.clientSettings(), service, problem -> {
            registry.counter("concierge_audit_failures_total").increment();
            Log.warn(problem);
        });
    }

    /** A decision about a caller (null: a caller the concierge could not identify). */
    public void record(
            Caller caller,
            String team,
            String action,
            Decision decision,
            String reason,
            String detail,
            Integer status,
            String requestId,
            String resource) {
        String subject = caller == null ? "anonymous" : caller.subject();
        write(new AuditRecord(
                UUID.randomUUID().toString(),
                Instant.now(),
                team != null ? team : caller != null ? caller.defaultTeam() : AuditRecord.NO_TEAM,
                subject,
                caller == null ? null : caller.name(),
                caller == null ? null : caller.tokenName(),
                action,
                decision,
                reason,
                detail,
                status,
                requestId,
                resource,
                service));
    }

    public void write(AuditRecord record) {
        registry.counter(
                        "concierge_audit_records_total",
                        "decision",
                        record.decision().name().toLowerCase())
                .increment();
        writer.write(record);
    }

    /** Waits until every record sent so far is on Kafka (tests, shutdown). */
    public void flush() {
        writer.flush();
    }

    @PreDestroy
    void close() {
        writer.close();
    }
}
