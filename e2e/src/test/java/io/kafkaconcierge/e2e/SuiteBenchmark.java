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
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.Test;

/**
 * Prints the suite's figures next to their baseline, on one broker (a process of its own) in one run:
 * <ol>
 * <li>N topic requests through the whole suite (first POST to the last READY event) against the same N topics
 * created with one AdminClient {@code createTopics} call and timed until usable, median of {@code bench.runs};</li>
 * <li>the intake rate and latency of {@code POST /api/v1/topics} under concurrent load.</li>
 * </ol>
 * Run with {@code bin/benchmark} (or {@code ./mvnw -pl e2e verify -Pbench} after a package). Not a test: it asserts
 * nothing about speed.
 */
class SuiteBenchmark {

    private static final int TOPICS = Integer.getInteger("bench.topics", 1000);
    private static final int INTAKE = Integer.getInteger("bench.intake", 5000);
    private static final int CONCURRENCY = Integer.getInteger("bench.concurrency", 64);

    private static final int RUNS = Integer.getInteger("bench.runs", 3);

    @Test
    void benchmark() throws Exception {
        // the broker in its own process, as users run it: its CPU is not the benchmark's
        BrokerProcess broker = new BrokerProcess("bench-kafka");
        broker.start();
        try (Suite suite = new Suite(broker.bootstrapServers(), broker::close, Map.of())) {
            suite.start(Suite.PROVISIONER);
            suite.start(Suite.NOTIFIER);
            suite.start(Suite.API);
            String api = suite.url(Suite.API);
            try (Admin admin = Admin.create(
                            Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers()));
                    KafkaConsumer<String, String> events = tail(broker.bootstrapServers())) {
                waitForCluster(api);
                // warm-up, not measured: JIT and connection pools
                throughSuite(api, admin, events, "warmup", TOPICS);

                long[] direct = new long[RUNS];
                long[] suiteMs = new long[RUNS];
                long[] lateUsable = new long[RUNS];
                Map<String, Long> cpuBefore = cpu(suite, broker);
                String metrics = suite.url(Suite.PROVISIONER) + "/q/metrics";
                double batchesBefore = metric(metrics, "concierge_provisioner_batch_size_count");
                double batchedBefore = metric(metrics, "concierge_provisioner_batch_size_sum");
                for (int run = 0; run < RUNS; run++) {
                    direct[run] = direct(admin, "direct" + run, TOPICS);
                    SuiteRun r = throughSuite(api, admin, events, "bench" + run, TOPICS);
                    suiteMs[run] = r.lastReadyMs();
                    lateUsable[run] = r.usableAtFirstCheck() ? 0 : r.usableMs() - r.lastReadyMs();
                }
                Map<String, Long> cpuAfter = cpu(suite, broker);
                double batches = metric(metrics, "concierge_provisioner_batch_size_count") - batchesBefore;
                double batched = metric(metrics, "concierge_provisioner_batch_size_sum") - batchedBefore;
                double largest = metric(metrics, "concierge_provisioner_batch_size_max");
                Latencies intake = intake(api, INTAKE);
                // the intake path alone (API and Kafka): the provisioner stopped, so no topic is being created
                suite.kill(Suite.PROVISIONER);
                Latencies intakeAlone = intake(api, INTAKE);

                System.out.printf(
                        "%n=== Kafka Concierge benchmark (%d cores, one KRaft broker in its own process, median of %d) ===%n",
                        Runtime.getRuntime().availableProcessors(), RUNS);
                System.out.printf(
                        "(a) %,d topics through the suite, first POST to last READY event: %,d ms  runs: %s%n",
                        TOPICS, median(suiteMs), Arrays.toString(suiteMs));
                System.out.printf(
                        "    every topic usable (listed, a leader for each partition) at the first check after the last READY: %s%n",
                        Arrays.stream(lateUsable).allMatch(ms -> ms <= 0)
                                ? "yes, in every run"
                                : "no: usable later by " + Arrays.toString(lateUsable) + " ms");
                System.out.printf(
                        "(b) %,d topics with %s, until usable (baseline): %,d ms  runs: %s%n",
                        TOPICS,
                        TOPICS <= 1000
                                ? "one AdminClient createTopics call"
                                : "AdminClient createTopics calls of 1,000 sent at once",
                        median(direct),
                        Arrays.toString(direct));
                System.out.printf(
                        "    ratio a/b: %.2f (target <= 3, stretch 2)%n", (double) median(suiteMs) / median(direct));
                System.out.printf(
                        "    CPU ms per %,d requests through the suite (average of the runs): %s%n",
                        TOPICS,
                        cpuAfter.entrySet().stream()
                                .map(e -> e.getKey() + " " + (e.getValue() - cpuBefore.get(e.getKey())) / RUNS)
                                .collect(java.util.stream.Collectors.joining(", ")));
                System.out.printf(
                        "    provisioner batches during (a): %,.0f, mean %.1f commands, largest lately %.0f%n",
                        batches, batches == 0 ? 0 : batched / batches, largest);
                System.out.printf(
                        "(c) intake, %,d POST /api/v1/topics, %d concurrent: %,.0f requests/s, "
                                + "p50 %.1f ms, p99 %.1f ms, max %.1f ms (targets >= 2,000/s, p99 <= 50 ms)%n",
                        INTAKE, CONCURRENCY, intake.rate(), intake.p(50), intake.p(99), intake.p(100));
                System.out.printf(
                        "(d) intake alone (provisioner stopped, nothing being created on the broker): "
                                + "%,.0f requests/s, p50 %.1f ms, p99 %.1f ms, max %.1f ms%n",
                        intakeAlone.rate(), intakeAlone.p(50), intakeAlone.p(99), intakeAlone.p(100));
                System.out.println(
                        "    ((c) and (d) from this JVM's own client; bin/benchmark-outside measures them with wrk)");
                System.out.println("===");
            }
        }
    }

    static long median(long[] values) {
        long[] sorted = values.clone();
        Arrays.sort(sorted);
        return sorted[sorted.length / 2];
    }

    /** The sum of a metric's series in a Prometheus text page (0 when absent). */
    static double metric(String url, String name) throws Exception {
        java.net.http.HttpResponse<String> page = java.net.http.HttpClient.newHttpClient()
                .send(
                        java.net.http.HttpRequest.newBuilder(java.net.URI.create(url))
                                .build(),
                        java.net.http.HttpResponse.BodyHandlers.ofString());
        double sum = 0;
        for (String line : page.body().split("\n")) {
            if (line.startsWith(name + " ") || line.startsWith(name + "{")) {
                sum += Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
            }
        }
        return sum;
    }

    /** When the last READY came and when every topic was usable, both in ms from the first POST. */
    private record SuiteRun(long lastReadyMs, long usableMs, boolean usableAtFirstCheck) {}

    static void waitForCluster(String api) throws Exception {
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

    /** One {@code createTopics} call of n topics (calls of 1,000 above that), timed until every one is usable. */
    private static long direct(Admin admin, String prefix, int n) throws Exception {
        List<NewTopic> topics = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            topics.add(new NewTopic(prefix + "." + i, 1, (short) 1)
                    .configs(Map.of("retention.ms", "3600000", "cleanup.policy", "delete")));
        }
        long start = System.nanoTime();
        // KRaft refuses one call of more than about 2,500 topics ("excessively large batch operation": a topic is
        // several metadata records): larger sets go as calls of 1,000, all sent at once
        List<org.apache.kafka.common.KafkaFuture<Void>> calls = new ArrayList<>();
        for (int from = 0; from < topics.size(); from += 1000) {
            calls.add(admin.createTopics(topics.subList(from, Math.min(topics.size(), from + 1000)))
                    .all());
        }
        for (var call : calls) {
            call.get();
        }
        awaitUsable(admin, topics.stream().map(NewTopic::name).toList());
        return (System.nanoTime() - start) / 1_000_000;
    }

    /**
     * Waits until the broker's metadata lists every topic with a leader for each partition: what a client needs to
     * use it.
     */
    static void awaitUsable(Admin admin, List<String> names) throws Exception {
        long deadline = System.currentTimeMillis() + 600_000;
        while (!usable(admin, names)) {
            if (System.currentTimeMillis() > deadline) {
                throw new IllegalStateException("topics not usable after 10 minutes");
            }
            Thread.sleep(20);
        }
    }

    static boolean usable(Admin admin, List<String> names) throws Exception {
        Map<String, org.apache.kafka.common.KafkaFuture<org.apache.kafka.clients.admin.TopicDescription>> described =
                admin.describeTopics(names).topicNameValues();
        for (var future : described.values()) {
            try {
                if (future.get().partitions().stream().anyMatch(p -> p.leader() == null)) {
                    return false;
                }
            } catch (java.util.concurrent.ExecutionException e) {
                return false; // not known yet
            }
        }
        return true;
    }

    /** Sends n create requests (bounded concurrency) and waits for all their READY events. */
    private SuiteRun throughSuite(String api, Admin admin, KafkaConsumer<String, String> events, String prefix, int n)
            throws Exception {
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
        long lastReady = (System.nanoTime() - start) / 1_000_000;
        List<String> names = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            names.add(prefix + "." + i);
        }
        // the first check after the last READY: a describeTopics of every name, which itself takes some ms
        boolean atOnce = usable(admin, names);
        if (!atOnce) {
            awaitUsable(admin, names);
        }
        return new SuiteRun(lastReady, (System.nanoTime() - start) / 1_000_000, atOnce);
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

    static String body(String name) {
        return """
                {"cluster":"local","name":"%s","partitions":1,"replicationFactor":1,
                 "config":{"retention.ms":"3600000","cleanup.policy":"delete"},"owner":"bench"}""".formatted(name);
    }

    private static Map<String, Long> cpu(Suite suite, BrokerProcess broker) {
        Map<String, Long> cpu = new java.util.LinkedHashMap<>();
        for (String service : List.of(Suite.API, Suite.PROVISIONER, Suite.NOTIFIER)) {
            cpu.put(service, suite.cpuMillis(service));
        }
        cpu.put("broker", broker.cpuMillis());
        cpu.put(
                "benchmark JVM (load client)",
                ((com.sun.management.OperatingSystemMXBean)
                                        java.lang.management.ManagementFactory.getOperatingSystemMXBean())
                                .getProcessCpuTime()
                        / 1_000_000);
        return cpu;
    }

    /** A consumer at the end of concierge.events, before anything is measured. */
    static KafkaConsumer<String, String> tail(String bootstrapServers) {
        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
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
