package io.kafkaconcierge.api.guard;

import static org.assertj.core.api.Assertions.assertThat;

import io.kafkaconcierge.api.guard.LedgerState.State;
import io.kafkaconcierge.contracts.Operation;
import io.kafkaconcierge.contracts.RequestCommand;
import io.kafkaconcierge.contracts.Requester;
import io.kafkaconcierge.contracts.UserSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The fold's rules for a request that needs both the policy's approvers and other teams' consents. */
class LedgerStateConsentTest {

    private static final Instant T = Instant.parse("2026-01-01T00:00:00Z");
    private static final Quota NO_LIMITS = new Quota(null, null, null, null, null);

    private static LedgerRecord.Reserve reserve(String id, int required, List<String> consents) {
        UserSpec user = new UserSpec("prod-main", "payments-reader", "payments", List.of(), null, null);
        RequestCommand command = RequestCommand.user(id, Operation.CREATE, user, "aesgcm:x", null, "h", T)
                .by(new Requester("pat", "pat", null));
        return new LedgerRecord.Reserve(
                id,
                "payments",
                user.ref().key(),
                Usage.ZERO,
                NO_LIMITS,
                new LedgerRecord.Pending(
                        command, "prod", required, "admins", T.plusSeconds(3600), "c", "s", List.of(), consents),
                T);
    }

    private static LedgerRecord.Approve approve(String id, String who, Boolean asApprover, List<String> consents) {
        return new LedgerRecord.Approve(
                who + id, id, new Requester(who, who, null), null, null, T, asApprover, consents);
    }

    @Test
    void waitsUntilBothTheApproversAndEveryConsentingTeamHaveApproved() {
        LedgerState state = new LedgerState(1_000, Duration.ofHours(1));
        state.apply(reserve("r1", 1, List.of("analytics", "search")));
        state.apply(approve("r1", "ben", true, List.of()));
        assertThat(state.entry("r1").orElseThrow().state).isEqualTo(State.AWAITING_APPROVAL);
        state.apply(approve("r1", "ana", false, List.of("analytics")));
        assertThat(state.entry("r1").orElseThrow().state).isEqualTo(State.AWAITING_APPROVAL);
        // a second member of a team that consented already gives nothing new: refused
        state.apply(approve("r1", "abe", false, List.of("analytics")));
        assertThat(state.outcome("aber1").orElseThrow().accepted()).isFalse();
        state.apply(approve("r1", "sue", false, List.of("search")));
        assertThat(state.entry("r1").orElseThrow().state).isEqualTo(State.ACCEPTED);
    }

    @Test
    void aConsentDoesNotCountAsOneOfThePolicysApprovers() {
        LedgerState state = new LedgerState(1_000, Duration.ofHours(1));
        state.apply(reserve("r2", 1, List.of("analytics")));
        state.apply(approve("r2", "ana", false, List.of("analytics")));
        assertThat(state.entry("r2").orElseThrow().state).isEqualTo(State.AWAITING_APPROVAL);
        state.apply(approve("r2", "ben", true, List.of()));
        assertThat(state.entry("r2").orElseThrow().state).isEqualTo(State.ACCEPTED);
    }

    @Test
    void aRequestWithOnlyConsentsWaitsAndAnApprovalWrittenBeforeConsentsExistedCountsAsAnApprover() {
        LedgerState state = new LedgerState(1_000, Duration.ofHours(1));
        state.apply(reserve("r3", 0, List.of("analytics")));
        assertThat(state.entry("r3").orElseThrow().state).isEqualTo(State.AWAITING_APPROVAL);
        state.apply(reserve("r4", 1, null));
        state.apply(approve("r4", "ben", null, null));
        assertThat(state.entry("r4").orElseThrow().state).isEqualTo(State.ACCEPTED);
    }
}
