package io.kafkaconcierge.testing;

import java.util.Map;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

/** {@code @QuarkusTestResource(KafkaTestResource.class)}: points the app under test at the shared real broker. */
public class KafkaTestResource implements QuarkusTestResourceLifecycleManager {

    @Override
    public Map<String, String> start() {
        return Map.of("kafka.bootstrap.servers", EmbeddedKafka.shared().bootstrapServers());
    }

    @Override
    public void stop() {
        // shared for the whole JVM; stopped by its shutdown hook
    }
}
