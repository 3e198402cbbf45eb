package io.kafkaconcierge.contracts;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class EventFilterTest {

    private static JsonNode instanceEvent() {
        InstanceSpec spec = new InstanceSpec(
                "analytics",
                "data-platform",
                1,
                "4.1.1",
                Map.of(),
                new InstanceSpec.Storage("ephemeral", null),
                List.of(),
                null,
                false,
                null);
        RequestCommand c = new RequestCommand(
                "r1", Operation.CREATE, spec.ref(), null, null, null, "h", Instant.now(), spec, null);
        return Json.MAPPER.valueToTree(StatusEvent.of(c, RequestState.READY, Instant.now()));
    }

    private static JsonNode topicEventOn(String cluster) {
        TopicSpec spec = new TopicSpec(cluster, "clicks", 1, (short) 1, Map.of(), "web", null);
        RequestCommand c = new RequestCommand("r2", Operation.CREATE, spec.ref(), spec, null, null, "h", Instant.now());
        return Json.MAPPER.valueToTree(StatusEvent.of(c, RequestState.READY, Instant.now()));
    }

    private static EventFilter filter(List<String> kinds, List<String> clusters, List<String> owners) {
        return EventFilter.of(null, kinds, clusters, owners, null);
    }

    @Test
    void shouldMatchInstanceEventsByKindOwnerAndTheInstanceAsACluster() {
        String type = "io.kafkaconcierge.instance.ready";
        assertThat(filter(List.of("instance"), null, null).matches(type, instanceEvent()))
                .isTrue();
        assertThat(filter(List.of("topic"), null, null).matches(type, instanceEvent()))
                .isFalse();
        assertThat(filter(null, null, List.of("data-platform")).matches(type, instanceEvent()))
                .isTrue();
        assertThat(filter(null, null, List.of("web")).matches(type, instanceEvent()))
                .isFalse();
        assertThat(filter(null, List.of("analytics"), null).matches(type, instanceEvent()))
                .isTrue();
        assertThat(filter(null, List.of("local"), null).matches(type, instanceEvent()))
                .isFalse();
    }

    @Test
    void shouldMatchTopicEventsOnAnInstanceByTheInstancesName() {
        String type = "io.kafkaconcierge.topic.ready";
        assertThat(filter(null, List.of("analytics"), null).matches(type, topicEventOn("analytics")))
                .isTrue();
        assertThat(filter(null, List.of("analytics"), null).matches(type, topicEventOn("local")))
                .isFalse();
        assertThat(filter(null, null, List.of("web")).matches(type, topicEventOn("local")))
                .isTrue();
    }
}
