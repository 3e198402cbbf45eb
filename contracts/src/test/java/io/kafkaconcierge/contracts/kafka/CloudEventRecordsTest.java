package io.kafkaconcierge.contracts.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cloudevents.CloudEvent;
import io.cloudevents.SpecVersion;
import io.cloudevents.kafka.CloudEventDeserializer;
import io.kafkaconcierge.contracts.CloudEvents;
import io.kafkaconcierge.contracts.Json;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Map;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;

class CloudEventRecordsTest {

    private static final Instant TIME = Instant.parse("2026-12-07T22:03:12.123456Z");

    @Test
    void shouldWriteARecordTheSdkReadsBackWithEveryAttribute() {
        ProducerRecord<String, byte[]> record = CloudEventRecords.binary(
                "concierge.events",
                "subscription:s-1",
                CloudEventRecords.event(
                        "e-1",
                        "/kafka-concierge/notifier",
                        CloudEvents.SUBSCRIPTION_DISABLED,
                        TIME,
                        "subscription:s-1",
                        Map.of("subscriptionId", "s-1")));

        CloudEvent read;
        try (CloudEventDeserializer sdk = new CloudEventDeserializer()) {
            read = sdk.deserialize(record.topic(), record.headers(), record.value());
        }
        assertThat(record.key()).isEqualTo("subscription:s-1");
        assertThat(read.getSpecVersion()).isEqualTo(SpecVersion.V1);
        assertThat(read.getId()).isEqualTo("e-1");
        assertThat(read.getSource()).isEqualTo(URI.create("/kafka-concierge/notifier"));
        assertThat(read.getType()).isEqualTo(CloudEvents.SUBSCRIPTION_DISABLED);
        assertThat(read.getSubject()).isEqualTo("subscription:s-1");
        assertThat(read.getTime().toInstant()).isEqualTo(TIME);
        assertThat(read.getDataSchema())
                .isEqualTo(URI.create(CloudEvents.dataSchema(CloudEvents.SUBSCRIPTION_DISABLED)));
        assertThat(read.getDataSchema().isAbsolute()).isTrue();
        assertThat(read.getDataContentType()).isEqualTo(CloudEvents.CONTENT_TYPE_JSON);
        assertThat(new String(read.getData().toBytes(), StandardCharsets.UTF_8))
                .isEqualTo(new String(Json.write(Map.of("subscriptionId", "s-1")), StandardCharsets.UTF_8));
    }

    @Test
    void shouldPutTheHeadersOurOwnConsumersRead() {
        ProducerRecord<String, byte[]> record = CloudEventRecords.binary(
                "concierge.audit",
                "team-a",
                CloudEventRecords.event(
                        "a-1",
                        "/kafka-concierge/concierge-api",
                        "io.kafkaconcierge.audit.recorded",
                        TIME,
                        "team-a",
                        URI.create(CloudEvents.AUDIT_DATASCHEMA),
                        Map.of("team", "team-a")));

        assertThat(CloudEvents.typeOf(record.headers())).isEqualTo("io.kafkaconcierge.audit.recorded");
        assertThat(CloudEvents.attributes(record.headers()))
                .containsEntry("id", "a-1")
                .containsEntry("specversion", "1.0")
                .containsEntry("source", "/kafka-concierge/concierge-api")
                .containsEntry("subject", "team-a")
                .containsEntry("dataschema", CloudEvents.AUDIT_DATASCHEMA)
                .containsEntry("datacontenttype", CloudEvents.CONTENT_TYPE_JSON)
                .containsEntry("time", "2026-12-07T22:03:12.123456Z");
    }

    @Test
    void shouldRefuseAnEventWithoutAnId() {
        assertThatThrownBy(() -> CloudEventRecords.event(null, "/x", "io.kafkaconcierge.x", TIME, "s", Map.of()))
                .isInstanceOf(RuntimeException.class);
    }
}
