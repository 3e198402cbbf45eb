package io.kafkaconcierge.api.rest;

import io.kafkaconcierge.contracts.ClusterInfo;
import io.kafkaconcierge.contracts.ConciergeTopics;
import io.kafkaconcierge.contracts.Json;
import io.kafkaconcierge.testing.EmbeddedKafka;
import io.kafkaconcierge.testing.KafkaTestClient;
import io.kafkaconcierge.testing.KafkaTestResource;
import java.time.Instant;
import java.util.Map;

/** The real broker, with the cluster "local" (1 broker) published as the provisioner would. */
public class ApiKafkaResource extends KafkaTestResource {

    /** The key users' passwords are sealed with in these tests (base64 of 32 bytes). */
    public static final String SECRETS_KEY = "AQIDBAUGBwgJCgsMDQ4PEBESExQVFhcYGRobHB0eHyA=";

    @Override
    public Map<String, String> start() {
        Map<String, String> config = new java.util.HashMap<>(super.start());
        config.put("concierge.secrets.key", SECRETS_KEY);
        new KafkaTestClient(EmbeddedKafka.shared().bootstrapServers())
                .send(
                        ConciergeTopics.CLUSTERS,
                        "local",
                        new String(Json.write(new ClusterInfo(
                                "local", EmbeddedKafka.shared().bootstrapServers(), 1, true, null, Instant.now()))),
                        Map.of());
        return config;
    }
}
