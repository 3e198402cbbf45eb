package io.kafkaconcierge.api.guard;

import static org.assertj.core.api.Assertions.assertThat;

import io.kafkaconcierge.contracts.Json;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class LedgerStateTimeoutTest {

    private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

    @Test
    void shouldCountOnlyTheFirstTimeoutDecisionOfARequestWhateverReplicaWroteIt() {
        LedgerState state = new LedgerState(1_000, Duration.ofHours(1));
        LedgerRecord.Timeout first = new LedgerRecord.Timeout("replica-a", "r1", "team", "ACCEPTED", "a", T0);
        LedgerRecord.Timeout second =
                new LedgerRecord.Timeout("replica-b", "r1", "team", "PROVISIONING", "b", T0.plusSeconds(1));
        // as every replica reads them: through the JSON of the ledger
        state.apply(Json.read(Json.write(first), LedgerRecord.class));
        state.apply(Json.read(Json.write(second), LedgerRecord.class));

        assertThat(state.timeout("r1")).hasValue(first);
        assertThat(state.timeout("r2")).isEmpty();
    }
}
