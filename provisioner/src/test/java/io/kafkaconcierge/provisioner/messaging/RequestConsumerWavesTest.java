package io.kafkaconcierge.provisioner.messaging;

import static org.assertj.core.api.Assertions.assertThat;

import io.kafkaconcierge.contracts.Operation;
import io.kafkaconcierge.contracts.RequestCommand;
import io.kafkaconcierge.contracts.TopicSpec;
import io.kafkaconcierge.contracts.UserSpec;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RequestConsumerWavesTest {

    private static RequestCommand cmd(String id, String topic, Operation op) {
        TopicSpec spec = new TopicSpec("local", topic, 1, (short) 1, Map.of(), "team", null);
        return new RequestCommand(id, op, spec.ref(), spec, null, null, "h", Instant.EPOCH);
    }

    @Test
    void shouldPutAllDistinctTopicsIntoOneWave() {
        List<RequestCommand> commands = List.of(
                cmd("1", "a", Operation.CREATE), cmd("2", "b", Operation.CREATE), cmd("3", "c", Operation.DELETE));
        assertThat(RequestConsumer.waves(commands)).containsExactly(commands);
    }

    @Test
    void shouldKeepTheOrderOfCommandsOnTheSameTopicAcrossWaves() {
        RequestCommand createA = cmd("1", "a", Operation.CREATE);
        RequestCommand createB = cmd("2", "b", Operation.CREATE);
        RequestCommand updateA = cmd("3", "a", Operation.UPDATE);
        RequestCommand deleteA = cmd("4", "a", Operation.DELETE);
        RequestCommand deleteB = cmd("5", "b", Operation.DELETE);
        assertThat(RequestConsumer.waves(List.of(createA, createB, updateA, deleteA, deleteB)))
                .containsExactly(List.of(createA, createB), List.of(updateA, deleteB), List.of(deleteA));
    }

    @Test
    void shouldNeverPutATopicGivingAccessInTheWaveOfACommandOnThatUser() {
        UserSpec user = new UserSpec("local", "orders-writer", "team", List.of(), null, null);
        RequestCommand deleteUser = RequestCommand.user("1", Operation.DELETE, user, null, null, "h", Instant.EPOCH);
        TopicSpec spec = new TopicSpec(
                "local",
                "orders",
                1,
                (short) 1,
                Map.of(),
                "team",
                null,
                List.of(new TopicSpec.UserAccess(
                        "orders-writer", List.of(UserSpec.Access.PRODUCE), null, null, null, null, null)));
        RequestCommand topicWithAccess =
                new RequestCommand("2", Operation.CREATE, spec.ref(), spec, null, null, "h", Instant.EPOCH);
        RequestCommand other = cmd("3", "b", Operation.CREATE);
        assertThat(RequestConsumer.waves(List.of(deleteUser, topicWithAccess, other)))
                .containsExactly(List.of(deleteUser, other), List.of(topicWithAccess));
    }
}
