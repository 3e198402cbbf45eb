package io.kafkaconcierge.notifier.delivery;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;

import io.kafkaconcierge.notifier.config.NotifierConfig;
import io.kafkaconcierge.notifier.subscription.SecretBox;
import io.kafkaconcierge.notifier.subscription.Subscription;
import io.kafkaconcierge.notifier.subscription.SubscriptionStore;

/**
 * One attempt to POST one event to a subscription's webhook, signed with every live secret of the subscription
 * (two during a rotation's overlap). The webhook id and body are the same on every attempt; the timestamp and
 * signatures are fresh. Blocking: it runs on the subscription's own dispatcher thread.
 */
@ApplicationScoped
public class WebhookSender {

    /** What the endpoint answered; status 0 when it did not (timeout, refused connection). */
    public record Answer(int status, Optional<String> retryAfter, String error, long latencyMs) {
        public boolean ok() {
            return status >= 200 && status < 300;
        }

        public boolean gone() {
            return status == 410;
        }

        public boolean retriable() {
            return status == 0 || status == 408 || status == 429 || status >= 500;
        }

        public String describe() {
            return error != null ? error : "HTTP " + status;
        }
    }

    private final NotifierConfig.Webhook config;
    private final SecretBox secrets;
    /** A few clients, a subscription always on the same one: one client's selector thread would serialise all. */
    private final HttpClient[] clients = new HttpClient[4];
    private final java.util.Map<String, WebhookSigner> opened = new java.util.concurrent.ConcurrentHashMap<>();

    public WebhookSender(NotifierConfig config, SubscriptionStore store) {
        this.config = config.webhook();
        this.secrets = store.secrets();
        for (int i = 0; i < clients.length; i++) {
            clients[i] = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                    .connectTimeout(Duration.ofSeconds(5)).build();
        }
    }

    public Answer send(Subscription subscription, WebhookMessage message) throws InterruptedException {
        long timestamp = Instant.now().getEpochSecond();
        List<WebhookSigner> signers = subscription.liveSecrets(Instant.now()).stream()
                .map(s -> signers(s.sealed())).toList();
        long start = System.nanoTime();
        try {
            HttpRequest request = HttpRequest.newBuilder(URI.create(subscription.url()))
                    .timeout(config.timeout())
                    .header("content-type", "application/json")
                    .header("user-agent", "kafka-concierge-notifier")
                    .header("webhook-id", message.id())
                    .header("webhook-timestamp", String.valueOf(timestamp))
                    .header("webhook-signature", WebhookSigner.signatures(signers, message.id(), timestamp,
                            message.body()))
                    .POST(HttpRequest.BodyPublishers.ofString(message.body()))
                    .build();
            HttpResponse<Void> response = clients[Math.floorMod(subscription.id().hashCode(), clients.length)]
                    .send(request, HttpResponse.BodyHandlers.discarding());
            return new Answer(response.statusCode(), response.headers().firstValue("retry-after"), null,
                    elapsed(start));
        } catch (IOException | IllegalArgumentException e) {
            return new Answer(0, Optional.empty(), e.toString(), elapsed(start));
        }
    }

    /** Opened once per sealed secret: decrypting for every attempt would cost more than the signing. */
    private WebhookSigner signers(String sealed) {
        if (opened.size() > 10_000) {
            opened.clear();
        }
        return opened.computeIfAbsent(sealed, k -> new WebhookSigner(secrets.open(k)));
    }

    private static long elapsed(long start) {
        return (System.nanoTime() - start) / 1_000_000;
    }
}
