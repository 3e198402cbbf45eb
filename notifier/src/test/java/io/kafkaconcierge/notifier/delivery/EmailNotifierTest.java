package io.kafkaconcierge.notifier.delivery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kafkaconcierge.notifier.config.NotifierConfig;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class EmailNotifierTest {

    private static NotifierConfig config(List<String> types) {
        NotifierConfig.Email email = new NotifierConfig.Email() {
            public Optional<List<String>> to() {
                return Optional.of(List.of("team@example.com"));
            }

            public List<String> types() {
                return types;
            }

            public List<Duration> retrySchedule() {
                return List.of();
            }

            public Duration attemptTimeout() {
                return Duration.ofSeconds(1);
            }

            public Optional<String> apiUrl() {
                return Optional.empty();
            }
        };
        return new NotifierConfig() {
            public Webhook webhook() {
                throw new UnsupportedOperationException();
            }

            public Email email() {
                return email;
            }

            public Subscriptions subscriptions() {
                throw new UnsupportedOperationException();
            }

            @Override
            public Redelivery redelivery() {
                throw new UnsupportedOperationException();
            }
        };
    }

    @Test
    void shouldRefuseAtStartAnEmailTypeThatHasNoTemplate() {
        assertThatThrownBy(() -> new EmailNotifier(
                        config(List.of("io.kafkaconcierge.topic.ready", "io.kafkaconcierge.topic.accepted")),
                        null,
                        null))
                .hasMessageContaining("io.kafkaconcierge.topic.accepted");
    }

    @Test
    void shouldHaveATemplateForEveryOutcomeAndForADisabledSubscription() {
        new EmailNotifier(config(List.of("io.kafkaconcierge.topic.failed")), null, null);
        assertThat(EmailNotifier.MAILED)
                .contains(
                        "io.kafkaconcierge.topic.ready",
                        "io.kafkaconcierge.topic.failed",
                        "io.kafkaconcierge.instance.ready",
                        "io.kafkaconcierge.instance.deleted",
                        "io.kafkaconcierge.subscription.disabled")
                .doesNotContain("io.kafkaconcierge.topic.accepted");
    }
}
