package io.kafkaconcierge.contracts.kafka;

import io.kafkaconcierge.contracts.AuditRecord;
import io.kafkaconcierge.contracts.CloudEvents;
import io.kafkaconcierge.contracts.ConciergeTopics;
import java.net.URI;
import java.time.Duration;
import java.util.Map;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Appends {@link AuditRecord}s to {@link ConciergeTopics#AUDIT} as CloudEvents in binary mode (written by the
 * CloudEvents Java SDK, {@link CloudEventRecords}), keyed by team, with an
 * idempotent {@code acks=all} producer of its own. Writing does not wait: a decision is answered without waiting for
 * its audit record, and a record Kafka does not take is reported to {@code onFailure} (the services log it and
 * count it in a metric).
 */
public final class AuditWriter implements AutoCloseable {

    private final KafkaProducer<String, byte[]> producer;
    private final String source;
    private final java.util.function.Consumer<String> onFailure;

    /**
     * @param clientSettings the service's Kafka client settings (bootstrap servers, security); serializers and
     *                       delivery settings are set here
     * @param service        the service writing, e.g. {@code concierge-api}
     */
    public AuditWriter(
            Map<String, Object> clientSettings, String service, java.util.function.Consumer<String> onFailure) {
        Map<String, Object> settings = new java.util.HashMap<>(clientSettings);
        settings.put(ProducerConfig.CLIENT_ID_CONFIG, service + "-audit");
        settings.put(ProducerConfig.ACKS_CONFIG, "all");
        settings.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        settings.put(ProducerConfig.LINGER_MS_CONFIG, 5);
        settings.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, 5_000);
        settings.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 120_000);
        this.producer = new KafkaProducer<>(settings, new StringSerializer(), new ByteArraySerializer());
        this.source = "/kafka-concierge/" + service;
        this.onFailure = onFailure;
    }

    /** Sends the record; returns at once. */
    public void write(AuditRecord record) {
        try {
            ProducerRecord<String, byte[]> out = CloudEventRecords.binary(
                    ConciergeTopics.AUDIT,
                    record.team(),
                    CloudEventRecords.event(
                            record.id(),
                            source,
                            AuditRecord.TYPE,
                            record.time(),
                            record.team(),
                            URI.create(CloudEvents.AUDIT_DATASCHEMA),
                            record));
            producer.send(out, (metadata, error) -> {
                if (error != null) {
                    fail(record, error);
                }
            });
        } catch (RuntimeException e) {
            fail(record, e);
        }
    }

    private void fail(AuditRecord record, Throwable error) {
        onFailure.accept("audit record " + record.id() + " (" + record.action() + " " + record.decision()
                + ") was not written: " + error);
    }

    /** Waits until what was sent is on Kafka (or failed). */
    public void flush() {
        producer.flush();
    }

    @Override
    public void close() {
        producer.close(Duration.ofSeconds(5));
    }
}
