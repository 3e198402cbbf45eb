package io.kafkaconcierge.contracts;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

class RequestStateTest {

    @Test
    void shouldRankTheStepsOfARequestInTheOrderOfItsLife() {
        assertThat(RequestState.AWAITING_APPROVAL.rank()).isLessThan(RequestState.ACCEPTED.rank());
        for (RequestState step :
                new RequestState[] {RequestState.PROVISIONING, RequestState.UPDATING, RequestState.DELETING}) {
            assertThat(step.rank()).isGreaterThan(RequestState.ACCEPTED.rank());
            assertThat(step.rank()).isLessThan(RequestState.DEGRADED.rank());
        }
    }

    @Test
    void shouldRankEveryEndAboveEveryStateThatIsNotOne() {
        int highestStep = Arrays.stream(RequestState.values())
                .filter(s -> !s.terminal())
                .mapToInt(RequestState::rank)
                .max()
                .orElseThrow();
        Arrays.stream(RequestState.values())
                .filter(RequestState::terminal)
                .forEach(end -> assertThat(end.rank()).as(end.name()).isGreaterThan(highestStep));
    }
}
