package io.kafkaconcierge.notifier.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.kafkaconcierge.contracts.Json;
import io.kafkaconcierge.notifier.config.NotifierConfig;
import io.kafkaconcierge.notifier.subscription.SecretBox;
import io.kafkaconcierge.notifier.subscription.Subscription;
import io.kafkaconcierge.testing.WebhookReceiver;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.net.ServerSocket;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The webhook channel against a real HTTP server on 127.0.0.1, through the real sender (signing, address checks): what
 * each kind of answer comes to. No Quarkus.
 */
class WebhookChannelTest {

    private static final SecretBox BOX = new SecretBox(Optional.empty());
    private static final String SECRET = SecretBox.newSecret();
    private static final NotifierConfig.Webhook CONFIG = new NotifierConfig.Webhook() {
        public Optional<String> url() {
            return Optional.empty();
        }

        public Optional<String> secret() {
            return Optional.empty();
        }

        public Duration timeout() {
            return Duration.ofSeconds(5);
        }

        public List<Duration> retrySchedule() {
            return List.of(Duration.ofSeconds(1));
        }

        public Duration maxRetryAfter() {
            return Duration.ofHours(1);
        }

        public boolean allowLoopback() {
            return true;
        }

        public boolean allowPrivateNetworks() {
            return false;
        }
    };

    private static WebhookReceiver receiver;
    private SimpleMeterRegistry registry;
    private WebhookChannel channel;

    @BeforeAll
    static void startTheEndpoint() {
        receiver = new WebhookReceiver();
    }

    @AfterAll
    static void stopTheEndpoint() {
        receiver.close();
    }

    @BeforeEach
    void newChannel() {
        receiver.retryAfter(null);
        registry = new SimpleMeterRegistry();
        channel = new WebhookChannel(new WebhookSender(CONFIG, BOX), registry);
    }

    private static Subscription subscription(String url) {
        Instant now = Instant.now();
        return new Subscription(
                "sub-test",
                "payments",
                null,
                Subscription.Filter.ANY,
                Subscription.Channel.WEBHOOK,
                url,
                null,
                List.of(new Subscription.Secret(BOX.seal(SECRET), now, null)),
                Subscription.ACTIVE,
                null,
                null,
                null,
                now,
                now,
                false);
    }

    private ChannelResult deliverAnsweredWith(int status) throws InterruptedException {
        receiver.respond(d -> status);
        return channel.deliver(subscription(receiver.url()), event());
    }

    private static DeliveryChannel.Event event() {
        JsonNode data = Json.MAPPER.createObjectNode().put("topic", "orders");
        return new DeliveryChannel.Event(
                "req-1.ready", "io.kafkaconcierge.topic.ready", data, "{\"id\":\"req-1.ready\",\"data\":{}}");
    }

    private double timed(String outcome) {
        var timer = registry.find("concierge_webhook_attempt_duration_seconds")
                .tag("outcome", outcome)
                .timer();
        return timer == null ? 0 : timer.count();
    }

    @Test
    void shouldBeDeliveredWhenTheEndpointAnswers2xxWithABodyThatVerifies() throws InterruptedException {
        int before = receiver.deliveries().size();

        ChannelResult result = deliverAnsweredWith(204);

        assertThat(result).isInstanceOf(ChannelResult.Delivered.class);
        assertThat(result.status()).isEqualTo(204);
        assertThat(result.error()).isNull();
        WebhookReceiver.Delivery received = receiver.deliveries().get(before);
        assertThat(received.id()).isEqualTo("req-1.ready");
        assertThat(received.body()).isEqualTo(event().structured());
        assertThat(received.verifies(SECRET)).isTrue();
        assertThat(timed("delivered")).isEqualTo(1);
    }

    @Test
    void shouldBeGoneWhenTheEndpointAnswers410() throws InterruptedException {
        ChannelResult result = deliverAnsweredWith(410);

        assertThat(result).isEqualTo(new ChannelResult.Gone(410, "HTTP 410", result.latencyMs()));
        assertThat(timed("rejected"))
                .as("a 410 is timed as rejected, as it always was")
                .isEqualTo(1);
    }

    @Test
    void shouldRetryAfterTheTimeTheEndpointAsksFor() throws InterruptedException {
        receiver.retryAfter("120");

        ChannelResult result = deliverAnsweredWith(429);

        assertThat(result)
                .isEqualTo(new ChannelResult.Retriable(
                        429, "HTTP 429", Optional.of(Duration.ofSeconds(120)), result.latencyMs()));
        assertThat(timed("retry")).isEqualTo(1);
    }

    @Test
    void shouldRetryWhenTheEndpointFailsOrTimesOut() throws InterruptedException {
        for (int status : new int[] {500, 503, 408}) {
            ChannelResult result = deliverAnsweredWith(status);
            assertThat(result)
                    .as("HTTP " + status)
                    .isEqualTo(new ChannelResult.Retriable(
                            status, "HTTP " + status, Optional.empty(), result.latencyMs()));
        }
    }

    @Test
    void shouldRetryWhenNothingAnswers() throws Exception {
        int closed;
        try (ServerSocket s = new ServerSocket(0)) {
            closed = s.getLocalPort();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }

        ChannelResult result = channel.deliver(subscription("http://127.0.0.1:" + closed + "/hooks"), event());

        assertThat(result).isInstanceOf(ChannelResult.Retriable.class);
        assertThat(result.status()).isZero();
        assertThat(result.error()).contains("ConnectException");
        assertThat(((ChannelResult.Retriable) result).retryAfter()).isEmpty();
    }

    @Test
    void shouldRetryWhenTheEndpointTakesTheConnectionButNeverAnswersWithinTheAttemptTimeout() throws Exception {
        // the client's steps run on the caller's and the selector's threads: its timer must still end the attempt
        NotifierConfig.Webhook oneSecond = new NotifierConfig.Webhook() {
            public Optional<String> url() {
                return CONFIG.url();
            }

            public Optional<String> secret() {
                return CONFIG.secret();
            }

            public Duration timeout() {
                return Duration.ofSeconds(1);
            }

            public List<Duration> retrySchedule() {
                return CONFIG.retrySchedule();
            }

            public Duration maxRetryAfter() {
                return CONFIG.maxRetryAfter();
            }

            public boolean allowLoopback() {
                return true;
            }

            public boolean allowPrivateNetworks() {
                return false;
            }
        };
        WebhookChannel impatient = new WebhookChannel(new WebhookSender(oneSecond, BOX), registry);
        try (ServerSocket silent = new ServerSocket(0)) {
            // connections complete in the kernel's backlog; nothing ever reads or answers
            ChannelResult result =
                    impatient.deliver(subscription("http://127.0.0.1:" + silent.getLocalPort() + "/hooks"), event());

            assertThat(result).isInstanceOf(ChannelResult.Retriable.class);
            assertThat(result.status()).isZero();
            assertThat(result.error()).contains("HttpTimeoutException");
            assertThat(result.latencyMs()).isBetween(900L, 10_000L);
        }
    }

    @Test
    void shouldRejectAnAnswerNoRetryCanFix() throws InterruptedException {
        for (int status : new int[] {400, 404, 302}) {
            ChannelResult result = deliverAnsweredWith(status);
            assertThat(result)
                    .as("HTTP " + status)
                    .isEqualTo(new ChannelResult.Rejected(status, "HTTP " + status, result.latencyMs()));
        }
        assertThat(timed("rejected")).isEqualTo(3);
    }

    @Test
    void shouldRefuseACloudMetadataAddressWithoutConnecting() throws InterruptedException {
        ChannelResult result = channel.deliver(subscription("http://169.254.169.254/latest/meta-data"), event());

        assertThat(result).isInstanceOf(ChannelResult.Refused.class);
        assertThat(result.status()).isZero();
        assertThat(result.error()).startsWith("refused").contains("169.254.169.254");
        assertThat(timed("refused")).isEqualTo(1);
    }

    @Test
    void shouldSendATestEventSignedLikeAnyOther() throws Exception {
        receiver.respond(d -> 200);
        int before = receiver.deliveries().size();

        ChannelResult result =
                channel.test(subscription(receiver.url()), "ping-1", "io.kafkaconcierge.subscription.ping");

        assertThat(result).isInstanceOf(ChannelResult.Delivered.class);
        WebhookReceiver.Delivery received = receiver.deliveries().get(before);
        assertThat(received.id()).isEqualTo("ping-1");
        assertThat(received.verifies(SECRET)).isTrue();
        JsonNode body = Json.MAPPER.readTree(received.body());
        assertThat(body.path("type").asText()).isEqualTo("io.kafkaconcierge.subscription.ping");
        assertThat(body.path("data").path("subscriptionId").asText()).isEqualTo("sub-test");
        assertThat(body.path("data").path("message").asText()).isEqualTo("a test of this subscription");
    }
}
