package io.kafkaconcierge.notifier.config;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** Environment variables map as usual: {@code NOTIFIER_WEBHOOK_URL} is {@code notifier.webhook.url}. */
@ConfigMapping(prefix = "notifier")
public interface NotifierConfig {

    Webhook webhook();

    Email email();

    interface Email {
        /** Who gets an e-mail for the chosen event types (NOTIFIER_EMAIL_TO, comma-separated); none: no e-mail. */
        Optional<List<String>> to();

        /**
         * The CloudEvent types that are worth an e-mail, from those that have a template (ready, failed, deleted);
         * another type is refused at start.
         */
        @WithDefault("io.kafkaconcierge.topic.ready,io.kafkaconcierge.topic.failed,io.kafkaconcierge.topic.deleted,"
                + "io.kafkaconcierge.instance.ready,io.kafkaconcierge.instance.failed,io.kafkaconcierge.instance.deleted")
        List<String> types();

        /** Attempts to hand a mail to the SMTP server before it goes to the dead-letter topic. */
        @WithDefault("5")
        int maxAttempts();

        /** Wait after the first failed attempt; doubled after each next one. */
        @WithDefault("2s")
        Duration initialBackoff();

        /** The longest one attempt may take before it counts as failed (a hung SMTP connection). */
        @WithDefault("45s")
        Duration attemptTimeout();
    }

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
