package io.kafkaconcierge.api.guard;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;

import io.kafkaconcierge.contracts.ClusterInfo;
import io.kafkaconcierge.contracts.ConciergeTopics;
import io.kafkaconcierge.contracts.Json;
import io.kafkaconcierge.testing.EmbeddedKafka;
import io.kafkaconcierge.testing.KafkaTestClient;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.function.Predicate;

/** The registered clusters of the guard-rail tests: {@code prod-main} (prod) and {@code test-main} (test). */
final class EnvironmentClusters {

    private EnvironmentClusters() {}

    static void publish(KafkaTestClient kafka) {
        for (String[] c : new String[][] {{"prod-main", "prod"}, {"test-main", "test"}}) {
            kafka.send(
                    ConciergeTopics.CLUSTERS,
                    c[0],
                    new String(Json.write(new ClusterInfo(
                            c[0], EmbeddedKafka.shared().bootstrapServers(), 3, true, null, Instant.now(), c[1]))),
                    Map.of());
        }
    }

    /** Waits until the API is ready and knows both clusters ({@code known}: whether the API knows one). */
    static void awaitKnown(Predicate<String> known) {
        await().atMost(Duration.ofSeconds(30))
                .until(() -> given().get("/q/health/ready").statusCode() == 200);
        await().atMost(Duration.ofSeconds(30)).until(() -> known.test("prod-main") && known.test("test-main"));
    }
}
