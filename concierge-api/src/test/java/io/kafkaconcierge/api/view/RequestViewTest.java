package io.kafkaconcierge.api.view;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.kafkaconcierge.contracts.FailureReason;
import io.kafkaconcierge.contracts.Operation;
import io.kafkaconcierge.contracts.RequestCommand;
import io.kafkaconcierge.contracts.RequestState;
import io.kafkaconcierge.contracts.StatusEvent;
import io.kafkaconcierge.contracts.TopicChange;
import io.kafkaconcierge.contracts.TopicSpec;

class RequestViewTest {

    private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");
    private static final TopicSpec SPEC = new TopicSpec("local", "orders", 3, (short) 1, Map.of(), "team", null);

    private static RequestCommand command(String id, Operation op, TopicSpec spec, int second) {
        return new RequestCommand(id, op, spec.ref(), spec, op == Operation.UPDATE ? new TopicChange(6, null, null)
                : null, null, "h", T0.plusSeconds(second));
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
        assertThat(inOrder.request("r1").orElseThrow().history()).extracting(Transition::state)
                .containsExactly(RequestState.ACCEPTED, RequestState.PROVISIONING, RequestState.READY);
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
}
