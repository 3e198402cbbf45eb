package io.kafkaconcierge.notifier.subscription;

import io.kafkaconcierge.contracts.AuditRecord.Decision;
import io.kafkaconcierge.contracts.CloudEvents;
import io.kafkaconcierge.contracts.ConciergeTopics;
import io.kafkaconcierge.contracts.SubscriptionEvent;
import io.kafkaconcierge.notifier.config.NotifierConfig;
import io.kafkaconcierge.notifier.delivery.WebhookAddresses;
import io.kafkaconcierge.notifier.messaging.NotifierProducer;
import io.kafkaconcierge.notifier.rest.dto.SubscriptionPatch;
import io.kafkaconcierge.notifier.rest.dto.SubscriptionRequest;
import io.kafkaconcierge.notifier.rest.dto.SubscriptionView;
import io.kafkaconcierge.notifier.subscription.Subscription.Channel;
import io.kafkaconcierge.notifier.subscription.Subscription.Filter;
import io.kafkaconcierge.problem.Problem.FieldError;
import io.kafkaconcierge.problem.ProblemException;
import io.kafkaconcierge.security.Caller;
import io.kafkaconcierge.security.Callers;
import io.kafkaconcierge.security.audit.AuditContext;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.logging.Log;
import jakarta.enterprise.context.ApplicationScoped;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.TimeoutException;

/**
 * Creates, changes, rotates, disables and deletes subscriptions. Every change is a write of the whole subscription
 * to {@code concierge.subscriptions}, answered once read back; bad input is a 422 naming each field and writes
 * nothing.
 */
@ApplicationScoped
public class SubscriptionService {

    private static final SecureRandom RANDOM = new SecureRandom();
    private static final char[] BASE32 = "abcdefghijklmnopqrstuvwxyz234567".toCharArray();

    private final SubscriptionStore store;
    private final NotifierConfig.Subscriptions config;
    private final NotifierProducer producer;
    private final MeterRegistry registry;
    private final Callers callers;
    private final AuditContext audit;
    private final WebhookAddresses addresses;

    public SubscriptionService(
            SubscriptionStore store,
            NotifierConfig config,
            NotifierProducer producer,
            MeterRegistry registry,
            Callers callers,
            AuditContext audit) {
        this.callers = callers;
        this.audit = audit;
        this.store = store;
        this.config = config.subscriptions();
        this.addresses = WebhookAddresses.of(config.webhook());
        this.producer = producer;
        this.registry = registry;
    }

    /** The caller's teams' subscriptions (an admin's: all), optionally of one owner. */
    public List<Subscription> list(String owner) {
        Caller caller = callers.current();
        return store.all().stream()
                .filter(s -> caller.actsFor(s.owner()))
                .filter(s -> owner == null || owner.equals(s.owner()))
                .toList();
    }

    /** A subscription of the caller's teams; another team's answers 404, as a missing one does. */
    public Subscription get(String id) {
        return store.get(id)
                .filter(s -> callers.current().actsFor(s.owner()))
                .orElseThrow(() -> ProblemException.notFound("no subscription " + id));
    }

    /**
     * A team's subscription gets the events of what the team owns, nothing else: its owners filter is the team
     * itself. Only an admin may subscribe to other teams' events (a platform-wide subscription).
     */
    private Filter ownEvents(Filter filter, String owner, List<FieldError> errors) {
        Caller caller = callers.current();
        if (caller.admin()) {
            return filter;
        }
        if (filter.owners() != null
                && !filter.owners().isEmpty()
                && !Set.of(owner).containsAll(filter.owners())) {
            errors.add(new FieldError(
                    "filter.owners",
                    "a team's subscription gets its own team's events only (" + owner
                            + "); only an admin may subscribe to other teams' events"));
        }
        return new Filter(filter.types(), filter.kinds(), List.of(owner), filter.clusters());
    }

    public SubscriptionView create(SubscriptionRequest request) {
        if (request == null) {
            throw ProblemException.validation(List.of(new FieldError("", "a body is required")));
        }
        List<FieldError> errors = new ArrayList<>();
        SubscriptionValidator.owner(request.owner(), errors);
        audit.about(request.owner(), "subscription.create", null).decision(Decision.CREATED);
        if (errors.isEmpty()) {
            callers.requireTeam(request.owner());
            callers.requireWrite();
        }
        SubscriptionValidator.description(request.description(), errors);
        var channel = request.channel();
        String type = channel == null || channel.type() == null
                ? null
                : channel.type().toLowerCase(Locale.ROOT);
        if (channel == null) {
            errors.add(new FieldError(
                    "channel",
                    "is required: {\"type\":\"webhook\",\"url\":...} or " + "{\"type\":\"email\",\"to\":[...]}"));
        } else if (Channel.WEBHOOK.equals(type)) {
            SubscriptionValidator.url(channel.url(), config.allowHttp(), addresses, "channel.url", errors);
            if (channel.to() != null) {
                errors.add(new FieldError("channel.to", "is for e-mail; a webhook has a url"));
            }
        } else if (Channel.EMAIL.equals(type)) {
            SubscriptionValidator.to(channel.to(), "channel.to", errors);
            if (channel.url() != null) {
                errors.add(new FieldError("channel.url", "is for a webhook; e-mail has to"));
            }
        } else {
            errors.add(new FieldError("channel.type", "must be webhook or email"));
        }
        SubscriptionValidator.filter(request.filter(), type, errors);
        if (!errors.isEmpty()) {
            throw ProblemException.validation(errors);
        }
        if (store.storedCount() >= config.max()) {
            throw ProblemException.conflict(
                    "too-many-subscriptions",
                    "Too many subscriptions",
                    "there are " + config.max() + " subscriptions already (notifier.subscriptions.max)");
        }
        Instant now = Instant.now();
        Filter filter = ownEvents(request.filter() == null ? Filter.ANY : request.filter(), request.owner(), errors);
        if (!errors.isEmpty()) {
            throw ProblemException.validation(errors);
        }
        String secret = null;
        List<Subscription.Secret> secrets = null;
        if (Channel.EMAIL.equals(type)) {
            filter = new Filter(
                    SubscriptionValidator.mailedTypes(filter), filter.kinds(), filter.owners(), filter.clusters());
        } else {
            secret = SecretBox.newSecret();
            secrets = List.of(new Subscription.Secret(store.secrets().seal(secret), now, null));
        }
        Subscription s = new Subscription(
                newId(),
                request.owner(),
                request.description(),
                filter,
                type,
                channel.url(),
                channel.to() == null ? null : List.copyOf(channel.to()),
                secrets,
                Subscription.ACTIVE,
                null,
                null,
                null,
                now,
                now,
                false);
        audit.about(s.owner(), "subscription.create", "subscription:" + s.id());
        write(s);
        Log.infof("subscription %s made for %s: %s to %s", s.id(), s.owner(), s.channel(), s.target());
        return SubscriptionView.of(s, secret);
    }

    public Subscription update(String id, SubscriptionPatch patch) {
        audit.about(null, "subscription.update", "subscription:" + id).decision(Decision.CHANGED);
        Subscription s = editable(id);
        if (patch == null) {
            throw ProblemException.validation(List.of(new FieldError("", "a body is required")));
        }
        List<FieldError> errors = new ArrayList<>();
        SubscriptionValidator.description(patch.description(), errors);
        SubscriptionValidator.filter(patch.filter(), s.channel(), errors);
        if (patch.url() != null) {
            if (s.webhook()) {
                SubscriptionValidator.url(patch.url(), config.allowHttp(), addresses, "url", errors);
            } else {
                errors.add(new FieldError("url", "this is an e-mail subscription; the channel cannot change"));
            }
        }
        if (patch.to() != null) {
            if (s.webhook()) {
                errors.add(new FieldError("to", "this is a webhook subscription; the channel cannot change"));
            } else {
                SubscriptionValidator.to(patch.to(), "to", errors);
            }
        }
        String state = patch.state() == null ? null : patch.state().toUpperCase(Locale.ROOT);
        if (state != null && !Subscription.ACTIVE.equals(state) && !Subscription.DISABLED.equals(state)) {
            errors.add(new FieldError("state", "must be ACTIVE or DISABLED"));
        }
        if (!errors.isEmpty()) {
            throw ProblemException.validation(errors);
        }
        Instant now = Instant.now();
        Filter filter = patch.filter() == null ? s.filter() : ownEvents(patch.filter(), s.owner(), errors);
        if (!errors.isEmpty()) {
            throw ProblemException.validation(errors);
        }
        if (!s.webhook() && patch.filter() != null) {
            filter = new Filter(
                    SubscriptionValidator.mailedTypes(filter), filter.kinds(), filter.owners(), filter.clusters());
        }
        Subscription changed = s.withChanges(
                patch.description() == null ? s.description() : patch.description(),
                filter,
                patch.url() == null ? s.url() : patch.url(),
                patch.to() == null ? s.to() : List.copyOf(patch.to()),
                now);
        if (state != null && !state.equals(s.state())) {
            changed = changed.withState(state, "PAUSED", "disabled by its owner", now);
        }
        return write(changed);
    }

    public void delete(String id) {
        audit.about(null, "subscription.delete", "subscription:" + id).decision(Decision.DELETED);
        editable(id);
        try {
            store.delete(id);
        } catch (TimeoutException e) {
            throw ProblemException.unavailable("the subscription store did not answer in time: " + e.getMessage(), 5);
        }
        Log.infof("subscription %s deleted", id);
    }

    /** A new secret, returned once; the current one is still sent alongside it until the overlap ends. */
    public SubscriptionView rotate(String id, Duration overlap) {
        audit.about(null, "subscription.rotate-secret", "subscription:" + id).decision(Decision.CHANGED);
        Subscription s = editable(id);
        if (!s.webhook()) {
            throw ProblemException.conflict(
                    "not-a-webhook",
                    "Not a webhook",
                    "subscription " + id + " sends e-mail: there is no secret to rotate");
        }
        Duration o = overlap == null ? config.rotationOverlap() : overlap;
        if (o.isNegative() || o.compareTo(config.maxRotationOverlap()) > 0) {
            throw ProblemException.validation(
                    List.of(new FieldError("overlap", "must be between PT0S and " + config.maxRotationOverlap())));
        }
        Instant now = Instant.now();
        String secret = SecretBox.newSecret();
        Subscription rotated = write(
                s.withRotatedSecret(new Subscription.Secret(store.secrets().seal(secret), now, null), now.plus(o)));
        Log.infof("subscription %s has a new secret; the previous one is sent until %s", id, now.plus(o));
        return SubscriptionView.of(rotated, secret);
    }

    /**
     * Turns a subscription off because its endpoint said so (410 Gone) and says so on the events topic. A
     * configured subscription cannot be stored as disabled: it is logged loudly and stays as it is.
     */
    public void disable(Subscription s, String reason, String message, String eventId) {
        Instant now = Instant.now();
        registry.counter("concierge_subscriptions_disabled_total", "reason", reason)
                .increment();
        if (s.configured()) {
            Log.errorf(
                    "the configured subscription %s answered %s (%s); fix NOTIFIER_WEBHOOK_URL",
                    s.id(), reason, message);
            return;
        }
        Subscription current = store.get(s.id()).orElse(null);
        if (current == null || !current.active()) {
            return;
        }
        try {
            store.put(current.withState(Subscription.DISABLED, reason, message, now));
        } catch (TimeoutException e) {
            Log.errorf("could not store subscription %s as disabled: %s", s.id(), e.getMessage());
            return;
        }
        SubscriptionEvent event =
                SubscriptionEvent.disabled(s.id(), s.owner(), reason, message, s.channel(), s.target(), eventId, now);
        producer.sendEvent(
                        ConciergeTopics.EVENTS,
                        event.key(),
                        event.eventId(),
                        CloudEvents.SUBSCRIPTION_DISABLED,
                        now,
                        event)
                .whenComplete((m, e) -> {
                    if (e != null) {
                        Log.errorf("could not publish that subscription %s was disabled: %s", s.id(), e.toString());
                    }
                });
        Log.warnf("subscription %s disabled: %s (%s)", s.id(), reason, message);
    }

    /** A subscription the caller may change: of their teams, not from configuration, with a writing credential. */
    private Subscription editable(String id) {
        Subscription s = get(id);
        audit.team(s.owner());
        callers.requireWrite();
        if (s.configured()) {
            throw ProblemException.conflict(
                    "configured-subscription",
                    "Configured subscription",
                    "subscription " + id + " comes from the notifier's configuration; change it there");
        }
        return s;
    }

    private Subscription write(Subscription s) {
        try {
            return store.put(s);
        } catch (TimeoutException e) {
            throw ProblemException.unavailable("the subscription store did not answer in time: " + e.getMessage(), 5);
        }
    }

    private static String newId() {
        StringBuilder id = new StringBuilder("sub-");
        for (int i = 0; i < 20; i++) {
            id.append(BASE32[RANDOM.nextInt(BASE32.length)]);
        }
        return id.toString();
    }
}
