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
        return new RequestCommand(
                id,
                Operation.CREATE,
                SPEC.ref(),
                SPEC,
                null,
                key,
                "h",
                T0,
                null,
                null,
                new Requester(subject, null, null));
    }

    @Test
    void shouldHoldAKeyAsPendingUntilItsCommandIsWrittenOrReleased() {
        IdempotencyStore keys = new IdempotencyStore();
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
        IdempotencyStore keys = new IdempotencyStore();
        keys.reserve("k", "h1", "r1", T0, DAY);

        assertThat(keys.reserve("k", "h2", "r2", T0.plusSeconds(5), DAY))
                .contains(new IdempotencyStore.Entry("r1", "h1", T0));
        assertThat(keys.pending("k", "r2")).isFalse();
    }

    @Test
    void shouldEndTheWaitWhenTheCommandIsReadBackUnderTheCallersScope() {
        IdempotencyStore keys = new IdempotencyStore();
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
        IdempotencyStore keys = new IdempotencyStore();
        keys.applyCommand(command("r1", "k", "alice"));

        assertThat(keys.entry(IdempotencyStore.scope("bob", "k"), T0, DAY)).isEmpty();
        assertThat(keys.reserve(IdempotencyStore.scope("bob", "k"), "h", "r2", T0, DAY))
                .isEmpty();
    }

    @Test
    void shouldForgetAKeyPastItsRetention() {
        IdempotencyStore keys = new IdempotencyStore();
        keys.reserve("k", "h", "r1", T0, DAY);
        keys.settled("k", "r1");

        assertThat(keys.entry("k", T0.plus(DAY), DAY)).isEmpty();
        assertThat(keys.reserve("k", "h", "r2", T0.plus(DAY), DAY)).isEmpty();
        assertThat(keys.pending("k", "r2")).isTrue();
    }

    @Test
    void shouldNotLetAReleaseOfAnOlderRequestDropANewerReservation() {
        IdempotencyStore keys = new IdempotencyStore();
        keys.reserve("k", "h", "r1", T0, DAY);
        keys.release("k", "r1");
        keys.reserve("k", "h", "r2", T0, DAY);

        keys.release("k", "r1");

        assertThat(keys.pending("k", "r2")).isTrue();
        assertThat(keys.entry("k", T0, DAY))
                .map(IdempotencyStore.Entry::requestId)
                .contains("r2");
    }
}
