package io.kafkaconcierge.notifier.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

import org.junit.jupiter.api.Test;

import io.kafkaconcierge.notifier.config.NotifierConfig;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

class EmailNotifierTest {

    private static NotifierConfig config(List<String> types) {
        NotifierConfig.Email email = new NotifierConfig.Email() {
            public Optional<List<String>> to() {
                return Optional.of(List.of("team@example.com"));
            }

            public List<String> types() {
                return types;
            }

            public int maxAttempts() {
                return 1;
            }

            public Duration initialBackoff() {
                return Duration.ofMillis(1);
            }

            public Duration attemptTimeout() {
                return Duration.ofSeconds(1);
            }
        };
        return new NotifierConfig() {
            public Webhook webhook() {
                throw new UnsupportedOperationException();
            }

            public Email email() {
                return email;
            }
        };
    }

    @Test
    void shouldRefuseAtStartAnEmailTypeThatHasNoTemplate() {
        assertThatThrownBy(() -> new EmailNotifier(config(List.of("io.kafkaconcierge.topic.ready",
                "io.kafkaconcierge.topic.accepted")), null, null, new SimpleMeterRegistry()))
                .hasMessageContaining("io.kafkaconcierge.topic.accepted");
    }

    @Test
    void shouldWantOnlyTheConfiguredTypes() {
        EmailNotifier notifier = new EmailNotifier(config(List.of("io.kafkaconcierge.topic.failed")), null, null,
                new SimpleMeterRegistry());
        assertThat(notifier.wants("io.kafkaconcierge.topic.failed")).isTrue();
        assertThat(notifier.wants("io.kafkaconcierge.topic.ready")).isFalse();
    }
}
