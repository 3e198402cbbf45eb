package io.kafkaconcierge.notifier.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.TextNode;
import io.kafkaconcierge.notifier.config.NotifierConfig;
import io.kafkaconcierge.notifier.subscription.Subscription;
import io.quarkus.mailer.Mail;
import io.quarkus.mailer.reactive.ReactiveMailer;
import io.smallrye.mutiny.Uni;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/** The e-mail channel against a stand-in for the SMTP server (the mailer): what each way a send ends comes to. */
class EmailChannelTest {

    private static final List<String> TO = List.of("payments-team@example.com", "oncall@example.com");

    private final List<Mail> sent = new CopyOnWriteArrayList<>();

    private static NotifierConfig config() {
        NotifierConfig.Email email = new NotifierConfig.Email() {
            public Optional<List<String>> to() {
                return Optional.of(TO);
            }

            public List<String> types() {
                return List.of("io.kafkaconcierge.topic.ready");
            }

            public List<Duration> retrySchedule() {
                return List.of(Duration.ofMillis(100));
            }

            public Duration attemptTimeout() {
                return Duration.ofMillis(200);
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

    private EmailChannel channel(Uni<Void> answer) {
        ReactiveMailer mailer = mails -> {
            sent.addAll(List.of(mails));
            return answer;
        };
        return new EmailChannel(new EmailNotifier(config(), mailer, null));
    }

    private static Subscription subscription() {
        Instant now = Instant.now();
        return new Subscription(
                "sub-mail",
                "payments",
                null,
                Subscription.Filter.ANY,
                Subscription.Channel.EMAIL,
                null,
                TO,
                null,
                Subscription.ACTIVE,
                null,
                null,
                null,
                now,
                now,
                false);
    }

    @Test
    void shouldBeDeliveredWhenTheSmtpServerTakesTheMail() throws InterruptedException {
        ChannelResult result = channel(Uni.createFrom().voidItem()).test(subscription(), "ping-1", "ping");

        assertThat(result).isInstanceOf(ChannelResult.Delivered.class);
        assertThat(result.status()).isZero();
        assertThat(result.error()).isNull();
        assertThat(sent).singleElement().satisfies(m -> {
            assertThat(m.getTo()).containsExactlyElementsOf(TO);
            assertThat(m.getSubject()).contains("sub-mail");
        });
    }

    @Test
    void shouldRetryWhenTheSmtpServerFails() throws InterruptedException {
        ChannelResult result = channel(Uni.createFrom().failure(new IOException("421 try again later")))
                .test(subscription(), "ping-1", "ping");

        assertThat(result)
                .isEqualTo(new ChannelResult.Retriable(0, result.error(), Optional.empty(), result.latencyMs()));
        assertThat(result.error()).contains("421 try again later");
    }

    @Test
    void shouldRetryWhenTheSmtpServerDoesNotAnswerWithinTheAttemptTimeout() throws InterruptedException {
        ChannelResult result = channel(Uni.createFrom().nothing()).test(subscription(), "ping-1", "ping");

        assertThat(result).isInstanceOf(ChannelResult.Retriable.class);
        assertThat(result.error()).contains("TimeoutException");
        assertThat(result.latencyMs()).isGreaterThanOrEqualTo(150);
    }

    @Test
    void shouldRejectAnEventWhoseMailCannotBeComposedWithoutSendingAnything() throws InterruptedException {
        ChannelResult result = channel(Uni.createFrom().voidItem())
                .deliver(
                        subscription(),
                        new DeliveryChannel.Event(
                                "req-1.ready",
                                "io.kafkaconcierge.topic.ready",
                                TextNode.valueOf("not a status event"),
                                "{}"));

        assertThat(result).isInstanceOf(ChannelResult.Rejected.class);
        assertThat(result.status()).isZero();
        assertThat(result.latencyMs()).isZero();
        assertThat(result.error()).startsWith("cannot compose the e-mail: ");
        assertThat(sent).isEmpty();
    }

    @Test
    void shouldCarryOnlyTheEventTypesThatHaveAnEmail() {
        EmailChannel channel = channel(Uni.createFrom().voidItem());

        assertThat(channel.carries("io.kafkaconcierge.topic.ready")).isTrue();
        assertThat(channel.carries("io.kafkaconcierge.subscription.disabled")).isTrue();
        assertThat(channel.carries("io.kafkaconcierge.topic.accepted")).isFalse();
    }
}
