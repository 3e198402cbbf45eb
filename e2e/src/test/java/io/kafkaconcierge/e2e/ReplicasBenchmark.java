package io.kafkaconcierge.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.kafkaconcierge.contracts.CloudEvents;
import io.kafkaconcierge.contracts.ConciergeTopics;
import io.kafkaconcierge.testing.KafkaTestClient;
import io.kafkaconcierge.testing.WebhookReceiver;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.GroupState;
import org.junit.jupiter.api.Test;

/**
 * Two replicas of each service against one broker (a process of its own), in one run: the work split, nothing done
 * twice, and the gain.
 * <ol>
 * <li>(r1) N topic requests through the suite with one replica of each service, first POST to the last READY event,
 * as {@link SuiteBenchmark} (a) measures it, after a warm-up;</li>
 * <li>(r2) the same with {@code bench.replicas} (2) replicas of the API, the provisioner and the notifier, the POSTs
 * round robin over the APIs with the same number in flight, after a warm-up of N requests per new replica;</li>
 * <li>(r1') one replica again, the second ones stopped: the broker holds more topics by then, so the gain is given
 * against the runs before and after.</li>
 * </ol>
 * A webhook receiver on loopback is the notifier's configured webhook (every event), so the notifiers have work to
 * split too. What each replica did comes from its own metrics ({@code /q/metrics}); CPU from each process. At the end
 * every request of the run (warm-ups included) is read back from {@code concierge.events}: the run <b>fails</b> if a
 * request has no terminal event, has more than one, or its topic is not on the broker, since that is correctness,
 * not speed. Speed is only printed.
 *
 * <p>A class of its own rather than a mode of {@link SuiteBenchmark}: that one's (a) to (d) stay comparable with
 * their earlier figures (no webhook, one replica, the provisioner killed for (d)), and this one asserts.
 * {@code bin/benchmark -Dit.test=ReplicasBenchmark}; sizes {@code -Dbench.topics=} (1,000), {@code -Dbench.runs=}
 * (3 per phase), {@code -Dbench.concurrency=} (64), {@code -Dbench.replicas=} (2). The broker gets 2 GiB of heap
 * unless {@code -Dbroker.heap=} says otherwise: a run with the defaults creates 12,000 topics.
 */
class ReplicasBenchmark {

    private static final int TOPICS = Integer.getInteger("bench.topics", 1000);
    private static final int CONCURRENCY = Integer.getInteger("bench.concurrency", 64);
    private static final int RUNS = Integer.getInteger("bench.runs", 3);
    private static final int REPLICAS = Integer.getInteger("bench.replicas", 2);
    private static final String PROVISIONER_GROUP = "concierge-provisioner";
    /** The configured webhook's consumer group (delivery/DESIGN.md). */
    private static final String NOTIFIER_GROUP = "concierge-notifier";

    private static final String WEBHOOK_SECRET =
            "whsec_" + java.util.Base64.getEncoder().encodeToString("bench-replicas-webhook-secret-32".getBytes());

    /** Every request id accepted in this run (warm-ups included) and its topic's name. */
    private final Map<String, String> requested = new LinkedHashMap<>();
    /** Webhook deliveries received, by webhook-id (the event's id), and when each id first came. */
    private final Map<String, AtomicLong> deliveries = new ConcurrentHashMap<>();

    private final Map<String, Long> firstDelivered = new ConcurrentHashMap<>();

    private record Run(long acceptedMs, long lastReadyMs, long lastWebhookMs, boolean usableAtFirstCheck) {}

    /** One phase's measured runs and what each process did during them. */
    private record Phase(
            List<Run> runs,
            Map<String, Long> cpu,
            Map<String, Double> commands,
            Map<String, Double> batches,
            Map<String, Double> accepted,
            Map<String, Long> posted,
            Map<String, Double> delivered) {

        long median(java.util.function.ToLongFunction<Run> f) {
            return SuiteBenchmark.median(runs.stream().mapToLong(f).toArray());
        }

        String all(java.util.function.ToLongFunction<Run> f) {
            return Arrays.toString(runs.stream().mapToLong(f).toArray());
        }
    }

    @Test
    void benchmark() throws Exception {
        String loadAtStart = loadAverage();
        if ("384m".equals(System.getProperty("broker.heap", "384m"))) {
            // the tests' default holds a few thousand partitions; this run makes (3 x runs + 1 + replicas) x topics
            System.setProperty("broker.heap", "2g");
        }
        BrokerProcess broker = new BrokerProcess("replicas-kafka");
        broker.start();
        WebhookReceiver receiver = new WebhookReceiver(false);
        receiver.respond(d -> {
            if (d.id() != null) {
                deliveries.computeIfAbsent(d.id(), k -> new AtomicLong()).incrementAndGet();
                firstDelivered.putIfAbsent(d.id(), d.receivedAtMillis());
            }
            return 200;
        });
        Map<String, String> properties =
                Map.of("notifier.webhook.url", receiver.url(), "notifier.webhook.secret", WEBHOOK_SECRET);
        try (receiver;
                Suite suite = new Suite(broker.bootstrapServers(), broker::close, properties)) {
            suite.start(Suite.PROVISIONER);
            suite.start(Suite.NOTIFIER);
            suite.start(Suite.API);
            List<String> ones = List.of(Suite.API, Suite.PROVISIONER, Suite.NOTIFIER);
            List<String> seconds = new ArrayList<>();
            for (int j = 2; j <= REPLICAS; j++) {
                seconds.addAll(List.of(Suite.API + "-" + j, Suite.PROVISIONER + "-" + j, Suite.NOTIFIER + "-" + j));
            }
            List<String> all = new ArrayList<>(ones);
            all.addAll(seconds);
            try (Admin admin = Admin.create(
                            Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers()));
                    KafkaConsumer<String, String> events = SuiteBenchmark.tail(broker.bootstrapServers())) {
                Map<String, Integer> partitions = partitions(admin);
                SuiteBenchmark.waitForCluster(suite.url(Suite.API));
                Map<String, List<Integer>> oneSplit = awaitGroups(admin, partitions, 1, Map.of());

                // (r1) one replica of each service
                throughSuite(suite, List.of(Suite.API), admin, events, "warm1", TOPICS);
                Phase one = phase(suite, broker, ones, admin, events, "one");

                // (r2) the second replicas: started, the API's view loaded, the groups split, warmed up
                for (String instance : seconds) {
                    suite.start(instance.substring(0, instance.lastIndexOf('-')), instance);
                }
                List<String> apis =
                        all.stream().filter(i -> i.startsWith(Suite.API)).toList();
                for (String api : apis) {
                    SuiteBenchmark.waitForCluster(suite.url(api));
                }
                Map<String, List<Integer>> split = awaitGroups(admin, partitions, REPLICAS, oneSplit);
                // as many requests per new replica as the first replicas had in their warm-up (JIT): with one
                // warm-up of N split over both, the new ones were seen still compiling in the measured runs
                throughSuite(suite, apis, admin, events, "warm2", REPLICAS * TOPICS);
                Phase two = phase(suite, broker, all, admin, events, "two");

                // (r1') one replica again: the second ones stopped cleanly (they leave their groups at once)
                for (String instance : seconds) {
                    suite.stop(instance);
                }
                awaitGroups(admin, partitions, 1, oneSplit);
                Phase again = phase(suite, broker, ones, admin, events, "again");

                Checks checks = check(broker, admin);
                print(one, two, again, partitions, split, checks, loadAtStart, seconds);
                assertThat(checks.missing())
                        .as("requests with no terminal event")
                        .isEmpty();
                assertThat(checks.duplicates())
                        .as("terminal events beyond one per request")
                        .isZero();
                assertThat(checks.notOnBroker())
                        .as("requested topics not on the broker")
                        .isEmpty();
            }
        }
    }

    /** The measured runs of one phase, with each process's CPU and counters before and after. */
    private Phase phase(
            Suite suite,
            BrokerProcess broker,
            List<String> instances,
            Admin admin,
            KafkaConsumer<String, String> events,
            String label)
            throws Exception {
        List<String> apis =
                instances.stream().filter(i -> i.startsWith(Suite.API)).toList();
        Map<String, Long> cpu0 = cpu(suite, broker, instances);
        Map<String, Double> commands0 =
                counters(suite, instances, Suite.PROVISIONER, "concierge_requests_completed_total", "");
        Map<String, Double> batches0 =
                counters(suite, instances, Suite.PROVISIONER, "concierge_provisioner_batch_size_count", "");
        Map<String, Double> accepted0 = counters(suite, instances, Suite.API, "concierge_requests_accepted_total", "");
        Map<String, Double> delivered0 =
                counters(suite, instances, Suite.NOTIFIER, "concierge_notifications_total", "outcome=\"delivered\"");
        List<Run> runs = new ArrayList<>();
        for (int run = 0; run < RUNS; run++) {
            runs.add(throughSuite(suite, apis, admin, events, label + run, TOPICS));
        }
        Map<String, Long> cpu = minus(cpu(suite, broker, instances), cpu0);
        Map<String, Long> posted = new LinkedHashMap<>();
        for (int k = 0; k < apis.size(); k++) {
            int first = k;
            // LoadClient sends request i to apis[i % size]
            posted.put(apis.get(k), (long) RUNS * (TOPICS / apis.size() + (first < TOPICS % apis.size() ? 1 : 0)));
        }
        return new Phase(
                runs,
                cpu,
                minus(
                        counters(suite, instances, Suite.PROVISIONER, "concierge_requests_completed_total", ""),
                        commands0),
                minus(
                        counters(suite, instances, Suite.PROVISIONER, "concierge_provisioner_batch_size_count", ""),
                        batches0),
                minus(counters(suite, instances, Suite.API, "concierge_requests_accepted_total", ""), accepted0),
                posted,
                minus(
                        counters(
                                suite,
                                instances,
                                Suite.NOTIFIER,
                                "concierge_notifications_total",
                                "outcome=\"delivered\""),
                        delivered0));
    }

    /**
     * Sends n create requests round robin over the APIs (CONCURRENCY in flight in all), waits for all their READY
     * events, checks once that every topic is usable, then waits until every READY reached the webhook.
     */
    private Run throughSuite(
            Suite suite, List<String> apis, Admin admin, KafkaConsumer<String, String> events, String prefix, int n)
            throws Exception {
        List<String> urls = apis.stream().map(suite::url).toList();
        long startWall = System.currentTimeMillis();
        long start = System.nanoTime();
        LoadClient.Result sent =
                LoadClient.post(urls, "/api/v1/topics", n, CONCURRENCY, i -> SuiteBenchmark.body(prefix + "." + i));
        long acceptedMs = (System.nanoTime() - start) / 1_000_000;
        Set<String> ids = new HashSet<>();
        List<String> names = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            if (sent.statuses()[i] != 202) {
                throw new IllegalStateException("POST answered " + sent.statuses()[i] + ": " + sent.bodies()[i]);
            }
            String id = sent.bodies()[i].replaceAll(".*\"requestId\":\"([^\"]+)\".*", "$1");
            ids.add(id);
            names.add(prefix + "." + i);
            requested.put(id, prefix + "." + i);
        }
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
                } else if (id != null && id.endsWith(".failed") && ids.contains(id.substring(0, id.indexOf('.')))) {
                    throw new IllegalStateException("a request failed: " + r.value());
                }
            }
        }
        long lastReady = (System.nanoTime() - start) / 1_000_000;
        boolean atOnce = SuiteBenchmark.usable(admin, names);
        if (!atOnce) {
            SuiteBenchmark.awaitUsable(admin, names);
        }
        // every READY of this run at the webhook (not a correctness check: the notifier delivers at least once)
        await("every READY of the run at the webhook")
                .atMost(Duration.ofMinutes(5))
                .pollInterval(Duration.ofMillis(20))
                .until(() -> ids.stream().allMatch(id -> firstDelivered.containsKey(id + ".ready")));
        long lastWebhook = ids.stream()
                        .mapToLong(id -> firstDelivered.get(id + ".ready"))
                        .max()
                        .orElse(startWall)
                - startWall;
        System.out.printf(
                "    %s (%d API%s): %d accepted after %d ms, last READY after %d ms, last READY at the webhook after %d ms%n",
                prefix, apis.size(), apis.size() > 1 ? "s" : "", n, acceptedMs, lastReady, lastWebhook);
        return new Run(acceptedMs, lastReady, lastWebhook, atOnce);
    }

    private record Checks(
            int requests,
            int withTerminal,
            List<String> missing,
            long duplicates,
            long repeatedEvents,
            int onBroker,
            List<String> notOnBroker,
            long hooksReceived,
            long hookIds,
            long hookRepeats) {}

    /** Every request of the run read back from concierge.events, and every topic looked up on the broker. */
    private Checks check(BrokerProcess broker, Admin admin) throws Exception {
        Map<String, Integer> terminal = new HashMap<>();
        Map<String, Integer> copies = new HashMap<>();
        for (ConsumerRecord<String, String> r :
                new KafkaTestClient(broker.bootstrapServers()).records(ConciergeTopics.EVENTS)) {
            String id = KafkaTestClient.header(r, CloudEvents.H_ID);
            String type = KafkaTestClient.header(r, CloudEvents.H_TYPE);
            if (id == null || type == null || !CloudEvents.isRequestType(type) || id.indexOf('.') < 0) {
                continue;
            }
            String requestId = id.substring(0, id.indexOf('.'));
            if (!requested.containsKey(requestId)) {
                continue;
            }
            copies.merge(id, 1, Integer::sum);
            String state = type.substring(type.lastIndexOf('.') + 1);
            if (Set.of("ready", "failed", "deleted").contains(state)) {
                terminal.merge(requestId, 1, Integer::sum);
            }
        }
        List<String> missing = requested.keySet().stream()
                .filter(id -> !terminal.containsKey(id))
                .toList();
        long duplicates = terminal.values().stream().mapToLong(c -> c - 1).sum();
        long repeated = copies.values().stream().filter(c -> c > 1).count();
        Set<String> topics = admin.listTopics().names().get();
        List<String> notOnBroker = requested.values().stream()
                .filter(name -> !topics.contains(name))
                .toList();
        long received = deliveries.values().stream().mapToLong(AtomicLong::get).sum();
        long repeats = deliveries.values().stream().filter(c -> c.get() > 1).count();
        return new Checks(
                requested.size(),
                terminal.size(),
                missing,
                duplicates,
                repeated,
                requested.size() - notOnBroker.size(),
                notOnBroker,
                received,
                deliveries.size(),
                repeats);
    }

    private static void print(
            Phase one,
            Phase two,
            Phase again,
            Map<String, Integer> partitions,
            Map<String, List<Integer>> split,
            Checks c,
            String loadAtStart,
            List<String> seconds) {
        int measured = RUNS * TOPICS;
        System.out.printf(
                "%n=== Kafka Concierge benchmark: %d replicas of each service (%d cores, one KRaft broker in its own process, median of %d) ===%n",
                REPLICAS, Runtime.getRuntime().availableProcessors(), RUNS);
        System.out.printf(
                "setup: %,d topic requests per run, %d POSTs in flight (round robin over the APIs), the notifier's webhook on "
                        + "loopback gets every event; warm-ups (not measured) of %,d requests before (r1) and %,d before (r2); "
                        + "partitions %s; load average %s at the start, %s at the end%n",
                TOPICS, CONCURRENCY, TOPICS, REPLICAS * TOPICS, partitions, loadAtStart, loadAverage());
        System.out.printf(
                "(r1)  one replica of each service, first POST to last READY event: %,d ms  runs: %s; "
                        + "to the last READY at the webhook: %,d ms%n",
                one.median(Run::lastReadyMs), one.all(Run::lastReadyMs), one.median(Run::lastWebhookMs));
        System.out.printf(
                "(r2)  %d replicas of each service: %,d ms  runs: %s; to the last READY at the webhook: %,d ms%n",
                REPLICAS, two.median(Run::lastReadyMs), two.all(Run::lastReadyMs), two.median(Run::lastWebhookMs));
        System.out.printf(
                "(r1') one replica again, the others stopped (the broker holds more topics by then, the JVMs are warmer): %,d ms  runs: %s; "
                        + "webhook: %,d ms%n",
                again.median(Run::lastReadyMs), again.all(Run::lastReadyMs), again.median(Run::lastWebhookMs));
        System.out.printf(
                "      gain (one replica / %d): %.2f against the runs before, %.2f against the runs after "
                        + "(above 1: faster with more replicas); all POSTs accepted after %,d / %,d / %,d ms%n",
                REPLICAS,
                (double) one.median(Run::lastReadyMs) / two.median(Run::lastReadyMs),
                (double) again.median(Run::lastReadyMs) / two.median(Run::lastReadyMs),
                one.median(Run::acceptedMs),
                two.median(Run::acceptedMs),
                again.median(Run::acceptedMs));
        boolean usable = List.of(one, two, again).stream()
                .flatMap(p -> p.runs().stream())
                .allMatch(Run::usableAtFirstCheck);
        System.out.printf(
                "      every topic usable at the first check after the last READY: %s%n",
                usable ? "yes, in every run" : "no, not in every run");
        System.out.printf("      consumer groups with %d replicas, partitions per member: %s%n", REPLICAS, split);
        System.out.printf("      CPU ms per %,d requests, one replica: %s%n", TOPICS, perRun(one.cpu()));
        System.out.printf("      CPU ms per %,d requests, %d replicas: %s%n", TOPICS, REPLICAS, perRun(two.cpu()));
        System.out.printf("      CPU ms per %,d requests, one replica again: %s%n", TOPICS, perRun(again.cpu()));
        System.out.printf("work split with %d replicas (its %,d measured requests):%n", REPLICAS, measured);
        System.out.printf(
                "      POSTs answered: %s (the APIs' accepted counters: %s)%n",
                counts(two.posted()), counts(two.accepted()));
        System.out.printf(
                "      commands completed: %s, in batches: %s%n", counts(two.commands()), counts(two.batches()));
        System.out.printf("      webhook deliveries: %s%n", counts(two.delivered()));
        System.out.printf(
                "      (one replica: commands %s in batches: %s, deliveries %s)%n",
                counts(one.commands()), counts(one.batches()), counts(one.delivered()));
        System.out.printf(
                "nothing done twice (every request of the run, warm-ups included, read back from concierge.events):%n");
        System.out.printf(
                "      requests %,d, with a terminal event %,d, missing %d, duplicate terminal events %d, "
                        + "other events written more than once %d%n",
                c.requests(), c.withTerminal(), c.missing().size(), c.duplicates(), c.repeatedEvents());
        System.out.printf(
                "      topics on the broker %,d of %,d; webhook: %,d deliveries of %,d events, %d events delivered more "
                        + "than once (at least once is the contract)%n",
                c.onBroker(), c.requests(), c.hooksReceived(), c.hookIds(), c.hookRepeats());
        System.out.println("===");
    }

    private static String perRun(Map<String, Long> cpu) {
        long services = cpu.entrySet().stream()
                .filter(e -> !e.getKey().equals("broker") && !e.getKey().startsWith("benchmark"))
                .mapToLong(Map.Entry::getValue)
                .sum();
        return cpu.entrySet().stream()
                        .map(e -> e.getKey() + " " + e.getValue() / RUNS)
                        .collect(Collectors.joining(", "))
                + "; the services together " + services / RUNS;
    }

    private static String counts(Map<String, ? extends Number> counts) {
        return counts.entrySet().stream()
                .map(e -> e.getKey() + " " + String.format("%,d", e.getValue().longValue()))
                .collect(Collectors.joining(", "));
    }

    private static Map<String, Integer> partitions(Admin admin) throws Exception {
        Map<String, Integer> out = new TreeMap<>();
        for (var e : admin.describeTopics(
                        List.of(ConciergeTopics.REQUESTS, ConciergeTopics.EVENTS, ConciergeTopics.DELIVERIES))
                .allTopicNames()
                .get()
                .entrySet()) {
            out.put(e.getKey(), e.getValue().partitions().size());
        }
        return out;
    }

    /**
     * Waits until the provisioners' group and the configured webhook's group are stable with {@code replicas} times
     * the members one replica has, every partition assigned; returns the partitions per member of each group.
     */
    private static Map<String, List<Integer>> awaitGroups(
            Admin admin, Map<String, Integer> partitions, int replicas, Map<String, List<Integer>> one)
            throws Exception {
        Map<String, String> topicOf = Map.of(
                PROVISIONER_GROUP, ConciergeTopics.REQUESTS,
                NOTIFIER_GROUP, ConciergeTopics.EVENTS);
        Map<String, List<Integer>> split = new TreeMap<>();
        await("consumer groups settled")
                .atMost(Duration.ofMinutes(2))
                .pollInterval(Duration.ofMillis(200))
                .until(() -> {
                    boolean settled = true;
                    Map<String, ConsumerGroupDescription> groups =
                            admin.describeConsumerGroups(topicOf.keySet()).all().get();
                    for (var e : groups.entrySet()) {
                        ConsumerGroupDescription g = e.getValue();
                        List<Integer> sizes = g.members().stream()
                                .map(m -> m.assignment().topicPartitions().size())
                                .sorted(Comparator.reverseOrder())
                                .toList();
                        split.put(e.getKey(), sizes);
                        int expectedMembers =
                                one.isEmpty() ? -1 : one.get(e.getKey()).size() * replicas;
                        settled &= g.groupState() == GroupState.STABLE
                                && !sizes.isEmpty()
                                && (expectedMembers < 0 || sizes.size() == expectedMembers)
                                && sizes.stream().mapToInt(Integer::intValue).sum()
                                        == partitions.get(topicOf.get(e.getKey()));
                    }
                    return settled;
                });
        return split;
    }

    /** The sum of a counter's series (those whose labels contain {@code labels}) for each instance of a service. */
    private static Map<String, Double> counters(
            Suite suite, List<String> instances, String service, String name, String labels) throws Exception {
        Map<String, Double> out = new LinkedHashMap<>();
        for (String instance : instances) {
            if (!instance.startsWith(service)) {
                continue;
            }
            java.net.http.HttpResponse<String> page = java.net.http.HttpClient.newHttpClient()
                    .send(
                            java.net.http.HttpRequest.newBuilder(
                                            java.net.URI.create(suite.url(instance) + "/q/metrics"))
                                    .build(),
                            java.net.http.HttpResponse.BodyHandlers.ofString());
            double sum = 0;
            for (String line : page.body().split("\n")) {
                if ((line.startsWith(name + " ") || line.startsWith(name + "{")) && line.contains(labels)) {
                    sum += Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
                }
            }
            out.put(instance, sum);
        }
        return out;
    }

    private static Map<String, Long> cpu(Suite suite, BrokerProcess broker, List<String> instances) {
        Map<String, Long> cpu = new LinkedHashMap<>();
        for (String instance : instances) {
            cpu.put(instance, suite.cpuMillis(instance));
        }
        cpu.put("broker", broker.cpuMillis());
        cpu.put(
                "benchmark JVM (load client, webhook receiver)",
                ((com.sun.management.OperatingSystemMXBean)
                                        java.lang.management.ManagementFactory.getOperatingSystemMXBean())
                                .getProcessCpuTime()
                        / 1_000_000);
        return cpu;
    }

    private static <N extends Number> Map<String, N> minus(Map<String, N> after, Map<String, N> before) {
        Map<String, N> out = new LinkedHashMap<>();
        after.forEach((k, v) -> {
            @SuppressWarnings("unchecked")
            N d = v instanceof Long
                    ? (N) Long.valueOf(v.longValue() - before.get(k).longValue())
                    : (N) Double.valueOf(v.doubleValue() - before.get(k).doubleValue());
            out.put(k, d);
        });
        return out;
    }

    /** The machine's load average over 1, 5 and 15 minutes (others share its cores). */
    private static String loadAverage() {
        try {
            String[] f = Files.readString(Path.of("/proc/loadavg")).trim().split("\\s+");
            return f[0] + " " + f[1] + " " + f[2];
        } catch (Exception e) {
            return "unknown";
        }
    }
}
