package io.kafkaconcierge.e2e;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;

import io.kafkaconcierge.contracts.ConciergeTopics;
import io.kafkaconcierge.contracts.Json;
import io.kafkaconcierge.contracts.StatusEvent;
import io.kafkaconcierge.testing.KafkaTestClient;
import io.restassured.http.ContentType;
import java.io.File;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;

/**
 * Prints how long a dedicated instance on the local backend takes, next to its baseline in the same run: a bare
 * KRaft broker started by hand with the same configuration and JVM options (until it answers describeCluster, and
 * until a record round-trips, which is what the concierge's READY also checks). Not a test: it asserts nothing.
 * Run with {@code bin/benchmark -Dit.test=InstanceBenchmark}.
 */
class InstanceBenchmark {

    private static final int RUNS = Integer.getInteger("bench.instance.runs", 3);
    private static final String JVM = "-Xms64m -Xmx384m -XX:+UseSerialGC -XX:TieredStopAtLevel=1";
    private static final Map<String, String> CONFIG = Map.of("num.partitions", "3", "log.retention.hours", "72");

    @Test
    void benchmark() throws Exception {
        Path apps = Path.of(System.getProperty("concierge.apps.dir", ".."));
        Path launcher;
        try (Stream<Path> jars = Files.list(apps.resolve("local-kafka/target"))) {
            launcher = jars.filter(p -> p.getFileName().toString().matches("local-kafka-.*\\.jar"))
                    .findFirst()
                    .orElseThrow();
        }
        String classpath = launcher.toAbsolutePath() + ":"
                + Files.readString(apps.resolve("local-kafka/target/broker.classpath"))
                        .trim();
        Path root = Path.of("target", "bench-instances-" + UUID.randomUUID()).toAbsolutePath();
        try (Suite suite = new Suite(Map.of(
                "concierge.provisioner.instances.local.root",
                root.toString(),
                "concierge.provisioner.instances.local.broker-classpath",
                classpath,
                "concierge.provisioner.instances.local.broker-jvm-options",
                JVM))) {
            suite.start(Suite.PROVISIONER);
            suite.start(Suite.API);
            String api = suite.url(Suite.API);
            KafkaTestClient kafka = new KafkaTestClient(suite.kafka().bootstrapServers());

            instance(api, kafka, 1, "warmup"); // not measured: JIT of the services, page cache of the jars
            List<long[]> bare = new ArrayList<>();
            List<Long> one = new ArrayList<>();
            for (int i = 0; i < RUNS; i++) {
                bare.add(bareBroker(classpath, root.resolve("bare-" + i)));
                one.add(instance(api, kafka, 1, "one-" + i));
            }
            long three = instance(api, kafka, 3, "three");

            long bareAnswers = median(bare.stream().map(b -> b[0]).toList());
            long bareRoundTrip = median(bare.stream().map(b -> b[1]).toList());
            long oneMedian = median(one);
            System.out.printf(
                    "%n=== Kafka Concierge benchmark: instances on the local backend (%d cores, median of %d) "
                            + "===%n",
                    Runtime.getRuntime().availableProcessors(), RUNS);
            System.out.printf(
                    "(e) bare broker, same config and JVM options: answers describeCluster after %,d ms, "
                            + "a record round-trips after %,d ms%n",
                    bareAnswers, bareRoundTrip);
            System.out.printf(
                    "(f) 1-broker instance, POST /api/v1/instances to the ready event: %,d ms "
                            + "(%+,d ms against the bare broker's round trip; target <= +1,000 ms) runs: %s%n",
                    oneMedian, oneMedian - bareRoundTrip, one);
            System.out.printf(
                    "(g) 3-broker instance (3 controllers + 3 brokers), POST to the ready event: %,d ms%n", three);
            System.out.println("===");
        }
    }

    /** POST, then the ready event's time minus the POST's start; deletes the instance afterwards. */
    private static long instance(String api, KafkaTestClient kafka, int brokers, String suffix) throws Exception {
        String name = "bench-" + suffix + "-" + UUID.randomUUID().toString().substring(0, 4);
        Instant start = Instant.now();
        String id = given().baseUri(api)
                .contentType(ContentType.JSON)
                .body("""
                {"name": "%s", "owner": "bench", "brokers": %d,
                 "config": {"num.partitions": 3, "log.retention.hours": 72}}""".formatted(name, brokers))
                .post("/api/v1/instances")
                .then()
                .statusCode(202)
                .extract()
                .path("requestId");
        // the figure is the event's own time, so how often this looks does not change it
        StatusEvent ready = await().atMost(Duration.ofMinutes(3))
                .pollInterval(Duration.ofMillis(20))
                .until(
                        () -> kafka.records(ConciergeTopics.EVENTS, "instance:" + name).stream()
                                .map(r -> Json.read(r.value().getBytes(), StatusEvent.class))
                                .filter(e ->
                                        e.requestId().equals(id) && e.state().terminal())
                                .findFirst()
                                .orElse(null),
                        java.util.Objects::nonNull);
        if (ready.state() != io.kafkaconcierge.contracts.RequestState.READY) {
            throw new IllegalStateException(name + " did not become ready: " + ready);
        }
        long ms = Duration.between(start, ready.time()).toMillis();
        given().baseUri(api).delete("/api/v1/instances/" + name).then().statusCode(202);
        await().atMost(Duration.ofMinutes(3))
                .until(() -> "DELETED"
                        .equals(given().baseUri(api)
                                .get("/api/v1/instances/" + name)
                                .path("state")));
        return ms;
    }

    /** A broker started by hand as the local backend starts one: ms until it answers, and until a round trip. */
    private static long[] bareBroker(String classpath, Path dir) throws Exception {
        Files.createDirectories(dir);
        int port;
        int controller;
        try (ServerSocket a = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
                ServerSocket b = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = a.getLocalPort();
            controller = b.getLocalPort();
        }
        StringBuilder props = new StringBuilder("""
                process.roles=broker,controller
                node.id=1
                controller.quorum.voters=1@127.0.0.1:%d
                controller.listener.names=CONTROLLER
                listeners=PLAIN://127.0.0.1:%d,CONTROLLER://127.0.0.1:%d
                advertised.listeners=PLAIN://127.0.0.1:%d
                inter.broker.listener.name=PLAIN
                listener.security.protocol.map=PLAIN:PLAINTEXT,CONTROLLER:PLAINTEXT
                log.dirs=%s
                offsets.topic.replication.factor=1
                transaction.state.log.replication.factor=1
                transaction.state.log.min.isr=1
                share.coordinator.state.topic.replication.factor=1
                share.coordinator.state.topic.min.isr=1
                group.initial.rebalance.delay.ms=0
                auto.create.topics.enable=false
                """.formatted(controller, port, controller, port, dir.resolve("data")));
        CONFIG.forEach((k, v) -> props.append(k).append('=').append(v).append('\n'));
        Files.writeString(dir.resolve("server.properties"), props);
        List<String> command = new ArrayList<>(
                List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
        Collections.addAll(command, JVM.split(" "));
        command.addAll(List.of(
                "-cp",
                classpath,
                "io.kafkaconcierge.localkafka.BrokerMain",
                dir.resolve("server.properties").toString(),
                Uuid.randomUuid().toString()));
        String bootstrap = "127.0.0.1:" + port;
        long start = System.nanoTime();
        Process broker = new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(
                        new File(dir.resolve("broker.log").toString())))
                .start();
        try (Admin admin = Admin.create(Map.of(
                AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG,
                bootstrap,
                AdminClientConfig.RECONNECT_BACKOFF_MAX_MS_CONFIG,
                100,
                AdminClientConfig.RETRY_BACKOFF_MAX_MS_CONFIG,
                100,
                AdminClientConfig.RETRY_BACKOFF_MS_CONFIG,
                50,
                AdminClientConfig.RECONNECT_BACKOFF_MS_CONFIG,
                20))) {
            long answers = await().atMost(Duration.ofMinutes(2))
                    .pollInterval(Duration.ofMillis(20))
                    .ignoreExceptions()
                    .until(
                            () -> admin.describeCluster()
                                            .nodes()
                                            .get(2, TimeUnit.SECONDS)
                                            .isEmpty()
                                    ? null
                                    : System.nanoTime(),
                            java.util.Objects::nonNull);
            admin.createTopics(List.of(new NewTopic("probe", 1, (short) 1)))
                    .all()
                    .get();
            try (KafkaProducer<byte[], byte[]> p = new KafkaProducer<>(
                            Map.of(
                                    ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
                                    bootstrap,
                                    ProducerConfig.ACKS_CONFIG,
                                    "all"),
                            new ByteArraySerializer(),
                            new ByteArraySerializer());
                    KafkaConsumer<byte[], byte[]> c = new KafkaConsumer<>(
                            Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap),
                            new ByteArrayDeserializer(),
                            new ByteArrayDeserializer())) {
                long offset = p.send(new ProducerRecord<>("probe", new byte[] {1}))
                        .get()
                        .offset();
                TopicPartition tp = new TopicPartition("probe", 0);
                c.assign(List.of(tp));
                c.seek(tp, offset);
                while (c.poll(Duration.ofMillis(100)).isEmpty()) {
                    // until the record is back
                }
            }
            long roundTrip = System.nanoTime();
            return new long[] {(answers - start) / 1_000_000, (roundTrip - start) / 1_000_000};
        } finally {
            broker.destroy();
            broker.waitFor(30, TimeUnit.SECONDS);
        }
    }

    private static long median(List<Long> values) {
        List<Long> sorted = new ArrayList<>(values);
        Collections.sort(sorted);
        return sorted.get(sorted.size() / 2);
    }
}
