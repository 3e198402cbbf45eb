package io.kafkaconcierge.notifier.subscription;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;
import io.kafkaconcierge.contracts.EventFilter;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * A subscription as stored, compacted, on {@code concierge.subscriptions} (keyed by id). Webhook secrets are kept
 * sealed ({@link SecretBox}); every notifier replica reads the same records, so any of them can deliver and sign.
 *
 * @param id         {@code sub-} and 20 random base32 characters
 * @param owner      the team it belongs to
 * @param filter     which events it wants; empty lists mean any
 * @param channel    {@link Channel#WEBHOOK} or {@link Channel#EMAIL}
 * @param url        a webhook's URL
 * @param to         an e-mail subscription's addresses
 * @param secrets    a webhook's signing secrets, newest last; an older one lives until its {@code expiresAt}
 * @param state      {@link #ACTIVE} or {@link #DISABLED}
 * @param configured true for the subscriptions made from the notifier's configuration (not stored, not editable)
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Subscription(
        String id,
        String owner,
        String description,
        Filter filter,
        String channel,
        String url,
        List<String> to,
        List<Secret> secrets,
        String state,
        String disabledReason,
        String disabledMessage,
        Instant disabledAt,
        Instant createdAt,
        Instant updatedAt,
        boolean configured) {

    public static final String ACTIVE = "ACTIVE";
    public static final String DISABLED = "DISABLED";

    /** The delivery channels. */
    public static final class Channel {
        public static final String WEBHOOK = "webhook";
        public static final String EMAIL = "email";

        private Channel() {}
    }

    /** Which events a subscription wants: CloudEvent types, resource kinds, owners, clusters or instances. */
    public record Filter(List<String> types, List<String> kinds, List<String> owners, List<String> clusters) {

        public static final Filter ANY = new Filter(List.of(), List.of(), List.of(), List.of());

        public Filter {
            types = types == null ? List.of() : List.copyOf(types);
            kinds = kinds == null ? List.of() : List.copyOf(kinds);
            owners = owners == null ? List.of() : List.copyOf(owners);
            clusters = clusters == null ? List.of() : List.copyOf(clusters);
        }

        public EventFilter toEventFilter() {
            return EventFilter.of(types, kinds, clusters, owners, null);
        }
    }

    /** A signing secret, sealed; {@code expiresAt} is set once a newer secret replaced it. */
    public record Secret(String sealed, Instant createdAt, Instant expiresAt) {

        public boolean liveAt(Instant now) {
            return expiresAt == null || expiresAt.isAfter(now);
        }
    }

    @JsonIgnore
    public boolean active() {
        return ACTIVE.equals(state);
    }

    @JsonIgnore
    public boolean webhook() {
        return Channel.WEBHOOK.equals(channel);
    }

    /** The secrets to sign with now: every one not expired, newest last. */
    public List<Secret> liveSecrets(Instant now) {
        return secrets == null
                ? List.of()
                : secrets.stream().filter(s -> s.liveAt(now)).toList();
    }

    /** Where it delivers, for people and for events: a webhook without its query (it may hold a token). */
    @JsonIgnore
    public String target() {
        if (!webhook()) {
            return String.join(", ", to == null ? List.of() : to);
        }
        int cut = url.indexOf('?');
        return cut < 0 ? url : url.substring(0, cut);
    }

    /** The consumer group that holds its progress through {@code concierge.events}. */
    @JsonIgnore
    public String consumerGroup() {
        return "concierge-notifier." + id;
    }

    public Subscription withState(String newState, String reason, String message, Instant at) {
        boolean disabled = DISABLED.equals(newState);
        return new Subscription(
                id,
                owner,
                description,
                filter,
                channel,
                url,
                to,
                secrets,
                newState,
                disabled ? reason : null,
                disabled ? message : null,
                disabled ? at : null,
                createdAt,
                at,
                configured);
    }

    public Subscription withChanges(
            String newDescription, Filter newFilter, String newUrl, List<String> newTo, Instant at) {
        return new Subscription(
                id,
                owner,
                newDescription,
                newFilter,
                channel,
                newUrl,
                newTo,
                secrets,
                state,
                disabledReason,
                disabledMessage,
                disabledAt,
                createdAt,
                at,
                configured);
    }

    /** Adds a secret; the current one expires after the overlap; older ones, already expiring, are dropped. */
    public Subscription withRotatedSecret(Secret newest, Instant previousExpiresAt) {
        List<Secret> next = new ArrayList<>();
        List<Secret> current = secrets == null ? List.of() : secrets;
        if (!current.isEmpty()) {
            Secret last = current.get(current.size() - 1);
            next.add(new Secret(last.sealed(), last.createdAt(), previousExpiresAt));
        }
        next.add(newest);
        return new Subscription(
                id,
                owner,
                description,
                filter,
                channel,
                url,
                to,
                List.copyOf(next),
                state,
                disabledReason,
                disabledMessage,
                disabledAt,
                createdAt,
                newest.createdAt(),
                configured);
    }
}
