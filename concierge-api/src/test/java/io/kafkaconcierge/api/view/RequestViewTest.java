package io.kafkaconcierge.api.view;

import static org.assertj.core.api.Assertions.assertThat;

import io.kafkaconcierge.contracts.FailureReason;
import io.kafkaconcierge.contracts.InstanceSpec;
import io.kafkaconcierge.contracts.InstanceStatus;
import io.kafkaconcierge.contracts.Operation;
import io.kafkaconcierge.contracts.RequestCommand;
import io.kafkaconcierge.contracts.RequestState;
import io.kafkaconcierge.contracts.StatusEvent;
import io.kafkaconcierge.contracts.TopicChange;
import io.kafkaconcierge.contracts.TopicSpec;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RequestViewTest {

    private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");
    private static final TopicSpec SPEC = new TopicSpec("local", "orders", 3, (short) 1, Map.of(), "team", null);

    private static RequestCommand command(String id, Operation op, TopicSpec spec, int second) {
        return new RequestCommand(
                id,
                op,
                spec.ref(),
                spec,
                op == Operation.UPDATE ? new TopicChange(6, null, null) : null,
                null,
                "h",
                T0.plusSeconds(second));
    }

    @Test
    void shouldReachTheSameStateWhateverOrderCommandsAndEventsArrive() {
        RequestCommand create = command("r1", Operation.CREATE, SPEC, 0);
        StatusEvent provisioning = StatusEvent.of(create, RequestState.PROVISIONING, T0.plusSeconds(1));
        StatusEvent ready = StatusEvent.of(create, RequestState.READY, T0.plusSeconds(2));

        RequestView inOrder = new RequestView();
        inOrder.applyCommand(create);
        inOrder.applyEvent(provisioning);
        inOrder.applyEvent(ready);

        RequestView reversed = new RequestView();
        reversed.applyEvent(ready);
        reversed.applyEvent(provisioning);
        reversed.applyEvent(ready); // a duplicate changes nothing
        reversed.applyCommand(create);

        assertThat(reversed.request("r1")).isEqualTo(inOrder.request("r1"));
        assertThat(reversed.topic("local", "orders")).isEqualTo(inOrder.topic("local", "orders"));
        assertThat(inOrder.request("r1").orElseThrow().history())
                .extracting(Transition::state)
                .containsExactly(RequestState.ACCEPTED, RequestState.PROVISIONING, RequestState.READY);
    }

    @Test
    void shouldKeepTheFirstTerminalStateWhenALateOutcomeFollowsATimeout() {
        RequestView view = new RequestView();
        RequestCommand create = command("r1", Operation.CREATE, SPEC, 0);
        view.applyCommand(create);
        view.applyEvent(StatusEvent.failed(create, FailureReason.TIMEOUT, "stuck in ACCEPTED", T0.plusSeconds(600)));
        view.applyEvent(StatusEvent.of(create, RequestState.READY, T0.plusSeconds(601)));

        RequestStatus status = view.request("r1").orElseThrow();
        assertThat(status.state()).isEqualTo(RequestState.FAILED);
        assertThat(status.reason()).isEqualTo(FailureReason.TIMEOUT);
        assertThat(status.history())
                .extracting(Transition::state)
                .containsExactly(RequestState.ACCEPTED, RequestState.FAILED);
        assertThat(view.topic("local", "orders").orElseThrow().spec()).isNull();
        assertThat(view.unfinished()).isEmpty();
    }

    @Test
    void shouldKeepTheAppliedSpecWhenAnUpdateFails() {
        RequestView view = new RequestView();
        RequestCommand create = command("r1", Operation.CREATE, SPEC, 0);
        TopicSpec bigger = new TopicSpec("local", "orders", 6, (short) 1, Map.of(), "team", null);
        RequestCommand update = command("r2", Operation.UPDATE, bigger, 5);
        view.applyCommand(create);
        view.applyEvent(StatusEvent.of(create, RequestState.READY, T0.plusSeconds(1)));
        view.applyCommand(update);
        view.applyEvent(StatusEvent.failed(update, FailureReason.CLUSTER_UNAVAILABLE, "down", T0.plusSeconds(9)));

        TopicStatus topic = view.topic("local", "orders").orElseThrow();
        assertThat(topic.state()).isEqualTo(RequestState.FAILED);
        assertThat(topic.reason()).isEqualTo(FailureReason.CLUSTER_UNAVAILABLE);
        assertThat(topic.spec().partitions()).isEqualTo(3);
        assertThat(topic.live()).isTrue();
        assertThat(topic.desired().partitions()).isEqualTo(3);
    }

    @Test
    void shouldShowADeletedTopicAsNotLive() {
        RequestView view = new RequestView();
        RequestCommand create = command("r1", Operation.CREATE, SPEC, 0);
        RequestCommand delete = command("r2", Operation.DELETE, SPEC, 5);
        view.applyCommand(create);
        view.applyEvent(StatusEvent.of(create, RequestState.READY, T0.plusSeconds(1)));
        view.applyCommand(delete);
        view.applyEvent(StatusEvent.of(delete, RequestState.DELETED, T0.plusSeconds(6)));

        TopicStatus topic = view.topic("local", "orders").orElseThrow();
        assertThat(topic.state()).isEqualTo(RequestState.DELETED);
        assertThat(topic.spec()).isNull();
        assertThat(topic.live()).isFalse();
    }

    @Test
    void shouldNotTreatATopicWhoseCreateAndUpdateBothFailedAsLive() {
        RequestView view = new RequestView();
        RequestCommand create = command("r1", Operation.CREATE, SPEC, 0);
        RequestCommand update = command("r2", Operation.UPDATE, SPEC, 1);
        view.applyCommand(create);
        view.applyCommand(update);
        view.applyEvent(StatusEvent.failed(create, FailureReason.INVALID_SPEC, "refused", T0.plusSeconds(2)));
        view.applyEvent(StatusEvent.failed(update, FailureReason.NOT_FOUND, "missing", T0.plusSeconds(3)));

        TopicStatus topic = view.topic("local", "orders").orElseThrow();
        assertThat(topic.spec()).isNull();
        assertThat(topic.live()).isFalse();
    }

    @Test
    void shouldShowTopicsOfADeletedInstanceAsDeletedWithItAndLetThemBeAskedForAgain() {
        InstanceSpec instance = new InstanceSpec(
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
        RequestCommand createInstance =
                new RequestCommand("i1", Operation.CREATE, instance.ref(), null, null, null, "h", T0, instance, null);
        TopicSpec onInstance = new TopicSpec("analytics", "clicks", 1, (short) 1, Map.of(), "team", null);
        RequestCommand createTopic = command("t1", Operation.CREATE, onInstance, 10);
        RequestCommand deleteInstance = new RequestCommand(
                "i2", Operation.DELETE, instance.ref(), null, null, null, "h", T0.plusSeconds(20), instance, null);
        RequestView view = new RequestView();
        view.applyCommand(createInstance);
        view.applyEvent(StatusEvent.of(createInstance, RequestState.READY, T0.plusSeconds(5)));
        view.applyCommand(createTopic);
        view.applyEvent(StatusEvent.of(createTopic, RequestState.READY, T0.plusSeconds(11)));
        assertThat(view.topic("analytics", "clicks"))
                .hasValueSatisfying(t -> assertThat(t.live()).isTrue());

        view.applyCommand(deleteInstance);
        view.applyEvent(StatusEvent.of(deleteInstance, RequestState.DELETED, T0.plusSeconds(25)));
        assertThat(view.topic("analytics", "clicks")).hasValueSatisfying(t -> {
            assertThat(t.state()).isEqualTo(RequestState.DELETED);
            assertThat(t.message()).contains("deleted with instance analytics");
            assertThat(t.live()).isFalse();
        });

        RequestCommand again = command("t2", Operation.CREATE, onInstance, 30);
        view.applyCommand(again);
        assertThat(view.topic("analytics", "clicks")).hasValueSatisfying(t -> {
            assertThat(t.state()).isEqualTo(RequestState.ACCEPTED);
            assertThat(t.live()).isTrue();
        });
    }

    @Test
    void shouldShowWhatTheBackendReportsDuringARequestWithoutChangingItsStep() {
        InstanceSpec instance = new InstanceSpec(
                "stream",
                "team",
                3,
                "4.3.1",
                Map.of(),
                new InstanceSpec.Storage("ephemeral", null),
                List.of(),
                null,
                false,
                null);
        RequestCommand create =
                new RequestCommand("i1", Operation.CREATE, instance.ref(), null, null, null, "h", T0, instance, null);
        InstanceStatus waiting = new InstanceStatus(
                "strimzi",
                "4.3.1",
                0,
                List.of(),
                List.of(new InstanceStatus.Condition("NotReady", "True", "TimeoutException", "pods not ready", T0)));
        RequestView view = new RequestView();
        view.applyCommand(create);
        view.applyEvent(StatusEvent.of(create, RequestState.PROVISIONING, T0.plusSeconds(1)));
        view.applyEvent(StatusEvent.of(create, RequestState.PROVISIONING, T0.plusSeconds(30))
                .withStatus(waiting)
                .asHealthChange(7));
        assertThat(view.instance("stream")).hasValueSatisfying(i -> {
            assertThat(i.state()).isEqualTo(RequestState.PROVISIONING);
            assertThat(i.conditions())
                    .singleElement()
                    .satisfies(c -> assertThat(c.reason()).isEqualTo("TimeoutException"));
        });

        InstanceStatus ready = new InstanceStatus(
                "strimzi",
                "4.3.1",
                3,
                List.of(),
                List.of(new InstanceStatus.Condition("Ready", "True", null, null, T0)));
        view.applyEvent(
                StatusEvent.of(create, RequestState.READY, T0.plusSeconds(60)).withStatus(ready));
        assertThat(view.instance("stream")).hasValueSatisfying(i -> {
            assertThat(i.state()).isEqualTo(RequestState.READY);
            assertThat(i.conditions())
                    .singleElement()
                    .satisfies(c -> assertThat(c.type()).isEqualTo("Ready"));
        });
    }
}
