package io.kafkaconcierge.notifier.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import org.junit.jupiter.api.Test;

class RetryAfterTest {

    @Test
    void shouldReadRetryAfterInSeconds() {
        assertThat(WebhookChannel.parseRetryAfter("120")).isEqualTo(Duration.ofMinutes(2));
        assertThat(WebhookChannel.parseRetryAfter(" 7 ")).isEqualTo(Duration.ofSeconds(7));
    }

    @Test
    void shouldReadRetryAfterAsAnHttpDate() {
        String in90s = DateTimeFormatter.RFC_1123_DATE_TIME.format(
                ZonedDateTime.now(ZoneOffset.UTC).plusSeconds(90));
        assertThat(WebhookChannel.parseRetryAfter(in90s)).isBetween(Duration.ofSeconds(85), Duration.ofSeconds(91));
        String past = DateTimeFormatter.RFC_1123_DATE_TIME.format(
                ZonedDateTime.now(ZoneOffset.UTC).minusHours(1));
        assertThat(WebhookChannel.parseRetryAfter(past)).isZero();
    }

    @Test
    void shouldIgnoreARetryAfterItCannotRead() {
        assertThat(WebhookChannel.parseRetryAfter("soon")).isZero();
        assertThat(WebhookChannel.parseRetryAfter("-5")).isZero();
    }
}
