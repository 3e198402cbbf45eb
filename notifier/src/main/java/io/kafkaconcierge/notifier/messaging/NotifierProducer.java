package io.kafkaconcierge.notifier.messaging;

import io.kafkaconcierge.contracts.CloudEvents;
import io.kafkaconcierge.contracts.Json;
import io.kafkaconcierge.contracts.kafka.ClientSettings;
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
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * The notifier's one producer (acks=all, idempotent) for everything it writes: subscriptions, delivery attempts,
 * dead letters and its own CloudEvents. A plain producer rather than channels, because the writers are the
 * per-subscription dispatcher threads and the REST layer, and each waits for the acknowledgement it needs.
 */
@ApplicationScoped
public class NotifierProducer {

    public static final String SOURCE = "/kafka-concierge/notifier";

    private final KafkaProducer<String, String> producer;

    public NotifierProducer(KafkaSettings kafka) {
        this.producer = new KafkaProducer<>(
                ClientSettings.with(
                        kafka.clientSettings(),
                        Map.of(
                                ProducerConfig.CLIENT_ID_CONFIG, "kafka-concierge-notifier",
                                ProducerConfig.ACKS_CONFIG, "all",
                                ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true,
                                ProducerConfig.LINGER_MS_CONFIG, 5,
                                ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 30_000,
                                ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, 10_000,
                                ProducerConfig.MAX_BLOCK_MS_CONFIG, 10_000)),
                new StringSerializer(),
                new StringSerializer());
    }

    public CompletableFuture<RecordMetadata> send(String topic, String key, String value, Headers headers) {
        CompletableFuture<RecordMetadata> done = new CompletableFuture<>();
        producer.send(new ProducerRecord<>(topic, null, key, value, headers), (metadata, error) -> {
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

    /** A CloudEvent in binary mode, with the same attributes the provisioner's events carry. */
    public CompletableFuture<RecordMetadata> sendEvent(
            String topic, String key, String id, String type, Instant time, Object data) {
        RecordHeaders headers = new RecordHeaders();
        headers.add(CloudEvents.H_SPECVERSION, bytes(CloudEvents.SPEC_VERSION));
        headers.add(CloudEvents.H_ID, bytes(id));
        headers.add(CloudEvents.H_SOURCE, bytes(SOURCE));
        headers.add(CloudEvents.H_TYPE, bytes(type));
        headers.add(CloudEvents.H_TIME, bytes(time.toString()));
        headers.add(CloudEvents.H_SUBJECT, bytes(key));
        headers.add(CloudEvents.H_DATASCHEMA, bytes(CloudEvents.dataSchema(type)));
        headers.add(CloudEvents.H_CONTENT_TYPE, bytes(CloudEvents.CONTENT_TYPE_JSON));
        return send(topic, key, new String(Json.write(data), StandardCharsets.UTF_8), headers);
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @PreDestroy
    void close() {
        producer.close(Duration.ofSeconds(5));
    }
}
