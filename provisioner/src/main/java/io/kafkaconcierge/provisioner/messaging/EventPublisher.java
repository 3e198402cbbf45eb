package io.kafkaconcierge.provisioner.messaging;

import io.kafkaconcierge.contracts.CloudEvents;
import io.kafkaconcierge.contracts.StatusEvent;
import io.smallrye.mutiny.Uni;
import io.smallrye.reactive.messaging.MutinyEmitter;
import io.smallrye.reactive.messaging.ce.OutgoingCloudEventMetadata;
import io.smallrye.reactive.messaging.kafka.api.OutgoingKafkaRecordMetadata;
import jakarta.enterprise.context.ApplicationScoped;
import java.net.URI;
import java.time.ZoneOffset;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.eclipse.microprofile.reactive.messaging.OnOverflow;

/**
 * Writes status events as CloudEvents in binary mode, keyed by resource, with an id that is stable for one request
 * and state ({@link StatusEvent#eventId()}).
 */
@ApplicationScoped
public class EventPublisher {

    static final URI SOURCE = URI.create("/kafka-concierge/provisioner");

    private final MutinyEmitter<StatusEvent> emitter;
    private final ProvisioningAudit audit;

    public EventPublisher(
            @Channel(Channels.EVENTS_OUT) @OnOverflow(value = OnOverflow.Strategy.BUFFER, bufferSize = 65536)
                    MutinyEmitter<StatusEvent> emitter,
            ProvisioningAudit audit) {
        this.emitter = emitter;
        this.audit = audit;
    }

    /** Completes when the event is on the broker ({@code acks=all}). */
    public Uni<Void> publish(StatusEvent event) {
        String type = event.eventType();
        return emitter.sendMessage(Message.of(event)
                        .addMetadata(OutgoingKafkaRecordMetadata.<String>builder()
                                .withKey(event.resource().key())
                                .build())
                        .addMetadata(OutgoingCloudEventMetadata.<StatusEvent>builder()
                                .withId(event.eventId())
                                .withType(type)
                                .withSource(SOURCE)
                                .withSubject(event.resource().key())
                                .withDataContentType(CloudEvents.CONTENT_TYPE_JSON)
                                .withDataSchema(URI.create(CloudEvents.dataSchema(type)))
                                .withTimestamp(event.time().atZone(ZoneOffset.UTC))
                                .build()))
                .invoke(() -> audit.record(event));
    }
}
