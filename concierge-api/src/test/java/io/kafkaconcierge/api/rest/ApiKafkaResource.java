package io.kafkaconcierge.api.rest;

import java.time.Instant;
import java.util.Map;

import io.kafkaconcierge.contracts.ClusterInfo;
import io.kafkaconcierge.contracts.ConciergeTopics;
import io.kafkaconcierge.contracts.Json;
import io.kafkaconcierge.testing.EmbeddedKafka;
import io.kafkaconcierge.testing.KafkaTestClient;
import io.kafkaconcierge.testing.KafkaTestResource;

/** The real broker, with the cluster "local" (1 broker) published as the provisioner would. */
public class ApiKafkaResource extends KafkaTestResource {

    @Override
    public Map<String, String> start() {
        Map<String, String> config = super.start();
        new KafkaTestClient(EmbeddedKafka.shared().bootstrapServers()).send(ConciergeTopics.CLUSTERS, "local",
                new String(Json.write(new ClusterInfo("local", EmbeddedKafka.shared().bootstrapServers(), 1, true, null,
                        Instant.now()))), Map.of());
        return config;
    }
}
