package io.kafkaconcierge.api.guard;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import org.junit.jupiter.api.Test;

class GovernanceStateTest {

    @Test
    void shouldKeepOnlyTheLatestOutcomesButEveryChangeTheyDecided() {
        GovernanceState state = new GovernanceState();
        int changes = GovernanceState.OUTCOMES_KEPT * 2;
        for (int i = 0; i < changes; i++) {
            state.apply(new GovernanceRecord.QuotaSet(
                    "q" + i, "team-" + i, new Quota((long) i, null, null, null, null), null, Instant.EPOCH));
        }

        assertThat(state.outcome("q" + (changes - 1))).isPresent();
        assertThat(state.outcome("q" + (changes - GovernanceState.OUTCOMES_KEPT)))
                .isPresent();
        assertThat(state.outcome("q" + (changes - GovernanceState.OUTCOMES_KEPT - 1)))
                .isEmpty();
        assertThat(state.outcome("q0")).isEmpty();
        assertThat(state.quota("team-0")).contains(new Quota(0L, null, null, null, null));
    }
}
