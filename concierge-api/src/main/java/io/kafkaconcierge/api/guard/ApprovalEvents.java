package io.kafkaconcierge.api.guard;

import io.kafkaconcierge.api.guard.LedgerRecord.Pending;
import io.kafkaconcierge.contracts.ApprovalRequested;
import io.kafkaconcierge.contracts.CloudEvents;
import io.kafkaconcierge.contracts.FailureReason;
import io.kafkaconcierge.contracts.RequestCommand;
import io.kafkaconcierge.contracts.RequestState;
import io.kafkaconcierge.contracts.StatusEvent;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import io.smallrye.reactive.messaging.MutinyEmitter;
import io.smallrye.reactive.messaging.ce.OutgoingCloudEventMetadata;
import io.smallrye.reactive.messaging.kafka.api.OutgoingKafkaRecordMetadata;
import jakarta.enterprise.context.ApplicationScoped;
import java.net.URI;
import java.time.Instant;
import java.time.ZoneOffset;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.eclipse.microprofile.reactive.messaging.OnOverflow;

/**
 * The events of the approval stage, which happens in the API before the provisioner sees a command: a request
 * waiting ({@code <kind>.awaiting_approval} and {@code approval.requested}), and one rejected or expired
 * ({@code <kind>.failed} with its reason). Binary-mode CloudEvents on {@code concierge.events}, keyed by resource,
 * with the same stable ids as the provisioner's, so a repeated event is recognisably the same.
 */
@ApplicationScoped
public class ApprovalEvents {

    static final URI SOURCE = URI.create("/kafka-concierge/concierge-api");
    public static final String CHANNEL = "approval-events-out";

    private final MutinyEmitter<Object> emitter;

    public ApprovalEvents(
            @Channel(CHANNEL) @OnOverflow(value = OnOverflow.Strategy.BUFFER, bufferSize = 4096)
                    MutinyEmitter<Object> emitter) {
        this.emitter = emitter;
    }

    /** The request waits: its status, then the call to approvers. */
    Uni<StatusEvent> awaiting(RequestCommand command, Pending pending, Instant at) {
        String waitsFor =
                (pending.required() > 0 ? pending.required() + " approver(s) (" + pending.approvers() + ")" : "")
                        + (pending.required() > 0 && !pending.consents().isEmpty() ? " and " : "")
                        + (pending.consents().isEmpty()
                                ? ""
                                : "the consent of team(s) " + String.join(", ", pending.consents()));
        StatusEvent status = new StatusEvent(
                command.requestId(),
                command.operation(),
                command.resource(),
                RequestState.AWAITING_APPROVAL,
                command.spec(),
                null,
                pending.summary() + "; waits for " + waitsFor + " until " + pending.expiresAt(),
                at,
                command.instance(),
                null,
                null,
                command.user());
        ApprovalRequested call = new ApprovalRequested(
                command.requestId(),
                command.operation(),
                command.resource(),
                command.owner(),
                pending.environment(),
                command.requestedBy(),
                command.acceptedAt(),
                pending.expiresAt(),
                pending.required(),
                pending.approvers(),
                pending.summary(),
                pending.contentHash(),
                "/api/v1/requests/" + command.requestId() + "/approve",
                pending.reasons(),
                pending.consents());
        return send(status.eventId(), status.eventType(), command.resource().key(), status, at)
                .chain(() -> send(
                        call.eventId(),
                        CloudEvents.APPROVAL_REQUESTED,
                        command.resource().key(),
                        call,
                        at))
                .replaceWith(status);
    }

    /** The request ends without reaching the provisioner. */
    Uni<StatusEvent> failed(RequestCommand command, FailureReason reason, String message, Instant at) {
        StatusEvent failed = StatusEvent.failed(command, reason, message, at);
        return send(failed.eventId(), failed.eventType(), command.resource().key(), failed, at)
                .replaceWith(failed);
    }

    /** A request's status event written by the API itself (a deadline's FAILED), with its stable id. */
    Uni<StatusEvent> publish(StatusEvent event) {
        return send(event.eventId(), event.eventType(), event.resource().key(), event, event.time())
                .replaceWith(event);
    }

    private Uni<Void> send(String id, String type, String key, Object data, Instant at) {
        return emitter.sendMessage(Message.of(data)
                        .addMetadata(OutgoingKafkaRecordMetadata.<String>builder()
                                .withKey(key)
                                .build())
                        .addMetadata(OutgoingCloudEventMetadata.builder()
                                .withId(id)
                                .withType(type)
                                .withSource(SOURCE)
                                .withSubject(key)
                                .withDataContentType(CloudEvents.CONTENT_TYPE_JSON)
                                .withDataSchema(URI.create(CloudEvents.dataSchema(type)))
                                .withTimestamp(at.atZone(ZoneOffset.UTC))
                                .build()))
                .emitOn(Infrastructure.getDefaultWorkerPool());
    }
}
