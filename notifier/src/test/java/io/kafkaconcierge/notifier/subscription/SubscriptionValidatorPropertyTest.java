package io.kafkaconcierge.notifier.subscription;

import static io.kafkaconcierge.testing.Cases.anyString;
import static io.kafkaconcierge.testing.Cases.forAll;
import static io.kafkaconcierge.testing.Cases.oneOf;
import static io.kafkaconcierge.testing.Cases.someOf;
import static io.kafkaconcierge.testing.Cases.string;
import static org.assertj.core.api.Assertions.assertThat;

import io.kafkaconcierge.contracts.CloudEvents;
import io.kafkaconcierge.contracts.EventFilter;
import io.kafkaconcierge.contracts.RequestState;
import io.kafkaconcierge.contracts.ResourceKind;
import io.kafkaconcierge.notifier.subscription.Subscription.Channel;
import io.kafkaconcierge.notifier.subscription.Subscription.Filter;
import io.kafkaconcierge.problem.Problem.FieldError;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Properties of what a subscription's filter may say, and that what it says is what the filter then does. */
class SubscriptionValidatorPropertyTest {

    private static final List<String> OWNERS = List.of("web", "data-platform", "Team_9.x");
    private static final List<String> CLUSTERS = List.of("local", "prod-eu", "analytics");

    private static List<String> errors(Filter filter, String channel) {
        List<FieldError> errors = new ArrayList<>();
        SubscriptionValidator.filter(filter, channel, errors);
        return errors.stream().map(FieldError::field).toList();
    }

    @Test
    void shouldKnowExactlyTheEventTypesThatHaveASchema() {
        Set<String> candidates =
                new HashSet<>(Set.of(CloudEvents.SUBSCRIPTION_DISABLED, CloudEvents.APPROVAL_REQUESTED));
        for (ResourceKind kind : ResourceKind.values()) {
            for (RequestState state : RequestState.values()) {
                candidates.add(CloudEvents.type(kind, state));
            }
        }
        for (String type : candidates) {
            boolean schema = getClass().getClassLoader().getResource(CloudEvents.dataSchemaPath(type)) != null;
            assertThat(SubscriptionValidator.TYPES.contains(type)).as(type).isEqualTo(schema);
        }
    }

    static Filter validFilter(Random random) {
        return new Filter(
                someOf(random, List.copyOf(SubscriptionValidator.TYPES)),
                someOf(random, List.copyOf(SubscriptionValidator.KINDS)),
                someOf(random, OWNERS),
                someOf(random, CLUSTERS));
    }

    @Test
    void shouldAcceptEveryFilterOfKnownValues() {
        forAll(
                SubscriptionValidatorPropertyTest::validFilter,
                f -> assertThat(errors(f, Channel.WEBHOOK)).isEmpty());
    }

    record Broken(Filter filter, String field) {}

    /** A valid filter with one value no list may hold put at some place in one of its lists. */
    static Broken oneBadValue(Random random) {
        Filter f = validFilter(random);
        List<List<String>> lists = new ArrayList<>(List.of(
                new ArrayList<>(f.types()),
                new ArrayList<>(f.kinds()),
                new ArrayList<>(f.owners()),
                new ArrayList<>(f.clusters())));
        int which = random.nextInt(4);
        String bad = switch (which) {
            case 0 -> oneOf(random, List.of("io.kafkaconcierge.topic.exploded", "", "TOPIC.READY"));
            case 1 -> oneOf(random, List.of("Topic", "cluster", " topic"));
            case 2 -> oneOf(random, List.of("", "-web", "a b", "x".repeat(64), "é"));
            default -> oneOf(random, List.of("", "  ", "x".repeat(254)));
        };
        int at = random.nextInt(lists.get(which).size() + 1);
        lists.get(which).add(at, bad);
        String name = List.of("types", "kinds", "owners", "clusters").get(which);
        return new Broken(
                new Filter(lists.get(0), lists.get(1), lists.get(2), lists.get(3)), "filter." + name + "." + at);
    }

    @Test
    void shouldNameExactlyTheValueThatIsNotKnown() {
        forAll(
                SubscriptionValidatorPropertyTest::oneBadValue,
                b -> assertThat(errors(b.filter(), Channel.WEBHOOK)).containsExactly(b.field()));
    }

    /** Filters with any cluster values, as a client could send them. */
    static Filter anyClusters(Random random) {
        List<String> clusters = new ArrayList<>();
        int n = 1 + random.nextInt(3);
        for (int i = 0; i < n; i++) {
            String c = random.nextBoolean() ? anyString(random) : string(random, "ab, -", 1, 8);
            clusters.add(c == null ? "x" : c);
        }
        return new Filter(List.of(), List.of(), List.of(), clusters);
    }

    @Test
    void shouldMeanByEveryFilterItAcceptsWhatItSays() {
        forAll(r -> r.nextBoolean() ? validFilter(r) : anyClusters(r), f -> {
            if (errors(f, Channel.WEBHOOK).isEmpty()) {
                EventFilter e = f.toEventFilter();
                assertThat(e.types()).isEqualTo(Set.copyOf(f.types()));
                assertThat(e.kinds()).isEqualTo(Set.copyOf(f.kinds()));
                assertThat(e.owners()).isEqualTo(Set.copyOf(f.owners()));
                assertThat(e.clusters()).isEqualTo(Set.copyOf(f.clusters()));
            }
        });
    }
}
