package io.kafkaconcierge.api.messaging;

import io.kafkaconcierge.contracts.RequestCommand;
import io.smallrye.mutiny.Uni;
import io.smallrye.reactive.messaging.MutinyEmitter;
import io.smallrye.reactive.messaging.kafka.api.OutgoingKafkaRecordMetadata;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.eclipse.microprofile.reactive.messaging.OnOverflow;

/**
 * Writes accepted commands to {@code concierge.requests}, keyed by resource so that all commands of one resource are
 * handled in order. The returned Uni completes only when the broker has the record with {@code acks=all}, and fails
 * when the producer gives up (bounded by its {@code delivery.timeout.ms}), so a failure means "not written".
 */
@ApplicationScoped
public class CommandPublisher {

    private final MutinyEmitter<RequestCommand> emitter;

    public CommandPublisher(
            @Channel(Channels.REQUESTS_OUT) @OnOverflow(value = OnOverflow.Strategy.BUFFER, bufferSize = 16384)
                    MutinyEmitter<RequestCommand> emitter) {
        this.emitter = emitter;
    }

    public Uni<Void> publish(RequestCommand command) {
        return emitter.sendMessage(Message.of(command)
                .addMetadata(OutgoingKafkaRecordMetadata.<String>builder()
                        .withKey(command.resource().key())
                        .build()));
    }
}
