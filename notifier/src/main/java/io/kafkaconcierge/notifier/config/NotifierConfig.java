package io.kafkaconcierge.notifier.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/** Environment variables map as usual: {@code NOTIFIER_WEBHOOK_URL} is {@code notifier.webhook.url}. */
@ConfigMapping(prefix = "notifier")
public interface NotifierConfig {

    Webhook webhook();

    Email email();

    Subscriptions subscriptions();

    Redelivery redelivery();

    /** Redeliveries asked with {@code POST .../deliveries/{id}/redeliver}. */
    interface Redelivery {
        /**
         * How late a redelivery's next attempt must be before another replica (or this one after a restart) takes it
         * up from the delivery log: a running replica makes its attempts on time.
         */
        @WithDefault("30s")
        Duration resumeAfter();

        /** How often the delivery log is looked through for redeliveries to take up. */
        @WithDefault("5s")
        Duration checkEvery();
    }

    interface Subscriptions {
        /**
         * AES key, base64 of 16, 24 or 32 bytes, that encrypts the webhook secrets stored on
         * concierge.subscriptions (NOTIFIER_SUBSCRIPTIONS_SECRET_KEY). Without it they are stored in clear, with a
         * warning at start.
         */
        Optional<String> secretKey();

        /** How long the previous secret is still sent after a rotation, when the rotation does not say. */
        @WithDefault("24h")
        Duration rotationOverlap();

        /** The longest overlap a rotation may ask for. */
        @WithDefault("30d")
        Duration maxRotationOverlap();

        /** The most subscriptions there may be: each has consumers-per-subscription Kafka consumers per replica. */
        @WithDefault("200")
        int max();

        /**
         * Consumers (and threads) per subscription in each replica: the partitions of concierge.events are
         * delivered in parallel across them, each partition in order.
         */
        @WithDefault("3")
        int consumersPerSubscription();

        /** Delivery attempts each replica keeps in memory per subscription for GET .../deliveries. */
        @WithDefault("500")
        int deliveriesKept();

        /** Whether webhook URLs may be plain http (https only when false). */
        @WithDefault("true")
        boolean allowHttp();
    }

    interface Email {
        /**
         * Who gets an e-mail for the chosen event types (NOTIFIER_EMAIL_TO, comma-separated): the configured e-mail
         * subscription. None: no configured e-mail subscription (e-mail subscriptions can still be made).
         */
        Optional<List<String>> to();

        /**
         * The CloudEvent types that are worth an e-mail, from those that have a template (ready, failed, deleted,
         * subscription disabled); another type is refused at start.
         */
        @WithDefault(
                "io.kafkaconcierge.topic.ready,io.kafkaconcierge.topic.failed,io.kafkaconcierge.topic.deleted,"
                        + "io.kafkaconcierge.instance.ready,io.kafkaconcierge.instance.failed,io.kafkaconcierge.instance.deleted")
        List<String> types();

        /**
         * The API's public base URL (https://concierge.example.com), for the approve link of an approval e-mail; unset:
         * the e-mail gives the path only.
         */
        Optional<String> apiUrl();

        /** The waits before the second, third, ... attempt to hand a mail to the SMTP server. */
        @WithDefault("2s,4s,8s,16s")
        List<Duration> retrySchedule();

        /** The longest one attempt may take before it counts as failed (a hung SMTP connection). */
        @WithDefault("45s")
        Duration attemptTimeout();
    }

    interface Webhook {
        /** The configured webhook subscription's URL (NOTIFIER_WEBHOOK_URL): it gets every event. */
        Optional<String> url();

        /** Its signing secret, {@code whsec_} followed by base64 (Standard Webhooks). Required with a URL. */
        Optional<String> secret();

        /** Timeout of one delivery attempt. */
        @WithDefault("15s")
        Duration timeout();

        /**
         * The waits before the second, third, ... attempt, after a 5xx, 408, 429, a timeout or a connection error;
         * after the last one the event goes to the dead-letter topic.
         */
        @WithDefault("1s,5s,30s,2m,10m,30m,1h,2h")
        List<Duration> retrySchedule();

        /** The longest wait a {@code Retry-After} may ask for. */
        @WithDefault("1h")
        Duration maxRetryAfter();

        /**
         * Whether webhooks may go to loopback addresses (127.0.0.0/8, ::1): for a local run and tests, never in a
         * cluster, where it reaches the notifier's own pod.
         */
        @WithDefault("false")
        boolean allowLoopback();

        /**
         * Whether webhooks may go to private networks (10/8, 172.16/12, 192.168/16, fc00::/7): for receivers inside
         * the cluster or the company network. Link-local and cloud metadata addresses stay refused.
         */
        @WithDefault("false")
        boolean allowPrivateNetworks();
    }
}
