package io.kafkaconcierge.notifier.messaging;

import io.kafkaconcierge.contracts.kafka.ClientSettings;
import io.kafkaconcierge.contracts.kafka.CloudEventRecords;
import io.kafkaconcierge.security.KafkaSettings;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * The notifier's one producer (acks=all, idempotent) for everything it writes: subscriptions, delivery attempts,
 * dead letters and its own CloudEvents. A plain producer rather than channels, because the writers are the
 * per-subscription dispatcher threads and the REST layer, and each waits for the acknowledgement it needs.
 */
@ApplicationScoped
public class NotifierProducer {

    public static final String SOURCE = "/kafka-concierge/notifier";

    private final KafkaProducer<String, byte[]> producer;
    /**
     * Delivery attempts only: nobody waits for them, and there is one per webhook attempt, so they wait up to 50 ms to
     * go in fuller batches (fewer produce requests for this process and the broker). Same guarantees (acks=all,
     * idempotent).
     */
    private final KafkaProducer<String, byte[]> attempts;

    public NotifierProducer(KafkaSettings kafka) {
        this.producer = producer(kafka, "kafka-concierge-notifier", 5, 16_384);
        this.attempts = producer(kafka, "kafka-concierge-notifier-attempts", 50, 131_072);
    }

    /** A producer with the guarantees every write here needs (acks=all, idempotent), batching as given. */
    private static KafkaProducer<String, byte[]> producer(
            KafkaSettings kafka, String clientId, int lingerMs, int batchBytes) {
        return new KafkaProducer<>(
                ClientSettings.with(
                        kafka.clientSettings(),
                        Map.of(
                                ProducerConfig.CLIENT_ID_CONFIG,
                                clientId,
                                ProducerConfig.ACKS_CONFIG,
                                "all",
                                ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG,
                                true,
                                ProducerConfig.LINGER_MS_CONFIG,
                                lingerMs,
                                ProducerConfig.BATCH_SIZE_CONFIG,
                                batchBytes,
                                ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG,
                                30_000,
                                ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG,
                                10_000,
                                ProducerConfig.MAX_BLOCK_MS_CONFIG,
                                10_000)),
                new StringSerializer(),
                new ByteArraySerializer());
    }

    /**
     * A record nobody waits for, written in batches (up to 50 ms later): the delivery attempts. Failures come in the
     * returned future, as with {@link #send(String, String, String, Headers)}.
     */
    public CompletableFuture<RecordMetadata> sendBatched(String topic, String key, String value, Headers headers) {
        return send(
                attempts,
                new ProducerRecord<>(
                        topic, null, key, value == null ? null : value.getBytes(StandardCharsets.UTF_8), headers));
    }

    public CompletableFuture<RecordMetadata> send(String topic, String key, String value, Headers headers) {
        return send(new ProducerRecord<>(
                topic, null, key, value == null ? null : value.getBytes(StandardCharsets.UTF_8), headers));
    }

    private CompletableFuture<RecordMetadata> send(ProducerRecord<String, byte[]> record) {
        return send(producer, record);
    }

    private static CompletableFuture<RecordMetadata> send(
            KafkaProducer<String, byte[]> producer, ProducerRecord<String, byte[]> record) {
        CompletableFuture<RecordMetadata> done = new CompletableFuture<>();
        producer.send(record, (metadata, error) -> {
            if (error != null) {
                done.completeExceptionally(error);
            } else {
                done.complete(metadata);
            }
        });
        return done;
    }

    public CompletableFuture<RecordMetadata> send(String topic, String key, String value) {
        return send(topic, key, value, new RecordHeaders());
    }

    /**
     * A CloudEvent in binary mode, with the same attributes the provisioner's events carry, written by the CloudEvents
     * Java SDK.
     */
    public CompletableFuture<RecordMetadata> sendEvent(
            String topic, String key, String id, String type, Instant time, Object data) {
        return send(CloudEventRecords.binary(topic, key, CloudEventRecords.event(id, SOURCE, type, time, key, data)));
    }

    @PreDestroy
    void close() {
        attempts.close(Duration.ofSeconds(5));
        producer.close(Duration.ofSeconds(5));
    }
}
