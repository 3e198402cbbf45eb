package io.kafkaconcierge.notifier.service;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import jakarta.enterprise.context.ApplicationScoped;

import io.kafkaconcierge.contracts.CloudEvents;
import io.kafkaconcierge.contracts.ClusterInfo;
import io.kafkaconcierge.contracts.FailureReason;
import io.kafkaconcierge.contracts.InstanceSpec;
import io.kafkaconcierge.contracts.InstanceStatus;
import io.kafkaconcierge.contracts.RequestState;
import io.kafkaconcierge.contracts.ResourceKind;
import io.kafkaconcierge.contracts.StatusEvent;
import io.kafkaconcierge.notifier.config.NotifierConfig;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.logging.Log;
import io.quarkus.mailer.Mail;
import io.quarkus.mailer.reactive.ReactiveMailer;
import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateData;
import io.quarkus.qute.TemplateInstance;
import io.smallrye.mutiny.Uni;

/**
 * Tells people by e-mail when a request is ready (with how to connect), failed (with why and what to do) or
 * deleted. Templates are in {@code templates/EmailNotifier/}, each as HTML and plain text. Sending is retried with
 * backoff; a mail that cannot be handed to the SMTP server after the last attempt is reported as not delivered.
 */
@ApplicationScoped
public class EmailNotifier {

    /** What a template shows, flattened for people. */
    @TemplateData
    public record MailModel(String topic, String cluster, String owner, String requestId, String operation,
            int partitions, int replicationFactor, Map<String, String> config, String description,
            String bootstrapServers, FailureReason reason, String message, String time) {
    }

    /** What an instance template shows. */
    @TemplateData
    public record InstanceMailModel(String name, String owner, String requestId, String operation, int brokers,
            String kafkaVersion, String backend, List<InstanceStatus.ListenerAddress> listeners,
            Map<String, String> config, String bootstrapServers, FailureReason reason, String message, String time) {
    }

    @CheckedTemplate
    static class Templates {
        static native TemplateInstance instanceReady(InstanceMailModel m);

        static native TemplateInstance instanceReadyText(InstanceMailModel m);

        static native TemplateInstance instanceFailed(InstanceMailModel m);

        static native TemplateInstance instanceFailedText(InstanceMailModel m);

        static native TemplateInstance instanceDeleted(InstanceMailModel m);

        static native TemplateInstance instanceDeletedText(InstanceMailModel m);

        static native TemplateInstance topicReady(MailModel m);

        static native TemplateInstance topicReadyText(MailModel m);

        static native TemplateInstance topicFailed(MailModel m);

        static native TemplateInstance topicFailedText(MailModel m);

        static native TemplateInstance topicDeleted(MailModel m);

        static native TemplateInstance topicDeletedText(MailModel m);
    }

    /** The event types that have an e-mail template. */
    private static final Set<String> MAILED = Set.of(RequestState.READY, RequestState.FAILED, RequestState.DELETED)
            .stream().flatMap(state -> Stream.of(CloudEvents.type(ResourceKind.TOPIC, state),
                    CloudEvents.type(ResourceKind.INSTANCE, state)))
            .collect(Collectors.toSet());

    private final NotifierConfig.Email config;
    private final Set<String> types;
    private final ReactiveMailer mailer;
    private final ClusterDirectory clusters;
    private final MeterRegistry registry;

    public EmailNotifier(NotifierConfig config, ReactiveMailer mailer, ClusterDirectory clusters,
            MeterRegistry registry) {
        this.config = config.email();
        this.types = Set.copyOf(this.config.types());
        Set<String> unknown = new TreeSet<>(types);
        unknown.removeAll(MAILED);
        if (!unknown.isEmpty()) {
            throw new IllegalStateException("notifier.email.types: no e-mail exists for " + unknown
                    + "; choose from " + new TreeSet<>(MAILED));
        }
        this.mailer = mailer;
        this.clusters = clusters;
        this.registry = registry;
    }

    /** Whether an event of this type is worth an e-mail to someone. */
    public boolean wants(String type) {
        return config.to().filter(to -> !to.isEmpty()).isPresent() && types.contains(type);
    }

    public Uni<DeliveryResult> send(StatusEvent event) {
        Mail mail = compose(event);
        return attempt(mail, 1, config.initialBackoff());
    }

    Mail compose(StatusEvent event) {
        if (event.resource().kind() == ResourceKind.INSTANCE) {
            return composeInstance(event);
        }
        MailModel m = model(event);
        String what = "Topic " + m.topic() + " on " + m.cluster();
        return switch (event.state()) {
            case READY -> mail(what + " is ready", Templates.topicReady(m), Templates.topicReadyText(m));
            case FAILED -> mail(what + ": request failed (" + m.reason() + ")", Templates.topicFailed(m),
                    Templates.topicFailedText(m));
            case DELETED -> mail(what + " was deleted", Templates.topicDeleted(m), Templates.topicDeletedText(m));
            default -> throw new IllegalArgumentException("no e-mail for state " + event.state());
        };
    }

    private Mail composeInstance(StatusEvent event) {
        InstanceSpec spec = event.instance();
        InstanceStatus status = event.instanceStatus();
        List<InstanceStatus.ListenerAddress> listeners = status == null ? List.of() : status.listeners();
        InstanceMailModel m = new InstanceMailModel(spec.name(), spec.owner(), event.requestId(),
                event.operation().name().toLowerCase(), spec.brokers(),
                status != null && status.kafkaVersion() != null ? status.kafkaVersion() : spec.kafkaVersion(),
                status == null ? "?" : status.backend(), listeners, spec.config(),
                listeners.isEmpty() ? "(not known yet)" : listeners.get(0).bootstrapServers(), event.reason(),
                event.message(), event.time().toString());
        String what = "Kafka instance " + m.name();
        return switch (event.state()) {
            case READY -> mail(what + " is ready", Templates.instanceReady(m), Templates.instanceReadyText(m));
            case FAILED -> mail(what + ": request failed (" + m.reason() + ")", Templates.instanceFailed(m),
                    Templates.instanceFailedText(m));
            case DELETED -> mail(what + " was deleted", Templates.instanceDeleted(m),
                    Templates.instanceDeletedText(m));
            default -> throw new IllegalArgumentException("no e-mail for state " + event.state());
        };
    }

    private Mail mail(String subject, TemplateInstance html, TemplateInstance text) {
        return new Mail().setTo(config.to().orElse(List.of())).setSubject("[Kafka Concierge] " + subject)
                .setHtml(html.render()).setText(text.render());
    }

    private MailModel model(StatusEvent e) {
        String bootstrap = clusters.cluster(e.resource().cluster()).map(ClusterInfo::bootstrapServers)
                .orElse("(ask the platform team for the bootstrap servers of " + e.resource().cluster() + ")");
        return new MailModel(e.resource().name(), e.resource().cluster(), e.spec().owner(), e.requestId(),
                e.operation().name().toLowerCase(), e.spec().partitions(), e.spec().replicationFactor(),
                e.spec().config(), e.spec().description(), bootstrap, e.reason(), e.message(), e.time().toString());
    }

    private Uni<DeliveryResult> attempt(Mail mail, int attempt, Duration backoff) {
        return mailer.send(mail)
                .ifNoItem().after(config.attemptTimeout()).fail()
                .map(ok -> new DeliveryResult(true, attempt, 0, null))
                .onFailure().recoverWithUni(failure -> {
                    registry.counter("concierge_email_attempts_total", "outcome", "retry").increment();
                    if (attempt >= config.maxAttempts()) {
                        return Uni.createFrom().item(new DeliveryResult(false, attempt, 0, failure.toString()));
                    }
                    Log.infof("e-mail '%s' attempt %d failed (%s); next in %s", mail.getSubject(), attempt,
                            failure.toString(), backoff);
                    return Uni.createFrom().voidItem().onItem().delayIt().by(backoff)
                            .chain(() -> attempt(mail, attempt + 1, backoff.multipliedBy(2)));
                });
    }
}
