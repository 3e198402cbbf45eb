package io.kafkaconcierge.api.service;

import io.kafkaconcierge.api.config.ApiConfig;
import io.kafkaconcierge.api.messaging.Channels;
import io.kafkaconcierge.api.view.ClusterDirectory;
import io.kafkaconcierge.api.view.Credential;
import io.kafkaconcierge.api.view.RequestStatus;
import io.kafkaconcierge.api.view.RequestView;
import io.kafkaconcierge.api.view.RevealClaim;
import io.kafkaconcierge.api.view.RevealClaims;
import io.kafkaconcierge.api.view.Transition;
import io.kafkaconcierge.contracts.AuditRecord.Decision;
import io.kafkaconcierge.contracts.ClusterInfo;
import io.kafkaconcierge.contracts.RequestState;
import io.kafkaconcierge.contracts.ResourceKind;
import io.kafkaconcierge.contracts.secrets.SecretBox;
import io.kafkaconcierge.problem.ProblemException;
import io.kafkaconcierge.security.Caller;
import io.kafkaconcierge.security.audit.Audit;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.smallrye.reactive.messaging.MutinyEmitter;
import io.smallrye.reactive.messaging.kafka.api.OutgoingKafkaRecordMetadata;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Message;

/**
 * Shows a user's new password once: in the answer of {@code GET /api/v1/requests/{id}}, to a member of the owning
 * team, once the request is READY and within {@code concierge.api.users.reveal-window}. "Once" holds across replicas:
 * the answer first writes a claim (a random id) to {@code concierge.credential-reveals}, keyed by request id, and
 * shows the password only if the first claim of that request on the log, as this replica's view reads it, is its
 * own. A replica that loses the race, or comes later, shows nothing. See DESIGN.md ("Users").
 */
@ApplicationScoped
public class CredentialReveals {

    private static final Duration CLAIM_READ_BACK = Duration.ofSeconds(5);

    private final RequestView view;
    private final RevealClaims read;
    private final ClusterDirectory directory;
    private final SecretBox secrets;
    private final ApiConfig config;
    private final Audit audit;
    private final MutinyEmitter<RevealClaim> claims;
    private final Clock clock = Clock.systemUTC();

    public CredentialReveals(
            RequestView view,
            SecretBox secrets,
            ApiConfig config,
            Audit audit,
            @Channel(Channels.REVEALS_OUT) MutinyEmitter<RevealClaim> claims,
            RevealClaims read,
            ClusterDirectory directory) {
        this.read = read;
        this.directory = directory;
        this.view = view;
        this.secrets = secrets;
        this.config = config;
        this.audit = audit;
        this.claims = claims;
    }

    /** The request, with its password if this answer is the one to show it. */
    public Uni<RequestStatus> revealOnce(RequestStatus request, Caller caller) {
        Optional<String> sealed = view.sealedCredential(request.requestId());
        if (request.kind() != ResourceKind.USER
                || request.state() != RequestState.READY
                || sealed.isEmpty()
                || request.user() == null
                || !caller.teams().contains(request.user().owner())
                || read.claim(request.requestId()).isPresent()
                || !withinWindow(request)) {
            return Uni.createFrom().item(request);
        }
        String claim = UUID.randomUUID().toString();
        return claims.sendMessage(Message.of(new RevealClaim(request.requestId(), claim, clock.instant()))
                        .addMetadata(OutgoingKafkaRecordMetadata.<String>builder()
                                .withKey(request.requestId())
                                .build()))
                .onFailure()
                .transform(e -> ProblemException.unavailable(
                        "Kafka did not take the record that the " + "password is shown (" + e.getMessage()
                                + "); it was not shown, ask again",
                        config.retryAfterSeconds()))
                .chain(() -> Multi.createFrom()
                        .ticks()
                        .every(Duration.ofMillis(20))
                        .map(tick -> read.claim(request.requestId()))
                        .filter(Optional::isPresent)
                        .map(Optional::get)
                        .toUni()
                        .ifNoItem()
                        .after(CLAIM_READ_BACK)
                        .failWith(() -> ProblemException.unavailable(
                                "The record "
                                        + "that the password is shown was not read back in time; it was not shown. Ask "
                                        + "again; if it was shown meanwhile, rotate the credential.",
                                config.retryAfterSeconds())))
                .map(first -> {
                    if (!first.equals(claim)) {
                        return request;
                    }
                    audit.record(
                            caller,
                            request.user().owner(),
                            "user.credential.reveal",
                            Decision.ACCEPTED,
                            null,
                            "the new password was shown once",
                            200,
                            request.requestId(),
                            request.cluster() + "/" + request.name());
                    String bootstrap = directory
                            .cluster(request.cluster())
                            .map(ClusterInfo::bootstrapServers)
                            .orElse(null);
                    return request.withCredential(new Credential(
                            request.name(),
                            secrets.open(sealed.get()),
                            "SCRAM-SHA-512",
                            bootstrap,
                            "Shown this once: store it now. A new one: POST /api/v1/users/" + request.cluster() + "/"
                                    + request.name() + "/credentials/rotate"));
                });
    }

    private boolean withinWindow(RequestStatus request) {
        Instant ready = request.history().stream()
                .filter(t -> t.state() == RequestState.READY)
                .map(Transition::time)
                .findFirst()
                .orElse(null);
        return ready != null && ready.plus(config.users().revealWindow()).isAfter(clock.instant());
    }
}
