package io.kafkaconcierge.notifier.delivery;

import com.fasterxml.jackson.databind.JsonNode;
import io.kafkaconcierge.contracts.ApprovalRequested;
import io.kafkaconcierge.contracts.CloudEvents;
import io.kafkaconcierge.contracts.ClusterInfo;
import io.kafkaconcierge.contracts.FailureReason;
import io.kafkaconcierge.contracts.InstanceSpec;
import io.kafkaconcierge.contracts.InstanceStatus;
import io.kafkaconcierge.contracts.Json;
import io.kafkaconcierge.contracts.RequestState;
import io.kafkaconcierge.contracts.ResourceKind;
import io.kafkaconcierge.contracts.StatusEvent;
import io.kafkaconcierge.contracts.SubscriptionEvent;
import io.kafkaconcierge.notifier.config.NotifierConfig;
import io.quarkus.mailer.Mail;
import io.quarkus.mailer.reactive.ReactiveMailer;
import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateData;
import io.quarkus.qute.TemplateInstance;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Tells people by e-mail when a request is ready (with how to connect), failed (with why and what to do) or
 * deleted, and when a subscription was disabled. Templates are in {@code templates/EmailNotifier/}, each as HTML
 * and plain text. One call is one attempt; the dispatcher of the subscription retries.
 */
@ApplicationScoped
public class EmailNotifier {

    /** What a template shows, flattened for people. */
    @TemplateData
    public record MailModel(
            String topic,
            String cluster,
            String owner,
            String requestId,
            String operation,
            int partitions,
            int replicationFactor,
            Map<String, String> config,
            String description,
            String bootstrapServers,
            FailureReason reason,
            String message,
            String time) {}

    /**
     * What an instance template shows. {@code securityProtocol}, {@code saslMechanism}, {@code saslJaasConfig}: how to
     * log in on the first listener of an instance with security (a template without a password), else null.
     */
    @TemplateData
    public record InstanceMailModel(
            String name,
            String owner,
            String requestId,
            String operation,
            int brokers,
            String kafkaVersion,
            String backend,
            List<InstanceStatus.ListenerAddress> listeners,
            Map<String, String> config,
            String bootstrapServers,
            FailureReason reason,
            String message,
            String time,
            String securityProtocol,
            String saslMechanism,
            String saslJaasConfig) {}

    /** What the mail about a disabled subscription shows. */
    @TemplateData
    public record DisabledMailModel(
            String subscriptionId,
            String owner,
            String reason,
            String message,
            String channel,
            String target,
            String eventId,
            String time) {}

    /** An approval e-mail: what waits, for whom, until when, and where to approve it. */
    public record ApprovalMailModel(
            String requestId,
            String summary,
            String owner,
            String environment,
            String requestedBy,
            String expiresAt,
            int required,
            String approvers,
            String approveUrl,
            String reasons,
            String contentHash) {}

    @CheckedTemplate
    static class Templates {
        static native TemplateInstance approvalRequested(ApprovalMailModel m);

        static native TemplateInstance approvalRequestedText(ApprovalMailModel m);

        static native TemplateInstance subscriptionDisabled(DisabledMailModel m);

        static native TemplateInstance subscriptionDisabledText(DisabledMailModel m);

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
    public static final Set<String> MAILED = Stream.concat(
                    Stream.of(RequestState.READY, RequestState.FAILED, RequestState.DELETED)
                            .flatMap(state -> Stream.of(
                                    CloudEvents.type(ResourceKind.TOPIC, state),
                                    CloudEvents.type(ResourceKind.INSTANCE, state))),
                    Stream.of(CloudEvents.SUBSCRIPTION_DISABLED, CloudEvents.APPROVAL_REQUESTED))
            .collect(Collectors.toUnmodifiableSet());

    private final NotifierConfig.Email config;
    private final ReactiveMailer mailer;
    private final ClusterDirectory clusters;

    public EmailNotifier(NotifierConfig config, ReactiveMailer mailer, ClusterDirectory clusters) {
        this.config = config.email();
        Set<String> unknown = new TreeSet<>(this.config.types());
        unknown.removeAll(MAILED);
        if (!unknown.isEmpty()) {
            throw new IllegalStateException(
                    "notifier.email.types: no e-mail exists for " + unknown + "; choose from " + new TreeSet<>(MAILED));
        }
        this.mailer = mailer;
        this.clusters = clusters;
    }

    /** The mail for an event of a type in {@link #MAILED}, to the given addresses. */
    public Mail compose(String type, JsonNode data, List<String> to) {
        Mail mail = CloudEvents.SUBSCRIPTION_DISABLED.equals(type)
                ? composeDisabled(Json.MAPPER.convertValue(data, SubscriptionEvent.class))
                : CloudEvents.APPROVAL_REQUESTED.equals(type)
                        ? composeApproval(Json.MAPPER.convertValue(data, ApprovalRequested.class))
                        : compose(Json.MAPPER.convertValue(data, StatusEvent.class));
        return mail.setTo(List.copyOf(to));
    }

    /** A short mail that proves the subscription's addresses and the SMTP server work. */
    public Mail test(String subscriptionId, List<String> to) {
        return new Mail()
                .setTo(List.copyOf(to))
                .setSubject("[Kafka Concierge] Test of subscription " + subscriptionId)
                .setText("This is a test of the e-mail subscription " + subscriptionId
                        + " of Kafka Concierge. It works: you will get its events at this address.\n");
    }

    /** One attempt to hand a mail to the SMTP server, bounded by the attempt timeout. */
    public Uni<Void> sendOnce(Mail mail) {
        return mailer.send(mail).ifNoItem().after(config.attemptTimeout()).fail();
    }

    private Mail composeApproval(ApprovalRequested e) {
        String base = config.apiUrl()
                .map(u -> u.endsWith("/") ? u.substring(0, u.length() - 1) : u)
                .orElse("");
        ApprovalMailModel m = new ApprovalMailModel(
                e.requestId(),
                e.summary(),
                e.owner(),
                e.environment(),
                e.requestedBy() == null ? "?" : e.requestedBy().name(),
                String.valueOf(e.expiresAt()),
                e.required(),
                ("team".equals(e.approvers())
                                ? "another member of team " + e.owner() + " or a platform admin"
                                : "platform admins")
                        + (e.consents() == null || e.consents().isEmpty()
                                ? ""
                                : ", and the consent of a member of each of " + e.consents()),
                base + e.approvePath(),
                e.reasons() == null ? "" : String.join("; ", e.reasons()),
                e.contentHash());
        return mail(
                "Approval requested: " + e.summary(),
                Templates.approvalRequested(m),
                Templates.approvalRequestedText(m));
    }

    private Mail composeDisabled(SubscriptionEvent e) {
        DisabledMailModel m = new DisabledMailModel(
                e.subscriptionId(),
                e.owner(),
                e.reason(),
                e.message(),
                e.channel(),
                e.target(),
                e.eventId(),
                e.time().toString());
        return mail(
                "Subscription " + e.subscriptionId() + " was disabled (" + e.reason() + ")",
                Templates.subscriptionDisabled(m),
                Templates.subscriptionDisabledText(m));
    }

    Mail compose(StatusEvent event) {
        if (event.resource().kind() == ResourceKind.INSTANCE) {
            return composeInstance(event);
        }
        MailModel m = model(event);
        String what = "Topic " + m.topic() + " on " + m.cluster();
        return switch (event.state()) {
            case READY -> mail(what + " is ready", Templates.topicReady(m), Templates.topicReadyText(m));
            case FAILED ->
                mail(
                        what + ": request failed (" + m.reason() + ")",
                        Templates.topicFailed(m),
                        Templates.topicFailedText(m));
            case DELETED -> mail(what + " was deleted", Templates.topicDeleted(m), Templates.topicDeletedText(m));
            default -> throw new IllegalArgumentException("no e-mail for state " + event.state());
        };
    }

    private Mail composeInstance(StatusEvent event) {
        InstanceSpec spec = event.instance();
        InstanceStatus status = event.instanceStatus();
        List<InstanceStatus.ListenerAddress> listeners = status == null ? List.of() : status.listeners();
        InstanceMailModel m = new InstanceMailModel(
                spec.name(),
                spec.owner(),
                event.requestId(),
                event.operation().name().toLowerCase(),
                spec.brokers(),
                status != null && status.kafkaVersion() != null ? status.kafkaVersion() : spec.kafkaVersion(),
                status == null ? "?" : status.backend(),
                listeners,
                spec.config(),
                listeners.isEmpty() ? "(not known yet)" : listeners.get(0).bootstrapServers(),
                event.reason(),
                event.message(),
                event.time().toString(),
                listeners.isEmpty() ? null : listeners.get(0).securityProtocol(),
                listeners.isEmpty() ? null : listeners.get(0).saslMechanism(),
                listeners.isEmpty() ? null : listeners.get(0).saslJaasConfig());
        String what = "Kafka instance " + m.name();
        return switch (event.state()) {
            case READY -> mail(what + " is ready", Templates.instanceReady(m), Templates.instanceReadyText(m));
            case FAILED ->
                mail(
                        what + ": request failed (" + m.reason() + ")",
                        Templates.instanceFailed(m),
                        Templates.instanceFailedText(m));
            case DELETED -> mail(what + " was deleted", Templates.instanceDeleted(m), Templates.instanceDeletedText(m));
            default -> throw new IllegalArgumentException("no e-mail for state " + event.state());
        };
    }

    private Mail mail(String subject, TemplateInstance html, TemplateInstance text) {
        return new Mail()
                .setSubject("[Kafka Concierge] " + subject)
                .setHtml(html.render())
                .setText(text.render());
    }

    private MailModel model(StatusEvent e) {
        String bootstrap = clusters.cluster(e.resource().cluster())
                .map(ClusterInfo::bootstrapServers)
                .orElse("(ask the platform team for the bootstrap servers of "
                        + e.resource().cluster() + ")");
        return new MailModel(
                e.resource().name(),
                e.resource().cluster(),
                e.spec().owner(),
                e.requestId(),
                e.operation().name().toLowerCase(),
                e.spec().partitions(),
                e.spec().replicationFactor(),
                e.spec().config(),
                e.spec().description(),
                bootstrap,
                e.reason(),
                e.message(),
                e.time().toString());
    }
}
