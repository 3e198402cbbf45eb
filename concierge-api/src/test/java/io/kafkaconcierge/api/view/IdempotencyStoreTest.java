package io.kafkaconcierge.api.view;

import static org.assertj.core.api.Assertions.assertThat;

import io.kafkaconcierge.contracts.Operation;
import io.kafkaconcierge.contracts.RequestCommand;
import io.kafkaconcierge.contracts.Requester;
import io.kafkaconcierge.contracts.TopicSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

class IdempotencyStoreTest {

    private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");
    private static final Duration DAY = Duration.ofDays(1);
    private static final TopicSpec SPEC = new TopicSpec("local", "orders", 3, (short) 1, Map.of(), "team", null);

    private static RequestCommand command(String id, String key, String subject) {
        return command(id, key, subject, T0);
    }

    private static RequestCommand command(String id, String key, String subject, Instant acceptedAt) {
        return new RequestCommand(
                id,
                Operation.CREATE,
                SPEC.ref(),
                SPEC,
                null,
                key,
                "h",
                acceptedAt,
                null,
                null,
                new Requester(subject, null, null));
    }

    @Test
    void shouldHoldAKeyAsPendingUntilItsCommandIsWrittenOrReleased() {
        IdempotencyStore keys = new IdempotencyStore(DAY, 1_000);
        assertThat(keys.reserve("k", "h", "r1", T0, DAY)).isEmpty();
        assertThat(keys.pending("k", "r1")).isTrue();
        keys.settled("k", "r1");
        assertThat(keys.pending("k", "r1")).isFalse();

        assertThat(keys.reserve("k2", "h", "r2", T0, DAY)).isEmpty();
        keys.release("k2", "r2");
        assertThat(keys.pending("k2", "r2")).isFalse();
        assertThat(keys.entry("k2", T0, DAY)).isEmpty();
    }

    @Test
    void shouldAnswerARetryWithTheFirstUseOfItsKey() {
        IdempotencyStore keys = new IdempotencyStore(DAY, 1_000);
        keys.reserve("k", "h1", "r1", T0, DAY);

        assertThat(keys.reserve("k", "h2", "r2", T0.plusSeconds(5), DAY))
                .contains(new IdempotencyStore.Entry("r1", "h1", T0));
        assertThat(keys.pending("k", "r2")).isFalse();
    }

    @Test
    void shouldEndTheWaitWhenTheCommandIsReadBackUnderTheCallersScope() {
        IdempotencyStore keys = new IdempotencyStore(DAY, 1_000);
        String scoped = IdempotencyStore.scope("alice", "k");
        keys.reserve(scoped, "h", "r1", T0, DAY);

        keys.applyCommand(command("r1", "k", "alice"));

        assertThat(keys.pending(scoped, "r1")).isFalse();
        assertThat(keys.entry(scoped, T0, DAY))
                .map(IdempotencyStore.Entry::requestId)
                .contains("r1");
    }

    @Test
    void shouldKeepOneCallersKeysApartFromAnothers() {
        IdempotencyStore keys = new IdempotencyStore(DAY, 1_000);
        keys.applyCommand(command("r1", "k", "alice"));

        assertThat(keys.entry(IdempotencyStore.scope("bob", "k"), T0, DAY)).isEmpty();
        assertThat(keys.reserve(IdempotencyStore.scope("bob", "k"), "h", "r2", T0, DAY))
                .isEmpty();
    }

    @Test
    void shouldForgetAKeyPastItsRetention() {
        IdempotencyStore keys = new IdempotencyStore(DAY, 1_000);
        keys.reserve("k", "h", "r1", T0, DAY);
        keys.settled("k", "r1");

        assertThat(keys.entry("k", T0.plus(DAY), DAY)).isEmpty();
        assertThat(keys.reserve("k", "h", "r2", T0.plus(DAY), DAY)).isEmpty();
        assertThat(keys.pending("k", "r2")).isTrue();
    }

    @Test
    void shouldNotLetAReleaseOfAnOlderRequestDropANewerReservation() {
        IdempotencyStore keys = new IdempotencyStore(DAY, 1_000);
        keys.reserve("k", "h", "r1", T0, DAY);
        keys.release("k", "r1");
        keys.reserve("k", "h", "r2", T0, DAY);

        keys.release("k", "r1");

        assertThat(keys.pending("k", "r2")).isTrue();
        assertThat(keys.entry("k", T0, DAY))
                .map(IdempotencyStore.Entry::requestId)
                .contains("r2");
    }

    @Test
    void shouldForgetKeysPastTheirRetentionAsLaterCommandsAreRead() {
        IdempotencyStore keys = new IdempotencyStore(DAY, 1_000_000);
        for (int i = 0; i < 1_000; i++) {
            keys.applyCommand(command("r" + i, "k" + i, "alice", T0.plusSeconds(i)));
        }
        assertThat(keys.size()).isEqualTo(1_000);

        keys.applyCommand(command("late", "k-late", "alice", T0.plus(DAY).plusSeconds(500)));

        // the first 501 keys (first used at or before 500 s) are a day old: forgotten
        assertThat(keys.size()).isEqualTo(500);
        assertThat(keys.entry(
                        IdempotencyStore.scope("alice", "k501"), T0.plus(DAY).plusSeconds(500), DAY))
                .map(IdempotencyStore.Entry::requestId)
                .contains("r501");
    }

    @Test
    void shouldKeepNoMoreKeysThanItsCapForgettingTheOldestFirst() {
        IdempotencyStore keys = new IdempotencyStore(DAY, 100);
        for (int i = 0; i < 10_000; i++) {
            Instant now = T0.plusMillis(i);
            assertThat(keys.reserve("k" + i, "h", "r" + i, now, DAY)).isEmpty();
            keys.settled("k" + i, "r" + i);
        }

        assertThat(keys.size()).isEqualTo(100);
        Instant end = T0.plusSeconds(10);
        assertThat(keys.entry("k9999", end, DAY)).isPresent();
        assertThat(keys.entry("k9900", end, DAY)).isPresent();
        assertThat(keys.entry("k9899", end, DAY)).isEmpty();
    }

    @Test
    void shouldNeverForgetAKeyWhoseRequestIsStillBeingWritten() {
        IdempotencyStore keys = new IdempotencyStore(DAY, 10);
        keys.reserve("writing", "h", "r0", T0, DAY);
        for (int i = 1; i <= 1_000; i++) {
            keys.reserve("k" + i, "h", "r" + i, T0.plus(DAY).plusSeconds(i), DAY);
            keys.settled("k" + i, "r" + i);
        }

        // the key being written counts against the cap, but is skipped when the eldest are forgotten
        assertThat(keys.size()).isEqualTo(10);
        assertThat(keys.pending("writing", "r0")).isTrue();
        assertThat(keys.entry("writing", T0, DAY))
                .map(IdempotencyStore.Entry::requestId)
                .contains("r0");

        keys.settled("writing", "r0");
        keys.reserve("next", "h", "r-next", T0.plus(DAY).plusSeconds(2_000), DAY);
        assertThat(keys.size()).isEqualTo(10);
        assertThat(keys.entry("writing", T0, DAY)).isEmpty();
    }

    @Test
    void shouldTakeAKeyUsedAgainAfterItsRetentionAsItsFirstUseWhenTheCommandIsRead() {
        IdempotencyStore keys = new IdempotencyStore(DAY, 1_000);
        keys.applyCommand(command("r1", "k", "alice", T0));
        // another replica took the same key again, a day later: every replica reads its command
        Instant later = T0.plus(DAY).plusSeconds(1);
        keys.applyCommand(command("r2", "k", "alice", later));

        assertThat(keys.entry(IdempotencyStore.scope("alice", "k"), later, DAY))
                .map(IdempotencyStore.Entry::requestId)
                .contains("r2");
    }
}
