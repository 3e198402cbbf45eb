package io.kafkaconcierge.notifier;

import io.kafkaconcierge.testing.KafkaTestResource;
import io.kafkaconcierge.testing.WebhookReceiver;
import java.util.HashMap;
import java.util.Map;

/** The real broker and a real webhook receiver, with short retry waits. */
public class WebhookTestResource extends KafkaTestResource {

    static final String SECRET = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
    static final WebhookReceiver RECEIVER = new WebhookReceiver();

    @Override
    public Map<String, String> start() {
        Map<String, String> config = new HashMap<>(super.start());
        config.put("notifier.webhook.url", RECEIVER.url());
        config.put("notifier.webhook.secret", SECRET);
        config.put("notifier.webhook.retry-schedule", "100ms,200ms,400ms"); // 4 attempts
        return config;
    }
}
