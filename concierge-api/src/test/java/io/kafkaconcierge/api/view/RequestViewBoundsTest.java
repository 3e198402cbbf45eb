package io.kafkaconcierge.api.view;

import static org.assertj.core.api.Assertions.assertThat;

import io.kafkaconcierge.contracts.InstanceSpec;
import io.kafkaconcierge.contracts.Operation;
import io.kafkaconcierge.contracts.RequestCommand;
import io.kafkaconcierge.contracts.RequestState;
import io.kafkaconcierge.contracts.ResourceRef;
import io.kafkaconcierge.contracts.StatusEvent;
import io.kafkaconcierge.contracts.TopicSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A bounded view keeps what its resources show now, and only as much history as its bounds allow. */
class RequestViewBoundsTest {

    private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

    private int seconds;

    @Test
    void shouldAnswerASupersededRequestFromItsSummaryAsItDidInFull() {
        RequestView view = new RequestView(new RequestLog.Bounds(100, 100, Duration.ofDays(30)));
        RequestCommand create = done(view, "create", Operation.CREATE, spec("orders", 3), RequestState.READY);
        RequestStatus before = view.request("create").orElseThrow();

        done(view, "patch", Operation.UPDATE, spec("orders", 6), RequestState.READY);

        assertThat(view.sizes().summaries()).isEqualTo(1);
        assertThat(view.request("create")).contains(before);
        assertThat(view.topic("local", "orders").orElseThrow().spec().partitions())
                .isEqualTo(6);
        // a late report of the create (read after its end) is merged into its summary as into the full request
        view.applyEvent(StatusEvent.of(create, RequestState.PROVISIONING, T0));
        assertThat(view.request("create").orElseThrow().history())
                .extracting(Transition::state)
                .containsExactly(RequestState.ACCEPTED, RequestState.PROVISIONING, RequestState.READY);
    }

    @Test
    void shouldForgetTheOldestDeletedTopicsPastTheBoundAndAnswerNotFoundForThem() {
        RequestView view = new RequestView(new RequestLog.Bounds(100, 3, Duration.ofDays(30)));
        for (int i = 0; i < 10; i++) {
            done(view, "create-" + i, Operation.CREATE, spec("t" + i, 1), RequestState.READY);
            done(view, "delete-" + i, Operation.DELETE, spec("t" + i, 1), RequestState.DELETED);
        }

        assertThat(view.topic("local", "t6")).isEmpty();
        assertThat(view.topic("local", "t7").orElseThrow().state()).isEqualTo(RequestState.DELETED);
        assertThat(view.topics(t -> true, 0, 100).items())
                .extracting(TopicStatus::name)
                .containsExactly("t7", "t8", "t9");
        assertThat(view.sizes().gone()).isEqualTo(3);
        // their requests are still answered, from summaries, within the requests' bound
        assertThat(view.request("delete-0").orElseThrow().state()).isEqualTo(RequestState.DELETED);
        assertThat(view.request("create-0").orElseThrow().state()).isEqualTo(RequestState.READY);
    }

    @Test
    void shouldKeepNoMoreSummariesThanItsBoundOldestFirst() {
        RequestView view = new RequestView(new RequestLog.Bounds(5, 100, Duration.ofDays(30)));
        for (int i = 0; i < 20; i++) {
            done(view, "patch-" + i, Operation.UPDATE, spec("orders", 1 + i), RequestState.READY);
        }

        assertThat(view.sizes().summaries()).isEqualTo(5);
        assertThat(view.request("patch-13")).isEmpty();
        assertThat(view.request("patch-14")).isPresent();
        assertThat(view.request("patch-19").orElseThrow().state()).isEqualTo(RequestState.READY);
        assertThat(view.topic("local", "orders").orElseThrow().spec().partitions())
                .isEqualTo(20);
    }

    @Test
    void shouldForgetByAgeMeasuredOnTheRecordsOwnTimes() {
        RequestView view = new RequestView(new RequestLog.Bounds(100, 100, Duration.ofHours(1)));
        done(view, "create-old", Operation.CREATE, spec("old", 1), RequestState.READY);
        done(view, "delete-old", Operation.DELETE, spec("old", 1), RequestState.DELETED);
        assertThat(view.topic("local", "old")).isPresent();

        seconds += 7_200;
        done(view, "create-new", Operation.CREATE, spec("new", 1), RequestState.READY);

        assertThat(view.topic("local", "old")).isEmpty();
        assertThat(view.request("delete-old")).isEmpty();
        assertThat(view.request("create-old")).isEmpty();
        assertThat(view.topic("local", "new").orElseThrow().state()).isEqualTo(RequestState.READY);
    }

    @Test
    void shouldHoldWhatItKeepsInFullToTheLiveTopicsUnderEndlessCreatesAndDeletes() {
        RequestView view = new RequestView(new RequestLog.Bounds(1_000, 500, Duration.ofDays(30)));
        int window = 200;
        for (int i = 0; i < 20_000; i++) {
            done(view, "create-" + i, Operation.CREATE, spec("steady-" + i, 1), RequestState.READY);
            if (i >= window) {
                int old = i - window;
                done(view, "delete-" + old, Operation.DELETE, spec("steady-" + old, 1), RequestState.DELETED);
            }
            assertThat(view.sizes().full())
                    .as("requests in full after %d creates", i)
                    .isLessThanOrEqualTo(window + 501);
        }

        assertThat(view.sizes().summaries()).isEqualTo(1_000);
        assertThat(view.sizes().gone()).isEqualTo(500);
        assertThat(view.topics(t -> t.state() == RequestState.READY, 0, 1_000).total())
                .isEqualTo(window);
    }

    @Test
    void shouldForgetTheTopicsOfADeletedInstancePastTheBound() {
        RequestView view = new RequestView(new RequestLog.Bounds(100, 1, Duration.ofDays(30)));
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
        instanceDone(view, "instance-create", Operation.CREATE, instance, RequestState.READY);
        for (String name : List.of("clicks", "views")) {
            done(view, "create-" + name, Operation.CREATE, spec("analytics", name), RequestState.READY);
        }

        instanceDone(view, "instance-delete", Operation.DELETE, instance, RequestState.DELETED);

        // both went with the instance; one gone resource is kept: the other is forgotten
        assertThat(view.sizes().gone()).isEqualTo(1);
        assertThat(view.topic("analytics", "clicks")).isEmpty();
        assertThat(view.topic("analytics", "views").orElseThrow().state()).isEqualTo(RequestState.DELETED);
        assertThat(view.instance("analytics").orElseThrow().state()).isEqualTo(RequestState.DELETED);
    }

    private void instanceDone(RequestView view, String id, Operation op, InstanceSpec spec, RequestState end) {
        Instant at = T0.plusSeconds(seconds++);
        RequestCommand command =
                new RequestCommand(id, op, ResourceRef.instance(spec.name()), null, null, null, "h", at, spec, null);
        view.applyCommand(command);
        view.applyEvent(StatusEvent.of(command, end, at.plusMillis(500)));
    }

    private RequestCommand done(RequestView view, String id, Operation op, TopicSpec spec, RequestState end) {
        Instant at = T0.plusSeconds(seconds++);
        RequestCommand command = new RequestCommand(id, op, spec.ref(), spec, null, null, "h", at);
        view.applyCommand(command);
        view.applyEvent(StatusEvent.of(command, end, at.plusMillis(500)));
        return command;
    }

    private static TopicSpec spec(String name, int partitions) {
        return new TopicSpec("local", name, partitions, (short) 1, Map.of(), "team", null, List.of());
    }

    private static TopicSpec spec(String cluster, String name) {
        return new TopicSpec(cluster, name, 1, (short) 1, Map.of(), "team", null, List.of());
    }
}
