package io.kafkaconcierge.contracts.kafka;

import io.cloudevents.CloudEvent;
import io.cloudevents.core.builder.CloudEventBuilder;
import io.cloudevents.kafka.KafkaMessageFactory;
import io.kafkaconcierge.contracts.CloudEvents;
import io.kafkaconcierge.contracts.Json;
import java.net.URI;
import java.time.Instant;
import java.time.ZoneOffset;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * CloudEvents written with the CloudEvents Java SDK: the event built by its {@link CloudEventBuilder} (which checks
 * the required attributes) and put on a Kafka record in binary mode by its {@link KafkaMessageFactory} writer
 * ({@code ce_*} headers, {@code content-type}, the data as the value). The services whose producers are plain
 * Kafka producers (the audit writer, the notifier) write their events through here; the provisioner's and the API's
 * go through SmallRye Reactive Messaging's CloudEvents support.
 */
public final class CloudEventRecords {

    private CloudEventRecords() {}

    /**
     * An event of ours whose data is {@code data} as JSON: {@code dataschema} is the type's published schema (an
     * absolute URI), {@code datacontenttype} JSON.
     */
    public static CloudEvent event(String id, String source, String type, Instant time, String subject, Object data) {
        return event(id, source, type, time, subject, URI.create(CloudEvents.dataSchema(type)), data);
    }

    /** As {@link #event(String, String, String, Instant, String, Object)}, with the data schema given. */
    public static CloudEvent event(
            String id, String source, String type, Instant time, String subject, URI dataSchema, Object data) {
        return CloudEventBuilder.v1()
                .withId(id)
                .withSource(URI.create(source))
                .withType(type)
                .withTime(time.atOffset(ZoneOffset.UTC))
                .withSubject(subject)
                .withDataSchema(dataSchema)
                .withDataContentType(CloudEvents.CONTENT_TYPE_JSON)
                .withData(Json.write(data))
                .build();
    }

    /** The event as a Kafka record in binary mode, keyed by {@code key}. */
    public static ProducerRecord<String, byte[]> binary(String topic, String key, CloudEvent event) {
        return KafkaMessageFactory.createWriter(topic, null, null, key).writeBinary(event);
    }
}
