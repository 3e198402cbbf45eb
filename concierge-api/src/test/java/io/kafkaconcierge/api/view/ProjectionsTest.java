package io.kafkaconcierge.api.view;

import static org.assertj.core.api.Assertions.assertThat;

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
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The projections alone, on a log filled by hand: what a topic, a user and an instance look like now. */
class ProjectionsTest {

    private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

    private static final UserSpec ALICE = new UserSpec(
            "local",
            "alice",
            "team",
            List.of(new UserSpec.Grant("orders", null, List.of(UserSpec.Access.CONSUME), "g", null, null, null, null)),
            null,
            null);

    private static RequestCommand topicCreate(String id, String name, List<TopicSpec.UserAccess> access, int second) {
        TopicSpec spec = new TopicSpec("local", name, 3, (short) 1, Map.of(), "team", null, access);
        return new RequestCommand(id, Operation.CREATE, spec.ref(), spec, null, null, "h", T0.plusSeconds(second));
    }

    @Test
    void shouldShowNothingForAResourceWithoutRequests() {
        RequestLog log = new RequestLog();

        assertThat(Projections.topic(log, ResourceRef.topic("local", "nope").key()))
                .isNull();
        assertThat(Projections.user(log, ResourceRef.user("local", "nope").key()))
                .isNull();
        assertThat(Projections.instance(log, ResourceRef.instance("nope").key()))
                .isNull();
    }

    @Test
    void shouldGiveAUserTheGrantsOfTopicCreatesAcceptedAfterItsOwnRequestButApplyOnlyReadyOnes() {
        RequestLog log = new RequestLog();
        RequestCommand user = RequestCommand.user("u1", Operation.CREATE, ALICE, null, null, "h", T0);
        log.applyCommand(user);
        log.applyEvent(StatusEvent.of(user, RequestState.READY, T0.plusSeconds(1)));
        TopicSpec.UserAccess produce =
                new TopicSpec.UserAccess("alice", List.of(UserSpec.Access.PRODUCE), null, null, null, null, null);
        RequestCommand payments = topicCreate("t1", "payments", List.of(produce), 5);
        RequestCommand refunds = topicCreate("t2", "refunds", List.of(produce), 6);
        log.applyCommand(payments);
        log.applyCommand(refunds);
        log.applyEvent(StatusEvent.of(payments, RequestState.READY, T0.plusSeconds(7)));

        UserStatus alice = Projections.user(log, ALICE.ref().key());

        assertThat(alice.requested().grants())
                .extracting(UserSpec.Grant::topic)
                .containsExactly("orders", "payments", "refunds");
        assertThat(alice.spec().grants()).extracting(UserSpec.Grant::topic).containsExactly("orders", "payments");
        assertThat(log.keys(ResourceKind.USER)).containsExactly(ALICE.ref().key());
    }

    @Test
    void shouldShowAnInstancesHealthAfterItsRequestEnded() {
        RequestLog log = new RequestLog();
        InstanceSpec spec = new InstanceSpec(
                "analytics",
                "team",
                1,
                "4.1.1",
                Map.of(),
                new InstanceSpec.Storage("ephemeral", null),
                List.of(),
                null,
                false,
                null);
        RequestCommand create = new RequestCommand(
                "i1", Operation.CREATE, ResourceRef.instance("analytics"), null, null, null, "h", T0, spec, null);
        log.applyCommand(create);
        log.applyEvent(StatusEvent.of(create, RequestState.READY, T0.plusSeconds(30)));
        InstanceStatus oneDown = new InstanceStatus("local", "4.1.1", 0, List.of(), List.of());
        log.applyEvent(StatusEvent.of(create, RequestState.DEGRADED, T0.plusSeconds(60))
                .withStatus(oneDown)
                .asHealthChange(2));
        log.applyEvent(
                StatusEvent.of(create, RequestState.READY, T0.plusSeconds(50)).asHealthChange(1));

        InstanceView view =
                Projections.instance(log, ResourceRef.instance("analytics").key());

        assertThat(view.state()).isEqualTo(RequestState.DEGRADED);
        assertThat(view.readyBrokers()).isZero();
        assertThat(view.updatedAt()).isEqualTo(T0.plusSeconds(60));
    }
}
