package io.kafkaconcierge.api.guard;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import io.kafkaconcierge.api.guard.LedgerState.Entry;
import io.kafkaconcierge.api.guard.LedgerState.State;
import io.kafkaconcierge.contracts.Operation;
import io.kafkaconcierge.contracts.RequestCommand;
import io.kafkaconcierge.contracts.Requester;
import io.kafkaconcierge.contracts.UserSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** What the ledger's fold forgets of requests that are over, and that no decision changes for it. */
class LedgerStateForgettingTest {

    private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");
    private static final Usage ONE_TOPIC = new Usage(1, 1, 0, 0, 0, false);
    private static final Quota FIVE_TOPICS = new Quota(5L, null, null, null, null);
    private static final List<String> TEAMS = List.of("a", "b", "c");

    private static LedgerRecord.Reserve reserve(String id, String team, Quota limits, boolean waits, Instant at) {
        LedgerRecord.Pending pending = null;
        if (waits) {
            UserSpec user = new UserSpec("prod-main", "reader-" + id, team, List.of(), null, null);
            RequestCommand command = RequestCommand.user(id, Operation.CREATE, user, "aesgcm:x", null, "h", at)
                    .by(new Requester("pat", "pat", null));
            pending = new LedgerRecord.Pending(
                    command, "prod", 1, "admins", at.plusSeconds(3600), "c", "s", List.of(), List.of());
        }
        return new LedgerRecord.Reserve(id, team, "topic-" + id, ONE_TOPIC, limits, pending, at);
    }

    private static LedgerRecord.Settle settle(String id, String team, Usage charge, Instant at) {
        return new LedgerRecord.Settle(id, team, "topic-" + id, charge, at);
    }

    private static LedgerRecord.Approve approve(String recordId, String id, Instant at) {
        return new LedgerRecord.Approve(
                recordId, id, new Requester("ben", "ben", null), null, null, at, true, List.of());
    }

    @Test
    void shouldKeepNoMoreClosedReservationsThanItsCap() {
        LedgerState state = new LedgerState(100, Duration.ofDays(365));
        for (int i = 0; i < 10_000; i++) {
            Instant at = T0.plusMillis(i);
            state.apply(reserve("r" + i, "a", Quota.NONE, false, at));
            state.apply(settle("r" + i, "a", ONE_TOPIC, at));
            state.apply(new LedgerRecord.Timeout("t" + i, "r" + i, "a", "ACCEPTED", "late", at));
            state.apply(approve("ap" + i, "r" + i, at));
        }

        assertThat(state.sizes()).isEqualTo(new LedgerState.Sizes(100, 0, 100, 100, 100));
        assertThat(state.entry("r9999")).isPresent();
        assertThat(state.entry("r9899")).isEmpty();
        assertThat(state.timeout("r9999")).isPresent();
        assertThat(state.timeout("r0")).isEmpty();
        assertThat(state.outcome("ap9999")).isPresent();
        assertThat(state.outcome("ap0")).isEmpty();
        // the sums are what every decision reads: 10,000 resources charged, none reserved
        assertThat(state.usage("a")).isEqualTo(new Usage(10_000, 10_000, 0, 0, 0, false));
    }

    @Test
    void shouldForgetAClosedReservationOnlyOnceTheRecordsTimeHasPassedItsWindow() {
        LedgerState state = new LedgerState(1_000, Duration.ofHours(1));
        state.apply(reserve("r1", "a", Quota.NONE, true, T0));
        state.apply(new LedgerRecord.Reject("no", "r1", new Requester("ben", "ben", null), "no", T0));
        state.apply(new LedgerRecord.Timeout("t1", "r2", "a", "ACCEPTED", "late", T0));

        state.apply(reserve("r3", "b", Quota.NONE, false, T0.plus(Duration.ofMinutes(59))));
        assertThat(state.entry("r1")).isPresent();
        assertThat(state.decidedAgainst()).hasSize(1);
        assertThat(state.timeout("r2")).isPresent();
        assertThat(state.outcome("no")).isPresent();

        state.apply(reserve("r4", "b", Quota.NONE, false, T0.plus(Duration.ofMinutes(61))));
        assertThat(state.entry("r1")).isEmpty();
        assertThat(state.decidedAgainst()).isEmpty();
        assertThat(state.timeout("r2")).isEmpty();
        assertThat(state.outcome("no")).isEmpty();
        // a record written with an older time does not bring the clock back
        state.apply(new LedgerRecord.Timeout("t5", "r5", "a", "ACCEPTED", "late", T0));
        assertThat(state.timeout("r5")).isPresent();
    }

    @Test
    void shouldNeverForgetAnOpenReservationHoweverOldOrManyTheClosedOnes() {
        LedgerState state = new LedgerState(10, Duration.ofMinutes(1));
        state.apply(reserve("waiting", "a", Quota.NONE, true, T0));
        state.apply(reserve("accepted", "a", Quota.NONE, false, T0));
        for (int i = 0; i < 10_000; i++) {
            Instant at = T0.plusSeconds(60L * i);
            state.apply(reserve("r" + i, "b", Quota.NONE, false, at));
            state.apply(new LedgerRecord.Release("r" + i, "gone", at));
        }

        assertThat(state.entry("waiting").map(e -> e.state)).contains(State.AWAITING_APPROVAL);
        assertThat(state.entry("accepted").map(e -> e.state)).contains(State.ACCEPTED);
        assertThat(state.open()).extracting(e -> e.reserve.requestId()).containsExactly("waiting", "accepted");
        assertThat(state.sizes().entries()).isLessThanOrEqualTo(12);
        assertThat(state.usage("a")).isEqualTo(new Usage(2, 2, 0, 0, 0, false));
        // still decidable, and it closes as it would have
        state.apply(approve("ok", "waiting", T0.plus(Duration.ofDays(30))));
        assertThat(state.outcome("ok").orElseThrow().accepted()).isTrue();
        assertThat(state.entry("waiting").map(e -> e.state)).contains(State.ACCEPTED);
    }

    @Test
    void shouldChangeNothingAndThrowNothingWhenALateRecordNamesAForgottenRequest() {
        LedgerState state = new LedgerState(1, Duration.ofDays(1));
        state.apply(reserve("old", "a", Quota.NONE, true, T0));
        state.apply(new LedgerRecord.Expire("old", T0.plusSeconds(1)));
        state.apply(reserve("new", "a", Quota.NONE, false, T0.plusSeconds(2)));
        state.apply(settle("new", "a", ONE_TOPIC, T0.plusSeconds(2)));
        state.apply(reserve("open", "a", Quota.NONE, false, T0.plusSeconds(3)));
        assertThat(state.entry("old")).isEmpty();
        Usage before = state.usage("a");
        List<Entry> openBefore = state.open();

        Instant late = T0.plusSeconds(4);
        List<LedgerRecord> records = List.of(
                new LedgerRecord.Released("old", late),
                new LedgerRecord.Release("old", "gone", late),
                new LedgerRecord.Expire("old", late),
                new LedgerRecord.Settle("old", "a", "topic-old", null, late));
        for (LedgerRecord record : records) {
            assertThatCode(() -> state.apply(record)).doesNotThrowAnyException();
        }
        state.apply(new LedgerRecord.Reject("rej", "old", new Requester("ben", "ben", null), null, late));
        assertThat(state.outcome("rej").orElseThrow().reason()).isEqualTo("the request is not waiting for approval");
        state.apply(approve("app", "old", late));
        assertThat(state.outcome("app").orElseThrow().accepted()).isFalse();

        assertThat(state.entry("old")).isEmpty();
        assertThat(state.usage("a")).isEqualTo(before);
        assertThat(state.open()).isEqualTo(openBefore);
        assertThat(state.decidedAgainst()).isEmpty();
        // a timeout of a forgotten request is a first decision again: its request ended long ago, or fails once more
        state.apply(new LedgerRecord.Timeout("t", "old", "a", "ACCEPTED", "late", late));
        assertThat(state.timeout("old").map(LedgerRecord.Timeout::id)).contains("t");
        assertThat(state.usage("a")).isEqualTo(before);
    }

    /**
     * The same random records folded by a state that forgets hard and by one that forgets nothing: every decision,
     * every team's sums and the open reservations are the same at every step.
     */
    @Test
    void shouldDecideEveryRecordAsAFoldThatForgetsNothingWould() {
        Random random = new Random(20260101);
        for (int run = 0; run < 20; run++) {
            LedgerState forgetting = new LedgerState(5, Duration.ofMinutes(10));
            LedgerState keeping = new LedgerState(Integer.MAX_VALUE, Duration.ofDays(100_000));
            List<String> ids = new ArrayList<>();
            Map<String, String> teamOf = new HashMap<>();
            Instant time = T0;
            for (int step = 0; step < 2_000; step++) {
                time = time.plusSeconds(random.nextInt(120));
                // now and then a record written by a replica whose clock is behind
                Instant at = random.nextInt(10) == 0 ? time.minusSeconds(random.nextInt(3600)) : time;
                String id = ids.isEmpty() ? null : ids.get(random.nextInt(ids.size()));
                int what = id == null ? 0 : random.nextInt(9);
                String team = id == null ? null : teamOf.get(id);
                LedgerRecord record;
                switch (what) {
                    case 0 -> {
                        id = "r" + ids.size();
                        team = TEAMS.get(random.nextInt(TEAMS.size()));
                        ids.add(id);
                        teamOf.put(id, team);
                        record = reserve(id, team, FIVE_TOPICS, random.nextInt(3) == 0, at);
                    }
                    case 1 -> record = approve("a" + step, id, at);
                    case 2 ->
                        record = new LedgerRecord.Reject("j" + step, id, new Requester("ben", "ben", null), null, at);
                    case 3 -> record = new LedgerRecord.Expire(id, at);
                    case 4 -> record = new LedgerRecord.Released(id, at);
                    case 5 -> record = new LedgerRecord.Release(id, "gone", at);
                    case 6 -> record = settle(id, team, random.nextInt(3) == 0 ? null : ONE_TOPIC, at);
                    case 7 -> record = new LedgerRecord.Settle(null, team, "topic-" + id, ONE_TOPIC, at);
                    default -> record = new LedgerRecord.Timeout("t" + step, id, team, "ACCEPTED", "late", at);
                }
                forgetting.apply(record);
                keeping.apply(record);

                String where = "run " + run + ", step " + step + ": " + record;
                for (String t : TEAMS) {
                    assertThat(forgetting.usage(t)).as(where).isEqualTo(keeping.usage(t));
                }
                assertThat(ids(forgetting.open())).as(where).isEqualTo(ids(keeping.open()));
                assertThat(ids(keeping.decidedAgainst())).as(where).containsAll(ids(forgetting.decidedAgainst()));
                if (record instanceof LedgerRecord.Reserve) {
                    assertThat(forgetting.entry(id).map(e -> e.state))
                            .as(where)
                            .isEqualTo(keeping.entry(id).map(e -> e.state));
                } else if (record instanceof LedgerRecord.Approve a) {
                    assertThat(forgetting.outcome(a.id()).orElseThrow().accepted())
                            .as(where)
                            .isEqualTo(keeping.outcome(a.id()).orElseThrow().accepted());
                } else if (record instanceof LedgerRecord.Reject j) {
                    assertThat(forgetting.outcome(j.id()).orElseThrow().accepted())
                            .as(where)
                            .isEqualTo(keeping.outcome(j.id()).orElseThrow().accepted());
                }
                LedgerState.Sizes sizes = forgetting.sizes();
                assertThat(sizes.closed()).as(where).isLessThanOrEqualTo(5);
                assertThat(sizes.timeouts()).as(where).isLessThanOrEqualTo(5);
                assertThat(sizes.outcomes()).as(where).isLessThanOrEqualTo(5);
                assertThat(sizes.entries()).as(where).isEqualTo(sizes.open() + sizes.closed());
            }
            assertThat(keeping.sizes().entries())
                    .as("run %d forgot something to compare with", run)
                    .isGreaterThan(forgetting.sizes().entries());
        }
    }

    private static Set<String> ids(List<Entry> entries) {
        return entries.stream().map(e -> e.reserve.requestId()).collect(Collectors.toSet());
    }
}
