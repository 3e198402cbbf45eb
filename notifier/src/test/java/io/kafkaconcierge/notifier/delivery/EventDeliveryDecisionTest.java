package io.kafkaconcierge.notifier.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import io.kafkaconcierge.notifier.delivery.EventDelivery.Step;
import io.kafkaconcierge.notifier.delivery.EventDelivery.Then;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * What {@link EventDelivery} does after an attempt, from the channel's result alone. The outcomes are compared with
 * the strings of the contract (the delivery log, {@code GET .../deliveries}, the metrics' {@code outcome} tag), not
 * with the constants.
 */
class EventDeliveryDecisionTest {

    private static final List<Duration> SCHEDULE = List.of(Duration.ofSeconds(1), Duration.ofSeconds(30));
    private static final Duration MAX_RETRY_AFTER = Duration.ofHours(1);

    private static Step after(ChannelResult result, int attempt) {
        return EventDelivery.next(result, attempt, SCHEDULE, MAX_RETRY_AFTER);
    }

    private static ChannelResult.Retriable retriable(Optional<Duration> retryAfter) {
        return new ChannelResult.Retriable(429, "HTTP 429", retryAfter, 12);
    }

    @Test
    void shouldRetryAfterTheTimeTheEndpointAsksFor() {
        Step step = after(retriable(Optional.of(Duration.ofSeconds(120))), 1);

        assertThat(step.outcome()).isEqualTo("retrying");
        assertThat(step.then()).isEqualTo(Then.RETRY);
        assertThat(step.delay()).isEqualTo(Duration.ofSeconds(120));
    }

    @Test
    void shouldKeepToTheScheduleWhenTheEndpointAsksForLessOrNothing() {
        assertThat(after(retriable(Optional.of(Duration.ofSeconds(5))), 2).delay())
                .isEqualTo(Duration.ofSeconds(30));
        assertThat(after(retriable(Optional.empty()), 1).delay()).isEqualTo(Duration.ofSeconds(1));
        assertThat(after(retriable(Optional.empty()), 2).delay()).isEqualTo(Duration.ofSeconds(30));
    }

    @Test
    void shouldWaitNoLongerThanTheLongestRetryAfterAllowed() {
        Step step = after(retriable(Optional.of(Duration.ofHours(5))), 1);

        assertThat(step.then()).isEqualTo(Then.RETRY);
        assertThat(step.delay()).isEqualTo(MAX_RETRY_AFTER);
    }

    @Test
    void shouldDeadLetterARetriableFailureAfterTheLastAttempt() {
        Step step = after(retriable(Optional.of(Duration.ofSeconds(120))), SCHEDULE.size() + 1);

        assertThat(step.outcome()).isEqualTo("failed");
        assertThat(step.then()).isEqualTo(Then.DEAD_LETTER);
        assertThat(step.delay()).isNull();
    }

    @Test
    void shouldGoOnRetryingUntilTheScheduleIsOver() {
        for (int attempt = 1; attempt <= SCHEDULE.size(); attempt++) {
            assertThat(after(new ChannelResult.Retriable(0, "timeout", Optional.empty(), 15_000), attempt)
                            .then())
                    .as("attempt " + attempt)
                    .isEqualTo(Then.RETRY);
        }
    }

    @Test
    void shouldDeadLetterAnAnswerNoRetryCanFixAtOnce() {
        Step step = after(new ChannelResult.Rejected(400, "HTTP 400", 3), 1);

        assertThat(step.outcome()).isEqualTo("rejected");
        assertThat(step.then()).isEqualTo(Then.DEAD_LETTER);
        assertThat(step.delay()).isNull();
    }

    @Test
    void shouldDeadLetterAnAddressWebhooksMayNotGoToAtOnce() {
        Step step = after(new ChannelResult.Refused(0, "refused: webhook host resolves to 169.254.169.254", 1), 1);

        assertThat(step.outcome()).isEqualTo("refused");
        assertThat(step.then()).isEqualTo(Then.DEAD_LETTER);
    }

    @Test
    void shouldDisableTheSubscriptionWhenTheEndpointIsGone() {
        Step step = after(new ChannelResult.Gone(410, "HTTP 410", 3), 1);

        assertThat(step.outcome()).isEqualTo("gone");
        assertThat(step.then()).isEqualTo(Then.DISABLE);
        assertThat(step.delay()).isNull();
    }

    @Test
    void shouldBeDoneWhenDeliveredEvenAtTheLastAttempt() {
        for (int attempt = 1; attempt <= SCHEDULE.size() + 1; attempt++) {
            Step step = after(new ChannelResult.Delivered(204, 3), attempt);
            assertThat(step.outcome()).isEqualTo("delivered");
            assertThat(step.then()).isEqualTo(Then.DELIVERED);
            assertThat(step.delay()).isNull();
        }
    }

    @Test
    void shouldRecordATestThatWasNeitherDeliveredNorRefusedAsFailed() {
        assertThat(EventDelivery.testOutcome(new ChannelResult.Delivered(200, 1)))
                .isEqualTo("delivered");
        assertThat(EventDelivery.testOutcome(new ChannelResult.Refused(0, "refused", 1)))
                .isEqualTo("refused");
        assertThat(EventDelivery.testOutcome(new ChannelResult.Gone(410, "HTTP 410", 1)))
                .isEqualTo("failed");
        assertThat(EventDelivery.testOutcome(new ChannelResult.Rejected(404, "HTTP 404", 1)))
                .isEqualTo("failed");
        assertThat(EventDelivery.testOutcome(retriable(Optional.of(Duration.ofSeconds(9)))))
                .isEqualTo("failed");
    }
}
