package io.kafkaconcierge.api.view;

import static org.assertj.core.api.Assertions.assertThat;

import io.kafkaconcierge.contracts.FailureReason;
import io.kafkaconcierge.contracts.InstanceSpec;
import io.kafkaconcierge.contracts.InstanceStatus;
import io.kafkaconcierge.contracts.Operation;
import io.kafkaconcierge.contracts.RequestCommand;
import io.kafkaconcierge.contracts.RequestState;
import io.kafkaconcierge.contracts.ResourceKind;
import io.kafkaconcierge.contracts.ResourceRef;
import io.kafkaconcierge.contracts.StatusEvent;
import io.kafkaconcierge.contracts.TopicSpec;
import io.kafkaconcierge.contracts.UserSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The view remembers projections between changes and keeps superseded requests as summaries; whatever the order of
 * commands and events, and whichever projections were asked for in between, what it answers (resources and requests)
 * is what the projections of the same records, every request kept in full, give afresh.
 */
class RequestViewCacheTest {

    private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");
    private static final List<String> CLUSTERS = List.of("local", "analytics");
    private static final List<String> NAMES = List.of("a", "b", "c");
    private static final List<String> USERS = List.of("alice", "bob");

    @Test
    void shouldAnswerWhatTheProjectionsOfTheSameRecordsGiveWhateverWasAskedBefore() {
        long summarised = 0;
        for (long seed = 1; seed <= 300; seed++) {
            Random random = new Random(seed);
            // bounded, but with bounds never reached: superseded requests become summaries, gone resources stay
            RequestView view =
                    new RequestView(new RequestLog.Bounds(Integer.MAX_VALUE, Integer.MAX_VALUE, Duration.ofDays(3650)));
            RequestLog fresh = new RequestLog();
            List<RequestCommand> commands = new ArrayList<>();
            for (int step = 0; step < 60; step++) {
                int second = step;
                if (commands.isEmpty() || random.nextInt(3) == 0) {
                    RequestCommand c = command(random, "r" + seed + "-" + step, second);
                    commands.add(c);
                    view.applyCommand(c);
                    fresh.applyCommand(c);
                } else {
                    StatusEvent e = event(random, commands.get(random.nextInt(commands.size())), second, step);
                    view.applyEvent(e);
                    fresh.applyEvent(e);
                }
                // ask for some projections now, so that some are remembered when the next record comes
                for (int ask = 0; ask < 3; ask++) {
                    ResourceRef r = anyResource(random);
                    compare(view, fresh, r, "seed " + seed + " step " + step);
                }
                if (random.nextBoolean()) {
                    compareLists(view, fresh, "seed " + seed + " step " + step);
                }
                RequestCommand asked = commands.get(random.nextInt(commands.size()));
                compareRequest(view, fresh, asked.requestId(), "seed " + seed + " step " + step);
            }
            for (RequestCommand c : commands) {
                compareRequest(view, fresh, c.requestId(), "seed " + seed + " at the end");
            }
            for (String cluster : CLUSTERS) {
                for (String name : NAMES) {
                    compare(view, fresh, ResourceRef.topic(cluster, name), "seed " + seed + " at the end");
                }
                for (String user : USERS) {
                    compare(view, fresh, ResourceRef.user(cluster, user), "seed " + seed + " at the end");
                }
                compare(view, fresh, ResourceRef.instance(cluster), "seed " + seed + " at the end");
            }
            compareLists(view, fresh, "seed " + seed + " at the end");
            summarised += view.sizes().summaries();
        }
        // the comparison means something only if requests were summarised (and answered from their summaries)
        assertThat(summarised).as("requests summarised over all seeds").isGreaterThan(500);
    }

    private static void compareRequest(RequestView view, RequestLog fresh, String requestId, String when) {
        RequestEntry e = fresh.entry(requestId);
        assertThat(view.request(requestId).orElse(null))
                .as("%s: request %s", when, requestId)
                .isEqualTo(e == null || e.state() == null ? null : e.status());
        assertThat(view.sealedCredential(requestId).orElse(null))
                .as("%s: the credential of request %s", when, requestId)
                .isEqualTo(e == null ? null : e.credential);
    }

    private static void compareLists(RequestView view, RequestLog fresh, String when) {
        assertThat(view.topics(t -> true, 0, 100).items())
                .as("%s: the topic list", when)
                .containsExactlyElementsOf(fresh.keys(ResourceKind.TOPIC).stream()
                        .map(k -> Projections.topic(fresh, k))
                        .toList());
        assertThat(view.users(u -> true, 0, 100).items())
                .as("%s: the user list", when)
                .containsExactlyElementsOf(fresh.keys(ResourceKind.USER).stream()
                        .map(k -> Projections.user(fresh, k))
                        .toList());
        assertThat(view.instances(i -> true, 0, 100).items())
                .as("%s: the instance list", when)
                .containsExactlyElementsOf(fresh.keys(ResourceKind.INSTANCE).stream()
                        .map(k -> Projections.instance(fresh, k))
                        .toList());
    }

    private static void compare(RequestView view, RequestLog fresh, ResourceRef r, String when) {
        switch (r.kind()) {
            case TOPIC ->
                assertThat(view.topic(r.cluster(), r.name()).orElse(null))
                        .as("%s: topic %s", when, r.key())
                        .isEqualTo(Projections.topic(fresh, r.key()));
            case USER ->
                assertThat(view.user(r.cluster(), r.name()).orElse(null))
                        .as("%s: user %s", when, r.key())
                        .isEqualTo(Projections.user(fresh, r.key()));
            case INSTANCE ->
                assertThat(view.instance(r.name()).orElse(null))
                        .as("%s: instance %s", when, r.key())
                        .isEqualTo(Projections.instance(fresh, r.key()));
        }
    }

    private static ResourceRef anyResource(Random random) {
        String cluster = CLUSTERS.get(random.nextInt(CLUSTERS.size()));
        return switch (random.nextInt(3)) {
            case 0 -> ResourceRef.topic(cluster, NAMES.get(random.nextInt(NAMES.size())));
            case 1 -> ResourceRef.user(cluster, USERS.get(random.nextInt(USERS.size())));
            default -> ResourceRef.instance(cluster);
        };
    }

    private static RequestCommand command(Random random, String id, int second) {
        Instant at = T0.plusSeconds(second);
        Operation op = Operation.values()[random.nextInt(Operation.values().length)];
        String cluster = CLUSTERS.get(random.nextInt(CLUSTERS.size()));
        switch (random.nextInt(3)) {
            case 0 -> {
                List<TopicSpec.UserAccess> access = random.nextBoolean()
                        ? List.of(new TopicSpec.UserAccess(
                                USERS.get(random.nextInt(USERS.size())),
                                List.of(UserSpec.Access.PRODUCE),
                                null,
                                null,
                                null,
                                null,
                                null))
                        : List.of();
                TopicSpec spec = new TopicSpec(
                        cluster,
                        NAMES.get(random.nextInt(NAMES.size())),
                        1 + random.nextInt(3),
                        (short) 1,
                        Map.of(),
                        "team",
                        null,
                        access);
                return new RequestCommand(id, op, spec.ref(), spec, null, null, "h", at);
            }
            case 1 -> {
                UserSpec user = new UserSpec(
                        cluster,
                        USERS.get(random.nextInt(USERS.size())),
                        "team",
                        List.of(new UserSpec.Grant(
                                "t" + random.nextInt(3),
                                null,
                                List.of(UserSpec.Access.CONSUME),
                                "g",
                                null,
                                null,
                                null,
                                null)),
                        null,
                        null);
                return RequestCommand.user(id, op, user, null, null, "h", at);
            }
            default -> {
                InstanceSpec spec = new InstanceSpec(
                        cluster,
                        "team",
                        1 + random.nextInt(3),
                        "4.1.1",
                        Map.of(),
                        new InstanceSpec.Storage("ephemeral", null),
                        List.of(),
                        null,
                        false,
                        null);
                return new RequestCommand(id, op, ResourceRef.instance(cluster), null, null, null, "h", at, spec, null);
            }
        }
    }

    private static StatusEvent event(Random random, RequestCommand c, int second, int step) {
        Instant at = T0.plusSeconds(second);
        RequestState[] states = {
            RequestState.PROVISIONING, RequestState.READY, RequestState.FAILED, RequestState.DELETED, RequestState.READY
        };
        RequestState state = states[random.nextInt(states.length)];
        if (c.resource().kind() == ResourceKind.INSTANCE && random.nextInt(4) == 0) {
            RequestState health = random.nextBoolean() ? RequestState.DEGRADED : RequestState.READY;
            return StatusEvent.of(c, health, at)
                    .withStatus(new InstanceStatus("local", "4.1.1", random.nextInt(3), List.of(), List.of()))
                    .asHealthChange(step);
        }
        return state == RequestState.FAILED
                ? StatusEvent.failed(c, FailureReason.INTERNAL, "broke", at)
                : StatusEvent.of(c, state, at);
    }
}
