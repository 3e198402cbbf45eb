package io.kafkaconcierge.notifier.subscription;

import io.kafkaconcierge.contracts.CloudEvents;
import io.kafkaconcierge.contracts.Owners;
import io.kafkaconcierge.contracts.RequestState;
import io.kafkaconcierge.contracts.ResourceKind;
import io.kafkaconcierge.notifier.delivery.EmailNotifier;
import io.kafkaconcierge.notifier.delivery.WebhookAddresses;
import io.kafkaconcierge.notifier.subscription.Subscription.Channel;
import io.kafkaconcierge.notifier.subscription.Subscription.Filter;
import io.kafkaconcierge.problem.Problem.FieldError;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;

/** What a subscription may say: checks that name each bad field, so a 422 lists all of them at once. */
public final class SubscriptionValidator {

    private static final Pattern EMAIL = Pattern.compile("[^@\\s,<>]+@[^@\\s,<>]+\\.[^@\\s,<>]+");
    private static final int MAX_LIST = 50;

    /** Every event type there is: those of requests and the notifier's own. */
    public static final Set<String> TYPES;

    public static final Set<String> KINDS = Set.of("topic", "instance", "user", "subscription");

    static {
        Set<String> types = new TreeSet<>();
        for (RequestState state : RequestState.values()) {
            types.add(CloudEvents.type(ResourceKind.INSTANCE, state));
            // topics and users are updated and deleted in one step, and have no health of their own
            if (state != RequestState.UPDATING && state != RequestState.DELETING && state != RequestState.DEGRADED) {
                types.add(CloudEvents.type(ResourceKind.TOPIC, state));
                types.add(CloudEvents.type(ResourceKind.USER, state));
            }
        }
        types.add(CloudEvents.SUBSCRIPTION_DISABLED);
        types.add(CloudEvents.APPROVAL_REQUESTED);
        TYPES = Set.copyOf(types);
    }

    private SubscriptionValidator() {}

    public static void owner(String owner, List<FieldError> errors) {
        String problem = Owners.problem(owner);
        if (problem != null) {
            errors.add(new FieldError("owner", problem));
        }
    }

    public static void description(String description, List<FieldError> errors) {
        if (description != null && description.length() > 256) {
            errors.add(new FieldError("description", "must be at most 256 characters"));
        }
    }

    public static void filter(Filter filter, String channel, List<FieldError> errors) {
        if (filter == null) {
            return;
        }
        Set<String> mailed = Channel.EMAIL.equals(channel) ? EmailNotifier.MAILED : TYPES;
        for (int i = 0; i < filter.types().size(); i++) {
            String t = filter.types().get(i);
            if (!mailed.contains(t)) {
                errors.add(new FieldError(
                        "filter.types." + i,
                        Channel.EMAIL.equals(channel)
                                ? "no e-mail exists for '" + t + "'; choose from " + new TreeSet<>(mailed)
                                : "unknown event type '" + t + "'; known: " + TYPES));
            }
        }
        for (int i = 0; i < filter.kinds().size(); i++) {
            if (!KINDS.contains(filter.kinds().get(i))) {
                errors.add(new FieldError(
                        "filter.kinds." + i,
                        "unknown kind '" + filter.kinds().get(i) + "'; known: " + new TreeSet<>(KINDS)));
            }
        }
        for (int i = 0; i < filter.owners().size(); i++) {
            if (Owners.problem(filter.owners().get(i)) != null) {
                errors.add(new FieldError("filter.owners." + i, "is not an owner name"));
            }
        }
        for (int i = 0; i < filter.clusters().size(); i++) {
            String cluster = filter.clusters().get(i);
            // a comma would split it in two, spaces around it would be dropped (EventFilter.of): it would mean another
            if (cluster.isBlank()
                    || cluster.length() > 253
                    || cluster.contains(",")
                    || !cluster.equals(cluster.trim())) {
                errors.add(new FieldError("filter.clusters." + i, "is not a cluster or instance name"));
            }
        }
        for (var list : List.of(filter.types(), filter.kinds(), filter.owners(), filter.clusters())) {
            if (list.size() > MAX_LIST) {
                errors.add(new FieldError("filter", "lists may hold at most " + MAX_LIST + " values"));
                break;
            }
        }
    }

    public static void url(
            String url, boolean allowHttp, WebhookAddresses addresses, String field, List<FieldError> errors) {
        if (url == null || url.isBlank()) {
            errors.add(new FieldError(field, "is required for a webhook"));
            return;
        }
        String problem = urlProblem(url, allowHttp, addresses);
        if (problem != null) {
            errors.add(new FieldError(field, problem));
        }
    }

    /**
     * Why a webhook URL cannot be used, or null. Its host is resolved now and refused if it points inside (SSRF),
     * as each delivery does again ({@link WebhookAddresses}); a name that does not resolve yet is accepted.
     * Blocking when it asks DNS.
     */
    public static String urlProblem(String url, boolean allowHttp, WebhookAddresses addresses) {
        URI uri;
        try {
            uri = new URI(url);
        } catch (URISyntaxException e) {
            return "is not a URL: " + e.getReason();
        }
        if (!"https".equals(uri.getScheme()) && !(allowHttp && "http".equals(uri.getScheme()))) {
            return allowHttp ? "must be an http or https URL" : "must be an https URL";
        }
        if (uri.getHost() == null || uri.getHost().isBlank()) {
            return "must name a host";
        }
        if (uri.getUserInfo() != null) {
            return "must not hold credentials (user:password@); the signature proves who sends";
        }
        if (uri.getFragment() != null) {
            return "must not have a #fragment";
        }
        if (url.length() > 2048) {
            return "must be at most 2048 characters";
        }
        String host = uri.getHost();
        WebhookAddresses.Verdict verdict = addresses.check(host);
        if (verdict instanceof WebhookAddresses.Refused refused) {
            return refused.fieldMessage();
        }
        if (verdict instanceof WebhookAddresses.Unresolved && (host.matches("[0-9.]+") || host.startsWith("["))) {
            return "has an unreadable address";
        }
        return null;
    }

    public static void to(List<String> to, String field, List<FieldError> errors) {
        if (to == null || to.isEmpty()) {
            errors.add(new FieldError(field, "needs at least one address for e-mail"));
            return;
        }
        if (to.size() > MAX_LIST) {
            errors.add(new FieldError(field, "may hold at most " + MAX_LIST + " addresses"));
        }
        for (int i = 0; i < to.size(); i++) {
            if (to.get(i) == null || !EMAIL.matcher(to.get(i)).matches()) {
                errors.add(new FieldError(field + "." + i, "is not an e-mail address"));
            }
        }
    }

    /** The types an e-mail subscription gets when its filter names none: those that have a template. */
    public static List<String> mailedTypes(Filter filter) {
        return filter == null || filter.types().isEmpty()
                ? new ArrayList<>(new TreeSet<>(EmailNotifier.MAILED))
                : filter.types();
    }
}
