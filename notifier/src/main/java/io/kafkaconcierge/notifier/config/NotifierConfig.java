package io.kafkaconcierge.notifier.config;

import java.time.Duration;
import java.util.Optional;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** Environment variables map as usual: {@code NOTIFIER_WEBHOOK_URL} is {@code notifier.webhook.url}. */
@ConfigMapping(prefix = "notifier")
public interface NotifierConfig {

    Webhook webhook();

    interface Webhook {
        /** Where every status event is POSTed; no webhook deliveries without it. */
        Optional<String> url();

        /** The signing secret, {@code whsec_} followed by base64 (Standard Webhooks). Required with a URL. */
        Optional<String> secret();

        /** Timeout of one delivery attempt. */
        @WithDefault("15s")
        Duration timeout();

        /** Attempts before an event goes to the dead-letter topic. */
        @WithDefault("10")
        int maxAttempts();

        /** Wait after the first failed attempt; doubled after each next one. */
        @WithDefault("1s")
        Duration initialBackoff();

        /** The longest wait between attempts (also caps a Retry-After). */
        @WithDefault("5m")
        Duration maxBackoff();
    }
}
