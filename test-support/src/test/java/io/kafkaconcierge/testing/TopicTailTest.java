package io.kafkaconcierge.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.kafkaconcierge.contracts.kafka.TopicTail;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.junit.jupiter.api.Test;

class TopicTailTest {

    @Test
    void shouldKeepTryingWhileKafkaCannotBeReachedAndSaySo() throws Exception {
        TopicTail tail = new TopicTail(
                "test-unreachable",
                Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, "127.0.0.1:1"),
                List.of("anything"),
                TopicTail.StartAt.BEGINNING,
                r -> {});
        tail.start();
        try {
            await().atMost(Duration.ofSeconds(20))
                    .untilAsserted(() -> assertThat(tail.problem()).contains("cannot reach Kafka"));
            // past a metadata timeout (5 s) and still there, not ready
            await().pollDelay(Duration.ofSeconds(7))
                    .atMost(Duration.ofSeconds(10))
                    .until(() -> true);
            assertThat(tail.alive()).isTrue();
            assertThat(tail.caughtUp()).isFalse();
        } finally {
            tail.stop();
        }
        await().atMost(Duration.ofSeconds(10)).until(() -> !tail.alive());
    }

    @Test
    void shouldWaitForATopicCreatedLaterAndThenReadIt() throws Exception {
        String topic = "later." + UUID.randomUUID();
        List<String> read = new CopyOnWriteArrayList<>();
        String bootstrap = EmbeddedKafka.shared().bootstrapServers();
        TopicTail tail = new TopicTail(
                "test-later",
                Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap),
                List.of(topic),
                TopicTail.StartAt.BEGINNING,
                r -> read.add(r.key()));
        tail.start();
        try {
            await().atMost(Duration.ofSeconds(20))
                    .untilAsserted(() -> assertThat(tail.problem()).contains("waiting for topics"));
            await().pollDelay(Duration.ofSeconds(2))
                    .atMost(Duration.ofSeconds(5))
                    .until(() -> true);
            assertThat(tail.alive()).isTrue();
            try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
                admin.createTopics(List.of(new NewTopic(topic, 1, (short) 1)))
                        .all()
                        .get();
            }
            new KafkaTestClient(bootstrap).send(topic, "k1", "v", Map.of());
            await().atMost(Duration.ofSeconds(20))
                    .untilAsserted(() -> assertThat(read).contains("k1"));
            // a record is handed on before the reader marks itself caught up with the end it saw
            await().atMost(Duration.ofSeconds(10)).until(tail::caughtUp);
        } finally {
            tail.stop();
        }
    }

    @Test
    void shouldStartAgainAfterItsConsumerFailedAndGoOnFromTheNextRecord() throws Exception {
        String topic = "restart." + UUID.randomUUID();
        String bootstrap = EmbeddedKafka.shared().bootstrapServers();
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
            admin.createTopics(List.of(new NewTopic(topic, 1, (short) 1))).all().get();
        }
        KafkaTestClient kafka = new KafkaTestClient(bootstrap);
        kafka.send(topic, "k1", "v", Map.of());
        kafka.send(topic, "boom", "v", Map.of());
        List<String> read = new CopyOnWriteArrayList<>();
        TopicTail tail = new TopicTail(
                "test-restart",
                Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap),
                List.of(topic),
                TopicTail.StartAt.BEGINNING,
                r -> {
                    read.add(r.key());
                    if (r.key().equals("boom")
                            && read.stream().filter("boom"::equals).count() == 1) {
                        // the consumer's next poll fails (InterruptException), as a broken consumer would
                        Thread.currentThread().interrupt();
                    }
                });
        tail.start();
        try {
            await().atMost(Duration.ofSeconds(30)).until(() -> tail.restarts() == 1);
            kafka.send(topic, "k3", "v", Map.of());
            await().atMost(Duration.ofSeconds(30))
                    .untilAsserted(() -> assertThat(read).contains("k3"));
            assertThat(read).containsExactly("k1", "boom", "k3");
            assertThat(tail.alive()).isTrue();
            assertThat(TopicTail.started()).contains(tail);
        } finally {
            tail.stop();
        }
        assertThat(TopicTail.started()).doesNotContain(tail);
    }
}
