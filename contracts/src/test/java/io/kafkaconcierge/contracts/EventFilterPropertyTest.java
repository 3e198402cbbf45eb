package io.kafkaconcierge.contracts;

import static io.kafkaconcierge.contracts.Cases.forAll;
import static io.kafkaconcierge.contracts.Cases.oneOf;
import static io.kafkaconcierge.contracts.Cases.someOf;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Properties of the event filter, on events made from the real records and written as the services write them: an
 * event matches exactly when each condition the filter sets holds for it, whatever the kind of event.
 */
class EventFilterPropertyTest {

    private static final List<String> CLUSTERS = List.of("local", "prod-eu", "analytics");
    private static final List<String> NAMES = List.of("orders", "analytics", "clicks");
    private static final List<String> OWNERS = List.of("web", "data-platform", "payments");
    private static final List<String> REQUEST_IDS = List.of("r1", "r2");
    private static final List<String> KINDS = List.of("topic", "instance", "user", "subscription");
    private static final List<String> TYPES = List.of(
            "io.kafkaconcierge.topic.ready",
            "io.kafkaconcierge.instance.ready",
            "io.kafkaconcierge.user.failed",
            "io.kafkaconcierge.topic.accepted",
            CloudEvents.SUBSCRIPTION_DISABLED,
            CloudEvents.APPROVAL_REQUESTED);
    private static final Instant NOW = Instant.parse("2026-12-02T10:00:00Z");

    /** An event as the filter sees it (its type and data), and what it is about, read from the record. */
    record Event(String type, JsonNode data, String kind, String cluster, String owner, String requestId) {
        @Override
        public String toString() {
            return type + " " + data;
        }
    }

    static Event event(Random random) {
        String requestId = oneOf(random, REQUEST_IDS);
        String owner = oneOf(random, OWNERS);
        String cluster = oneOf(random, CLUSTERS);
        String name = oneOf(random, NAMES);
        RequestState state = oneOf(random, List.of(RequestState.values()));
        Operation operation = oneOf(random, List.of(Operation.values()));
        return switch (random.nextInt(5)) {
            case 0 -> {
                TopicSpec spec = new TopicSpec(cluster, name, 3, (short) 1, Map.of(), owner, null, null);
                RequestCommand c =
                        new RequestCommand(requestId, operation, spec.ref(), spec, null, null, "h", NOW, null, null);
                yield status(StatusEvent.of(c, state, NOW), "topic", cluster, owner);
            }
            case 1 -> {
                InstanceSpec spec = new InstanceSpec(
                        name,
                        owner,
                        1,
                        "4.1.1",
                        Map.of(),
                        new InstanceSpec.Storage("ephemeral", null),
                        List.of(),
                        null,
                        false,
                        null);
                RequestCommand c =
                        new RequestCommand(requestId, operation, spec.ref(), null, null, null, "h", NOW, spec, null);
                yield status(StatusEvent.of(c, state, NOW), "instance", name, owner);
            }
            case 2 -> {
                UserSpec spec = new UserSpec(cluster, name, owner, List.of(), null, null);
                RequestCommand c = RequestCommand.user(requestId, operation, spec, null, null, "h", NOW);
                yield status(StatusEvent.of(c, state, NOW), "user", cluster, owner);
            }
            case 3 -> {
                String id = "sub-" + name;
                SubscriptionEvent e = SubscriptionEvent.disabled(id, owner, "GONE", "gone", "webhook", "x", null, NOW);
                yield new Event(
                        CloudEvents.SUBSCRIPTION_DISABLED, Json.MAPPER.valueToTree(e), "subscription", id, owner, "");
            }
            default -> {
                boolean instance = random.nextBoolean();
                ResourceRef ref = instance ? ResourceRef.instance(name) : ResourceRef.topic(cluster, name);
                ApprovalRequested a = new ApprovalRequested(
                        requestId,
                        operation,
                        ref,
                        owner,
                        "prod",
                        new Requester("alice", "Alice", null),
                        NOW,
                        NOW.plusSeconds(3600),
                        1,
                        "admins",
                        "a topic",
                        "hash",
                        "/approvals/" + requestId,
                        List.of(),
                        List.of());
                yield new Event(
                        CloudEvents.APPROVAL_REQUESTED,
                        Json.MAPPER.valueToTree(a),
                        instance ? "instance" : "topic",
                        instance ? name : cluster,
                        owner,
                        requestId);
            }
        };
    }

    private static Event status(StatusEvent e, String kind, String cluster, String owner) {
        return new Event(e.eventType(), Json.MAPPER.valueToTree(e), kind, cluster, owner, e.requestId());
    }

    record Lists(List<String> types, List<String> kinds, List<String> clusters, List<String> owners, String requestId) {
        EventFilter filter() {
            return EventFilter.of(types, kinds, clusters, owners, requestId);
        }
    }

    static Lists lists(Random random) {
        List<String> clusters = new ArrayList<>(CLUSTERS);
        NAMES.forEach(n -> clusters.add(n));
        clusters.add("sub-orders");
        return new Lists(
                someOf(random, TYPES),
                someOf(random, KINDS),
                someOf(random, clusters),
                someOf(random, OWNERS),
                random.nextInt(3) == 0 ? oneOf(random, REQUEST_IDS) : null);
    }

    record Case(Lists lists, Event event) {}

    static Case filterAndEvent(Random random) {
        return new Case(lists(random), event(random));
    }

    private static boolean any(List<String> wanted, String value) {
        return wanted.isEmpty() || wanted.contains(value);
    }

    @Test
    void shouldMatchAnEventExactlyWhenEachConditionOfTheFilterHolds() {
        forAll(EventFilterPropertyTest::filterAndEvent, c -> {
            Lists f = c.lists();
            Event e = c.event();
            boolean expected = any(f.types(), e.type())
                    && any(f.kinds(), e.kind())
                    && any(f.clusters(), e.cluster())
                    && any(f.owners(), e.owner())
                    && (f.requestId() == null || f.requestId().equals(e.requestId()));
            assertThat(f.filter().matches(e.type(), e.data())).isEqualTo(expected);
        });
    }

    @Test
    void shouldMatchEveryEventWhenTheFilterSetsNothing() {
        List<String> blanks = List.of("", " ", ",", " , ,");
        forAll(EventFilterPropertyTest::event, e -> {
            assertThat(EventFilter.of(null, null, null, null, null).matches(e.type(), e.data()))
                    .isTrue();
            assertThat(EventFilter.of(List.of(), List.of(), List.of(), List.of(), null)
                            .matches(e.type(), e.data()))
                    .isTrue();
            assertThat(EventFilter.of(blanks, blanks, blanks, blanks, null).matches(e.type(), e.data()))
                    .isTrue();
        });
    }

    @Test
    void shouldReadTheOwnerOfEveryKindOfEvent() {
        forAll(
                EventFilterPropertyTest::event,
                e -> assertThat(EventFilter.owner(e.data())).isEqualTo(e.owner()));
    }

    @Test
    void shouldReadCommaSeparatedAndRepeatedValuesAlike() {
        forAll(EventFilterPropertyTest::lists, f -> {
            EventFilter repeated = f.filter();
            EventFilter commaSeparated = EventFilter.of(
                    joined(f.types()), joined(f.kinds()), joined(f.clusters()), joined(f.owners()), f.requestId());
            List<String> doubled = new ArrayList<>(f.owners());
            doubled.addAll(f.owners());
            Collections.reverse(doubled);
            EventFilter reordered = EventFilter.of(f.types(), f.kinds(), f.clusters(), doubled, f.requestId());
            assertThat(commaSeparated).isEqualTo(repeated);
            assertThat(reordered).isEqualTo(repeated);
        });
    }

    /** One parameter of comma-separated values, with spaces around them. */
    private static List<String> joined(List<String> values) {
        return values.isEmpty() ? List.of() : List.of(" " + String.join(" , ", values) + ",");
    }

    @Test
    void shouldMatchTheSameWhateverTheDefaultLocale() {
        Locale before = Locale.getDefault();
        try {
            forAll(EventFilterPropertyTest::filterAndEvent, c -> {
                Locale.setDefault(Locale.ROOT);
                boolean root =
                        c.lists().filter().matches(c.event().type(), c.event().data());
                Locale.setDefault(Locale.forLanguageTag("tr-TR"));
                boolean turkish =
                        c.lists().filter().matches(c.event().type(), c.event().data());
                assertThat(turkish).isEqualTo(root);
            });
        } finally {
            Locale.setDefault(before);
        }
    }
}
