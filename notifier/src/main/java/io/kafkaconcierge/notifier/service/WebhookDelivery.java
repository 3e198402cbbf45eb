package io.kafkaconcierge.notifier.service;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;

import jakarta.enterprise.context.ApplicationScoped;

import io.kafkaconcierge.notifier.config.NotifierConfig;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.quarkus.logging.Log;
import io.smallrye.mutiny.Uni;

/**
 * Delivers one event to the configured webhook, signed, retrying 5xx, 408, 429, timeouts and connection errors with
 * exponential backoff (a {@code Retry-After} on 429 and 503 is honoured). Other 4xx answers are final. The webhook id
 * and body are the same on every attempt; the timestamp and signature are fresh.
 */
@ApplicationScoped
public class WebhookDelivery {

    private final NotifierConfig.Webhook config;
    private final Optional<WebhookSigner> signer;
    private final HttpClient client;
    private final MeterRegistry registry;
    private final AtomicInteger pendingRetries = new AtomicInteger();

    public WebhookDelivery(NotifierConfig config, MeterRegistry registry) {
        this.config = config.webhook();
        this.config.url().ifPresent(WebhookDelivery::checkUrl);
        this.signer = this.config.url().map(url -> new WebhookSigner(this.config.secret().orElseThrow(
                () -> new IllegalStateException("NOTIFIER_WEBHOOK_SECRET is required with NOTIFIER_WEBHOOK_URL"))));
        this.client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        this.registry = registry;
        registry.gauge("concierge_webhook_pending_retries", pendingRetries);
    }

    /** Fails at start, with a clear message, rather than at the first delivery. */
    private static void checkUrl(String url) {
        URI uri;
        try {
            uri = URI.create(url);
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException("NOTIFIER_WEBHOOK_URL is not a URL: " + url, e);
        }
        if (!"http".equals(uri.getScheme()) && !"https".equals(uri.getScheme()) || uri.getHost() == null) {
            throw new IllegalStateException("NOTIFIER_WEBHOOK_URL must be an http(s) URL with a host: " + url);
        }
    }

    public boolean enabled() {
        return signer.isPresent();
    }

    public Uni<DeliveryResult> deliver(WebhookMessage message) {
        return attempt(message, 1, config.initialBackoff());
    }

    private Uni<DeliveryResult> attempt(WebhookMessage message, int attempt, Duration backoff) {
        long timestamp = Instant.now().getEpochSecond();
        HttpRequest request = HttpRequest.newBuilder(URI.create(config.url().orElseThrow()))
                .timeout(config.timeout())
                .header("content-type", "application/json")
                .header("user-agent", "kafka-concierge-notifier")
                .header("webhook-id", message.id())
                .header("webhook-timestamp", String.valueOf(timestamp))
                .header("webhook-signature", signer.orElseThrow().sign(message.id(), timestamp, message.body()))
                .POST(HttpRequest.BodyPublishers.ofString(message.body()))
                .build();
        Timer.Sample sample = Timer.start(registry);
        return Uni.createFrom().completionStage(() -> client.sendAsync(request, HttpResponse.BodyHandlers.discarding()))
                .map(response -> new Answer(response.statusCode(), response.headers().firstValue("retry-after"), null))
                .onFailure().recoverWithItem(failure -> new Answer(0, Optional.empty(), failure.toString()))
                .chain(answer -> {
                    String outcome = answer.ok() ? "delivered" : answer.retriable() ? "retry" : "rejected";
                    sample.stop(Timer.builder("concierge_webhook_attempt_duration_seconds").tag("outcome", outcome)
                            .publishPercentileHistogram().register(registry));
                    registry.counter("concierge_webhook_attempts_total", "outcome", outcome).increment();
                    if (answer.ok()) {
                        return Uni.createFrom().item(new DeliveryResult(true, attempt, answer.status(), null));
                    }
                    String error = answer.error() != null ? answer.error() : "HTTP " + answer.status();
                    if (!answer.retriable() || attempt >= config.maxAttempts()) {
                        return Uni.createFrom().item(new DeliveryResult(false, attempt, answer.status(), error));
                    }
                    Duration wait = answer.retryAfter().map(this::parseRetryAfter)
                            .filter(d -> d.compareTo(backoff) > 0).orElse(backoff);
                    wait = wait.compareTo(config.maxBackoff()) > 0 ? config.maxBackoff() : wait;
                    Log.infof("webhook %s attempt %d failed (%s); next in %s", message.id(), attempt, error, wait);
                    Duration next = backoff.multipliedBy(2);
                    pendingRetries.incrementAndGet();
                    return Uni.createFrom().voidItem().onItem().delayIt().by(wait)
                            .invoke(pendingRetries::decrementAndGet)
                            .chain(() -> attempt(message, attempt + 1, next));
                });
    }

    private Duration parseRetryAfter(String value) {
        try {
            return Duration.ofSeconds(Long.parseLong(value.trim()));
        } catch (NumberFormatException e) {
            return Duration.ZERO; // an HTTP date: fall back to our own backoff
        }
    }

    private record Answer(int status, Optional<String> retryAfter, String error) {
        boolean ok() {
            return status >= 200 && status < 300;
        }

        boolean retriable() {
            return status == 0 || status == 408 || status == 429 || status >= 500;
        }
    }
}
