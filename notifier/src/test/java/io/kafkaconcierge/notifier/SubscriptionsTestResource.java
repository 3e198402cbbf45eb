package io.kafkaconcierge.notifier;

import io.kafkaconcierge.testing.KafkaTestResource;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;

/** The real broker; no configured subscriptions; secrets encrypted at rest; short retries and timeouts. */
public class SubscriptionsTestResource extends KafkaTestResource {

    static final String KEY = Base64.getEncoder().encodeToString("subscriptions-test-key-32-bytes!".getBytes());

    @Override
    public Map<String, String> start() {
        Map<String, String> config = new HashMap<>(super.start());
        config.put("notifier.subscriptions.secret-key", KEY);
        config.put("notifier.webhook.retry-schedule", "100ms,200ms,400ms");
        config.put("notifier.webhook.timeout", "3s");
        return config;
    }
}
