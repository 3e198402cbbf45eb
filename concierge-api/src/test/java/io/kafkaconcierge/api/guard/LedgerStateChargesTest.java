package io.kafkaconcierge.api.guard;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

class LedgerStateChargesTest {

    private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

    @Test
    void shouldSumATeamsChargesAsEachResourceIsChargedChangedAndRemoved() {
        LedgerState state = new LedgerState(1_000, Duration.ofHours(1));
        Usage small = new Usage(1, 3, 300, 0, 0, false);
        Usage unbounded = new Usage(1, 6, 0, 0, 0, true);
        settle(state, "orders", small, T0);
        settle(state, "payments", unbounded, T0);

        assertThat(state.charged("team")).isEqualTo(new Usage(2, 9, 300, 0, 0, true));

        settle(state, "payments", null, T0.plusSeconds(1)); // deleted
        settle(state, "orders", new Usage(1, 5, 500, 0, 0, false), T0.plusSeconds(2)); // more partitions

        assertThat(state.charged("team")).isEqualTo(new Usage(1, 5, 500, 0, 0, false));
        assertThat(state.charged("another")).isEqualTo(Usage.ZERO);
    }

    @Test
    void shouldIgnoreALateSettleOfAnOlderRequestInTheSum() {
        LedgerState state = new LedgerState(1_000, Duration.ofHours(1));
        settle(state, "orders", new Usage(1, 5, 0, 0, 0, false), T0.plusSeconds(10));
        settle(state, "orders", null, T0); // an older request's settle, arriving late

        assertThat(state.charged("team")).isEqualTo(new Usage(1, 5, 0, 0, 0, false));
    }

    @Test
    void shouldAgreeWithAddingUpEveryChargeAfterAnyMixOfSettles() {
        Random random = new Random(42);
        for (int run = 0; run < 200; run++) {
            LedgerState state = new LedgerState(1_000, Duration.ofHours(1));
            Map<String, Usage> expected = new HashMap<>();
            for (int i = 0; i < 50; i++) {
                String resource = "topic-" + random.nextInt(8);
                Usage charge = random.nextInt(4) == 0
                        ? null
                        : new Usage(1, 1 + random.nextInt(10), random.nextInt(1000), 0, 0, random.nextInt(5) == 0);
                settle(state, resource, charge, T0.plusSeconds(i));
                if (charge == null) {
                    expected.remove(resource);
                } else {
                    expected.put(resource, charge);
                }
            }
            Usage sum = expected.values().stream().reduce(Usage.ZERO, Usage::plus);
            assertThat(state.charged("team")).as("run %d", run).isEqualTo(sum);
        }
    }

    @Test
    void shouldListExactlyTheOpenReservationsInTheOrderTheyWereMadeAsTheyOpenAndClose() {
        Random random = new Random(7);
        LedgerState state = new LedgerState(1_000, Duration.ofHours(1));
        java.util.List<String> expected = new java.util.ArrayList<>();
        for (int i = 0; i < 300; i++) {
            String id = "r" + random.nextInt(60);
            int what = random.nextInt(3);
            if (what == 0) {
                state.apply(new LedgerRecord.Reserve(
                        id,
                        "team",
                        "topic-" + id,
                        new Usage(1, 1, 0, 0, 0, false),
                        Quota.NONE,
                        null,
                        T0.plusSeconds(i)));
                if (!expected.contains(id) && state.entry(id).orElseThrow().state == LedgerState.State.ACCEPTED) {
                    expected.add(id);
                }
            } else if (what == 1) {
                state.apply(new LedgerRecord.Release(id, "gone", T0.plusSeconds(i)));
                expected.remove(id);
            } else {
                state.apply(new LedgerRecord.Settle(
                        id, "team", "topic-" + id, new Usage(1, 1, 0, 0, 0, false), T0.plusSeconds(i)));
                expected.remove(id);
            }
            assertThat(state.open().stream().map(e -> e.reserve.requestId()).toList())
                    .as("step %d", i)
                    .isEqualTo(expected);
        }
        assertThat(state.decidedAgainst()).isEmpty();
    }

    private static void settle(LedgerState state, String resource, Usage charge, Instant asOf) {
        state.apply(new LedgerRecord.Settle(null, "team", resource, charge, asOf));
    }
}
