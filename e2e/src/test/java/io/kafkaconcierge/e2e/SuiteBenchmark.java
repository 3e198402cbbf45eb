package io.kafkaconcierge.e2e;

import io.kafkaconcierge.contracts.CloudEvents;
import io.kafkaconcierge.contracts.ConciergeTopics;
import io.kafkaconcierge.testing.KafkaTestClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.UUID;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.Test;

/**
 * Prints the suite's figures next to their baseline, on one broker in one run:
 * <ol>
 * <li>N topic requests through the whole suite (first POST to the last READY event) against the same N topics
 * created with one AdminClient {@code createTopics} call;</li>
 * <li>the intake rate and latency of {@code POST /api/v1/topics} under concurrent load.</li>
 * </ol>
 * Run with {@code bin/benchmark} (or {@code ./mvnw -pl e2e verify -Pbench} after a package). Not a test: it asserts
 * nothing about speed.
 */
class SuiteBenchmark {

    private static final int TOPICS = Integer.getInteger("bench.topics", 1000);
    private static final int INTAKE = Integer.getInteger("bench.intake", 5000);
    private static final int CONCURRENCY = Integer.getInteger("bench.concurrency", 64);

    @Test
    void benchmark() throws Exception {
        try (Suite suite = new Suite(Map.of())) {
            suite.start(Suite.PROVISIONER);
            suite.start(Suite.NOTIFIER);
            suite.start(Suite.API);
            String api = suite.url(Suite.API);
            try (Admin admin = suite.kafka().admin();
                    KafkaConsumer<String, String> events = tail(suite)) {
                waitForCluster(api);
                // warm-up, not measured: JIT and connection pools
                throughSuite(api, events, "warmup", TOPICS);

                long direct = direct(admin, TOPICS);
                Map<String, Long> cpuBefore = cpu(suite);
                long suiteMs = throughSuite(api, events, "bench", TOPICS);
                Map<String, Long> cpuAfter = cpu(suite);
                Latencies intake = intake(api, INTAKE);
                // the intake path alone (API and Kafka): the provisioner stopped, so no topic is being created
                suite.kill(Suite.PROVISIONER);
                Latencies intakeAlone = intake(api, INTAKE);

                System.out.printf(
                        "%n=== Kafka Concierge benchmark (%d cores, one KRaft broker in-process) ===%n",
                        Runtime.getRuntime().availableProcessors());
                System.out.printf(
                        "(a) %,d topics through the suite, first POST to last READY event: %,d ms%n", TOPICS, suiteMs);
                System.out.printf(
                        "(b) %,d topics with one AdminClient createTopics call (baseline):   %,d ms%n", TOPICS, direct);
                System.out.printf("    ratio a/b: %.2f (target <= 2)%n", (double) suiteMs / direct);
                System.out.printf(
                        "    CPU during (a), ms: %s%n",
                        cpuAfter.entrySet().stream()
                                .map(e -> e.getKey() + " " + (e.getValue() - cpuBefore.get(e.getKey())))
                                .collect(java.util.stream.Collectors.joining(", ")));
                System.out.printf(
                        "(c) intake, %,d POST /api/v1/topics, %d concurrent: %,.0f requests/s, "
                                + "p50 %.1f ms, p99 %.1f ms, max %.1f ms (targets >= 2,000/s, p99 <= 50 ms)%n",
                        INTAKE, CONCURRENCY, intake.rate(), intake.p(50), intake.p(99), intake.p(100));
                System.out.printf(
                        "(d) intake alone (provisioner stopped, nothing being created on the broker): "
                                + "%,.0f requests/s, p50 %.1f ms, p99 %.1f ms, max %.1f ms%n",
                        intakeAlone.rate(), intakeAlone.p(50), intakeAlone.p(99), intakeAlone.p(100));
                System.out.println("===");
            }
        }
    }

    private static void waitForCluster(String api) throws Exception {
        long deadline = System.currentTimeMillis() + 60_000;
        // the API knows the cluster once the provisioner has published it: ask until it does
        while (LoadClient.post(api, "/api/v1/topics", 1, 1, i -> body("probe." + UUID.randomUUID()))
                        .statuses()[0]
                != 202) {
            if (System.currentTimeMillis() > deadline) {
                throw new IllegalStateException("the API never accepted a request");
            }
        }
    }

    private static long direct(Admin admin, int n) throws Exception {
        List<NewTopic> topics = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            topics.add(new NewTopic("direct." + i, 1, (short) 1)
                    .configs(Map.of("retention.ms", "3600000", "cleanup.policy", "delete")));
        }
        long start = System.nanoTime();
        admin.createTopics(topics).all().get();
        return (System.nanoTime() - start) / 1_000_000;
    }

    /** Sends n create requests (bounded concurrency) and waits for all their READY events. */
    private long throughSuite(String api, KafkaConsumer<String, String> events, String prefix, int n) throws Exception {
        long start = System.nanoTime();
        LoadClient.Result sent = LoadClient.post(api, "/api/v1/topics", n, CONCURRENCY, i -> body(prefix + "." + i));
        Set<String> ids = new HashSet<>();
        for (int i = 0; i < n; i++) {
            if (sent.statuses()[i] != 202) {
                throw new IllegalStateException("POST answered " + sent.statuses()[i] + ": " + sent.bodies()[i]);
            }
            ids.add(sent.bodies()[i].replaceAll(".*\"requestId\":\"([^\"]+)\".*", "$1"));
        }
        System.out.printf(
                "    %s: %d requests accepted after %d ms%n", prefix, n, (System.nanoTime() - start) / 1_000_000);
        Set<String> ready = new HashSet<>();
        long deadline = System.currentTimeMillis() + 600_000;
        while (!ready.containsAll(ids)) {
            if (System.currentTimeMillis() > deadline) {
                throw new IllegalStateException("only " + ready.size() + " of " + n + " READY in 10 minutes");
            }
            for (ConsumerRecord<String, String> r : events.poll(Duration.ofMillis(20))) {
                String id = KafkaTestClient.header(r, CloudEvents.H_ID);
                if (id != null && id.endsWith(".ready")) {
                    ready.add(id.substring(0, id.length() - ".ready".length()));
                } else if (id != null && id.endsWith(".failed")) {
                    throw new IllegalStateException("a request failed: " + r.value());
                }
            }
        }
        return (System.nanoTime() - start) / 1_000_000;
    }

    private record Latencies(double[] millis, long wallNanos) {
        double rate() {
            return millis.length / (wallNanos / 1e9);
        }

        double p(int percentile) {
            int i = (int) Math.ceil(percentile / 100.0 * millis.length) - 1;
            return millis[Math.max(0, Math.min(i, millis.length - 1))];
        }
    }

    private static Latencies intake(String api, int n) throws Exception {
        String run = UUID.randomUUID().toString().substring(0, 6);
        LoadClient.Result result =
                LoadClient.post(api, "/api/v1/topics", n, CONCURRENCY, i -> body("intake." + run + "." + i));
        for (int i = 0; i < n; i++) {
            if (result.statuses()[i] != 202) {
                throw new IllegalStateException("POST answered " + result.statuses()[i] + ": " + result.bodies()[i]);
            }
        }
        double[] sorted = result.latencies().clone();
        Arrays.sort(sorted);
        return new Latencies(sorted, result.wallNanos());
    }

    private static String body(String name) {
        return """
                {"cluster":"local","name":"%s","partitions":1,"replicationFactor":1,
                 "config":{"retention.ms":"3600000","cleanup.policy":"delete"},"owner":"bench"}""".formatted(name);
    }

    private static Map<String, Long> cpu(Suite suite) {
        Map<String, Long> cpu = new java.util.LinkedHashMap<>();
        for (String service : List.of(Suite.API, Suite.PROVISIONER, Suite.NOTIFIER)) {
            cpu.put(service, suite.cpuMillis(service));
        }
        cpu.put(
                "broker+benchmark JVM",
                ((com.sun.management.OperatingSystemMXBean)
                                        java.lang.management.ManagementFactory.getOperatingSystemMXBean())
                                .getProcessCpuTime()
                        / 1_000_000);
        return cpu;
    }

    /** A consumer at the end of concierge.events, before anything is measured. */
    private static KafkaConsumer<String, String> tail(Suite suite) {
        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, suite.kafka().bootstrapServers());
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        props.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 5000);
        KafkaConsumer<String, String> consumer =
                new KafkaConsumer<>(props, new StringDeserializer(), new StringDeserializer());
        List<TopicPartition> partitions = consumer.partitionsFor(ConciergeTopics.EVENTS).stream()
                .map(p -> new TopicPartition(p.topic(), p.partition()))
                .toList();
        consumer.assign(partitions);
        consumer.seekToEnd(partitions);
        partitions.forEach(consumer::position);
        return consumer;
    }
}
