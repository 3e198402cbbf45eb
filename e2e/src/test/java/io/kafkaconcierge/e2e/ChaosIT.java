package io.kafkaconcierge.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.kafkaconcierge.contracts.CloudEvents;
import io.kafkaconcierge.contracts.ConciergeTopics;
import io.kafkaconcierge.contracts.Json;
import io.kafkaconcierge.contracts.secrets.SecretBox;
import io.kafkaconcierge.testing.KafkaTestClient;
import io.kafkaconcierge.testing.TestIdentity;
import io.kafkaconcierge.testing.WebhookReceiver;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.config.SaslConfigs;
import org.junit.jupiter.api.Test;

/**
 * Faults under traffic: while lanes of clients create, patch and delete topics (and, beside them, create and delete
 * instances on the local backend and users on a secured instance of the run), the provisioner is killed (SIGKILL)
 * several times and stopped (SIGTERM) in the middle of a batch, the API and the notifier are killed, the API is
 * stopped (SIGTERM) while clients post (the long form stops the notifier too), and the
 * concierge's broker (a process of its own) is stopped for 20 s; then every request answered 202 must have reached
 * exactly one terminal state, no topic may exist without a request, and every event must have reached the webhook at
 * least once, a repeat always with the same webhook-id; no instance process or folder may be left of a deleted one,
 * each live instance answers, and the users' SCRAM credentials are the users the view has live. Prints a summary.
 * <p>
 * The short form runs in {@code ./mvnw verify} (about 120 requests; a few minutes); {@code bin/chaos --long}
 * ({@code -Dchaos.long=true}) runs at least 2,000 requests with more faults: more kills, two replicas of the API and
 * of the notifier for part of the run, a registered target cluster unreachable for 30 s, and the webhook receiver
 * down for a while. {@code -Dchaos.requests=N} sets the number of requests.
 */
class ChaosIT {

    private static final boolean LONG = Boolean.getBoolean("chaos.long");
    private static final int REQUESTS =
            Integer.getInteger("chaos.requests", 0) > 0 ? Integer.getInteger("chaos.requests") : LONG ? 2000 : 120;
    private static final int LANES = LONG ? 16 : 6;
    private static final String RUN = "chaos" + UUID.randomUUID().toString().substring(0, 6);
    private static final Duration SETTLE = Duration.ofMinutes(LONG ? 6 : 3);
    /** Instances (one broker each) per instance lane: all but the last of a lane are deleted during the run. */
    private static final int INSTANCES_PER_LANE = LONG ? 3 : 2;

    private static final int INSTANCE_LANES = LONG ? 2 : 1;
    /** How long an instance request may take here (a broker's JVM on a loaded machine of 2 cores). */
    private static final Duration INSTANCE_WAIT = Duration.ofMinutes(LONG ? 10 : 6);
    /** The secured instance (SCRAM, authorizer) the users of the run live on: the concierge's broker has no SASL. */
    private static final String HOME = RUN + "-home";
    /** The users' names: under the team's name, as the guard rails want an unclaimed name. */
    private static final String USERS = "chaos-" + RUN.substring("chaos".length()) + "-u";
    /** Users created at least, however soon the topics' traffic ends. */
    private static final int USERS_AT_LEAST = LONG ? 12 : 4;

    private final HttpClient http =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private final String token = "Bearer " + TestIdentity.admin();
    private final Random random = new Random();
    private final List<String> events = new CopyOnWriteArrayList<>();
    private final long started = System.nanoTime();

    /** One request the API answered 202: {@code kind} topic, instance or user; {@code cluster} null for an instance. */
    record Accepted(String requestId, String kind, String operation, String cluster, String name) {}

    private final Map<String, Accepted> accepted = new ConcurrentHashMap<>();
    private final AtomicInteger submitted = new AtomicInteger();
    private final AtomicInteger refused = new AtomicInteger();
    private final AtomicInteger clientRetries = new AtomicInteger();
    private final AtomicBoolean faultsDone = new AtomicBoolean();
    private final List<String> apis = new CopyOnWriteArrayList<>(List.of(Suite.API));
    private final Set<String> healthDownSeen = ConcurrentHashMap.newKeySet();

    private Suite suite;
    private BrokerProcess broker;
    private BrokerProcess target;
    private volatile WebhookReceiver receiver;
    private final List<WebhookReceiver> receivers = new CopyOnWriteArrayList<>();
    private int receiverPort;
    /** The local backend's root: one folder per instance of the run. */
    private final Path instances = Path.of("target", "chaos-instances-" + RUN).toAbsolutePath();

    @Test
    void shouldEndEveryAcceptedRequestExactlyOnceAndDeliverEveryEventWhileThingsBreak() throws Exception {
        broker = new BrokerProcess("chaos-kafka");
        try {
            run();
        } finally {
            broker.close();
        }
    }

    private void run() throws Exception {
        broker.start();
        receiver = new WebhookReceiver();
        receivers.add(receiver);
        receiverPort = URI.create(receiver.url()).getPort();
        Map<String, String> properties = new LinkedHashMap<>(Map.of(
                "notifier.webhook.url",
                receiver.url(),
                "notifier.webhook.secret",
                "whsec_" + java.util.Base64.getEncoder().encodeToString("chaos-test-webhook-secret-32-by!".getBytes()),
                "notifier.webhook.retry-schedule",
                "200ms,400ms,800ms,1600ms,3s,5s,5s,5s,5s,5s,5s,5s,5s,5s,5s,5s,"
                        + "5s,5s,5s,5s,5s,5s,5s,5s,5s,5s,5s,5s,5s,5s",
                "concierge.api.deadlines.topics",
                LONG ? "8m" : "150s",
                // longer than the test waits for an instance: one lost shows as stuck, not as the deadline's FAILED
                "concierge.api.deadlines.instances",
                LONG ? "30m" : "15m",
                "concierge.provisioner.retry.max-attempts",
                "10",
                "concierge.provisioner.cluster-check-interval",
                "5s"));
        // instances on the local backend: broker processes of their own under a folder of this run
        properties.put("concierge.provisioner.instances.backend", "local");
        properties.put("concierge.provisioner.instances.local.root", instances.toString());
        properties.put("concierge.provisioner.instances.local.broker-classpath", BrokerProcess.classpath());
        if (LONG) {
            target = new BrokerProcess("chaos-target");
            target.start();
            properties.put("concierge.provisioner.clusters.target.bootstrap-servers", target.bootstrapServers());
        }
        suite = new Suite(broker.bootstrapServers(), broker::close, properties);
        try {
            suite.start(Suite.PROVISIONER);
            suite.start(Suite.NOTIFIER);
            suite.start(Suite.API);
            await().atMost(Duration.ofSeconds(90)).until(() -> knows("local") && (!LONG || knows("target")));
            log("started: %d requests, %d lanes, %s form", REQUESTS, LANES, LONG ? "long" : "short");

            ExecutorService lanes = Executors.newFixedThreadPool(LANES + INSTANCE_LANES + 1);
            List<Future<?>> running = new ArrayList<>();
            for (int i = 0; i < LANES; i++) {
                int lane = i;
                running.add(lanes.submit(() -> lane(lane)));
            }
            for (int i = 0; i < INSTANCE_LANES; i++) {
                int lane = i;
                running.add(lanes.submit(() -> instanceLane(lane)));
            }
            running.add(lanes.submit(this::userLane));
            try {
                faults();
            } finally {
                faultsDone.set(true);
            }
            try {
                for (Future<?> f : running) {
                    f.get(SETTLE.toMinutes() + INSTANCE_WAIT.toMinutes() * INSTANCES_PER_LANE * 2, TimeUnit.MINUTES);
                }
            } finally {
                lanes.shutdownNow();
            }
            check();
        } finally {
            suite.close();
            receivers.forEach(WebhookReceiver::close);
            if (target != null) {
                target.close();
            }
            // the instances outlive the provisioner on purpose: nothing of them may outlive the build
            instanceProcesses().forEach(ProcessHandle::destroyForcibly);
            deleteTree(instances);
        }
    }

    // ---------------------------------------------------------------- faults

    private void faults() throws Exception {
        awaitSubmitted(REQUESTS / 10);
        // two at once, restarted side by side (the machine is small: restarts one after the other take long)
        together(Suite.PROVISIONER, Suite.NOTIFIER);
        if (LONG) {
            suite.start(Suite.API, "concierge-api-2");
            apis.add("concierge-api-2");
            suite.start(Suite.NOTIFIER, "notifier-2");
            log("second replicas of the API and the notifier up");
        }
        awaitSubmitted(REQUESTS * 3 / 10);
        together(Suite.API, Suite.PROVISIONER);
        awaitSubmitted(REQUESTS * 4 / 10);
        brokerAway(Duration.ofSeconds(20));
        if (LONG) {
            awaitSubmitted(REQUESTS * 55 / 100);
            targetAway(Duration.ofSeconds(30));
            awaitSubmitted(REQUESTS * 6 / 10);
            receiverAway(Duration.ofSeconds(20));
            kill("notifier-2");
            apis.remove("concierge-api-2");
            kill("concierge-api-2");
            log("second replicas gone");
            awaitSubmitted(REQUESTS * 65 / 100);
            kill(Suite.PROVISIONER);
            kill(Suite.NOTIFIER);
        }
        awaitSubmitted(REQUESTS * 7 / 10);
        // a SIGTERM while a batch is being applied: as soon as some requests wait for the provisioner
        awaitInFlight();
        terminate(Suite.PROVISIONER);
        // SIGTERM on the API while clients post: what it answered 202 must end, what it did not the clients retry
        terminate(Suite.API);
        if (LONG) {
            terminate(Suite.NOTIFIER);
            awaitSubmitted(REQUESTS * 85 / 100);
            kill(Suite.API);
            awaitSubmitted(REQUESTS * 9 / 10);
            kill(Suite.PROVISIONER);
        }
        log("faults done");
    }

    /** SIGKILL two services at once and restart them side by side. */
    private void together(String first, String second) throws Exception {
        Thread other = new Thread(() -> {
            try {
                kill(second);
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        other.start();
        kill(first);
        other.join();
        assertThat(suite.alive(second)).as(second + " restarted").isTrue();
    }

    private void kill(String instance) throws Exception {
        String service = instance.replaceAll("-\\d+$", "");
        log("SIGKILL %s", instance);
        suite.kill(instance);
        if (instance.equals(service)) {
            suite.start(service, instance);
            log("%s back", instance);
        }
    }

    private void terminate(String instance) throws Exception {
        log("SIGTERM %s (requests in flight)", instance);
        suite.stop(instance);
        suite.start(instance);
        log("%s back", instance);
    }

    private void brokerAway(Duration away) throws Exception {
        log("stopping the concierge's broker for %s", away);
        broker.stop();
        long until = System.nanoTime() + away.toNanos();
        // while it is gone: do the services say they cannot work without their Kafka?
        while (System.nanoTime() < until) {
            for (String service : List.of(Suite.API, Suite.PROVISIONER, Suite.NOTIFIER)) {
                if (!healthDownSeen.contains(service) && !ready(service)) {
                    healthDownSeen.add(service);
                    log("%s not ready without its broker", service);
                }
            }
            pause(500);
        }
        broker.start();
        log("broker back");
        await().atMost(Duration.ofMinutes(3))
                .until(() -> ready(Suite.API) && ready(Suite.PROVISIONER) && ready(Suite.NOTIFIER));
        log("every service ready again");
    }

    private void targetAway(Duration away) throws Exception {
        log("target cluster unreachable for %s", away);
        target.stop();
        long until = System.nanoTime() + away.toNanos();
        waitUntil(until);
        target.start();
        log("target cluster back");
    }

    private void receiverAway(Duration away) throws Exception {
        log("webhook receiver down for %s", away);
        receiver.close();
        waitUntil(System.nanoTime() + away.toNanos());
        receiver = new WebhookReceiver(receiverPort);
        receivers.add(receiver);
        log("webhook receiver back");
    }

    private static void waitUntil(long nanos) throws InterruptedException {
        long left;
        while ((left = nanos - System.nanoTime()) > 0) {
            TimeUnit.NANOSECONDS.sleep(Math.min(left, TimeUnit.MILLISECONDS.toNanos(500)));
        }
    }

    private void awaitSubmitted(int n) {
        await().atMost(Duration.ofMinutes(LONG ? 30 : 5))
                .pollInterval(Duration.ofMillis(200))
                .until(() -> submitted.get() >= n);
    }

    private void awaitInFlight() {
        await().atMost(Duration.ofMinutes(2))
                .pollInterval(Duration.ofMillis(50))
                .until(() -> {
                    JsonNode page = get("/api/v1/topics?state=PROVISIONING&size=1");
                    JsonNode accepted = get("/api/v1/topics?state=ACCEPTED&size=1");
                    return page != null && page.path("total").asLong() > 0
                            || accepted != null && accepted.path("total").asLong() > 0;
                });
    }

    // ---------------------------------------------------------------- traffic

    /** Topics one after another: create, then perhaps patch, then perhaps delete; each step after the last ended. */
    private void lane(int lane) {
        int n = 0;
        while (submitted.get() < REQUESTS || !faultsDone.get()) {
            String cluster = LONG && (n % 3 == 2) ? "target" : "local";
            String name = RUN + "." + lane + "." + n++;
            String create =
                    send("topic", "POST", "/api/v1/topics", """
                    {"cluster": "%s", "name": "%s", "partitions": 1, "replicationFactor": 1,
                     "config": {"retention.ms": "3600000"}, "owner": "chaos"}""".formatted(cluster, name), "CREATE", cluster, name);
            if (create == null || !"READY".equals(awaitEnd(create))) {
                continue;
            }
            if (random.nextBoolean()) {
                String patch = send(
                        "topic",
                        "PATCH",
                        "/api/v1/topics/" + cluster + "/" + name,
                        "{\"partitions\": 2}",
                        "UPDATE",
                        cluster,
                        name);
                if (patch == null || awaitEnd(patch) == null) {
                    continue;
                }
            }
            if (random.nextInt(3) > 0) {
                String delete = send(
                        "topic", "DELETE", "/api/v1/topics/" + cluster + "/" + name, null, "DELETE", cluster, name);
                if (delete != null) {
                    awaitEnd(delete);
                }
            }
        }
    }

    /**
     * Instances one after another, one broker each: create, then delete all but the lane's last, each step after the
     * last ended; the faults of the run hit them while the provisioner starts or stops their processes.
     */
    private void instanceLane(int lane) {
        for (int i = 0; i < INSTANCES_PER_LANE; i++) {
            String name = RUN + "-i" + lane + i;
            String create = send("instance", "POST", "/api/v1/instances", """
                    {"name": "%s", "owner": "chaos", "brokers": 1, "description": "chaos"}""".formatted(name), "CREATE", null, name);
            if (create == null || !"READY".equals(awaitEnd(create, INSTANCE_WAIT))) {
                continue;
            }
            log("instance %s ready", name);
            if (i < INSTANCES_PER_LANE - 1) {
                String delete = send("instance", "DELETE", "/api/v1/instances/" + name, null, "DELETE", null, name);
                if (delete != null) {
                    log("instance %s %s", name, awaitEnd(delete, INSTANCE_WAIT));
                }
            }
        }
    }

    /**
     * Users on the secured instance {@link #HOME} (asked for first, as the run starts): create, then perhaps a rotation
     * of the password, then perhaps delete; each step after the last ended, as long as the topics' traffic lasts.
     */
    private void userLane() {
        String home = send("instance", "POST", "/api/v1/instances", """
                {"name": "%s", "owner": "chaos", "brokers": 1, "description": "the chaos run's users",
                 "security": {"authentication": "scram-sha-512", "authorization": true}}""".formatted(HOME), "CREATE", null, HOME);
        String state = home == null ? null : awaitEnd(home, INSTANCE_WAIT);
        if (!"READY".equals(state)) {
            log("users' instance %s is %s: no users in this run", HOME, state);
            return;
        }
        log("users' instance %s ready", HOME);
        try {
            await().atMost(Duration.ofMinutes(2))
                    .pollInterval(Duration.ofMillis(500))
                    .until(() -> knows(HOME));
        } catch (org.awaitility.core.ConditionTimeoutException e) {
            log("the API does not know the users' instance %s 2 min after its READY: no users in this run", HOME);
            return;
        }
        int n = 0;
        int refusedInARow = 0;
        while (n < USERS_AT_LEAST || submitted.get() < REQUESTS || !faultsDone.get()) {
            String name = USERS + n++;
            String create =
                    send("user", "POST", "/api/v1/users", """
                    {"cluster": "%s", "name": "%s", "owner": "chaos",
                     "grants": [{"topic": "%s", "patternType": "prefixed", "operations": ["produce"]}]}""".formatted(HOME, name, USERS), "CREATE", HOME, name);
            if (create == null) {
                // a refusal is the test's mistake (the guard rails), not a fault: stop rather than spin
                if (++refusedInARow == 3) {
                    log("three user creates refused in a row: no more users in this run");
                    return;
                }
                continue;
            }
            refusedInARow = 0;
            if (!"READY".equals(awaitEnd(create))) {
                continue;
            }
            String path = "/api/v1/users/" + HOME + "/" + name;
            if (random.nextBoolean()) {
                String rotate = send("user", "POST", path + "/credentials/rotate", null, "ROTATE", HOME, name);
                if (rotate == null || awaitEnd(rotate) == null) {
                    continue;
                }
            }
            if (random.nextInt(3) > 0) {
                String delete = send("user", "DELETE", path, null, "DELETE", HOME, name);
                if (delete != null) {
                    awaitEnd(delete);
                }
            }
        }
    }

    /**
     * Sends until the API answers for good, with one Idempotency-Key for every try: a 202 (its request id), or a
     * refusal (null). Connection errors and 5xx (a replica killed, its Kafka away) are tried again.
     */
    private String send(
            String kind, String method, String path, String body, String operation, String cluster, String name) {
        String key = UUID.randomUUID().toString();
        submitted.incrementAndGet();
        long deadline = System.nanoTime() + SETTLE.toNanos();
        int attempt = 0;
        while (System.nanoTime() < deadline) {
            try {
                HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(api() + path))
                        .timeout(Duration.ofSeconds(15))
                        .header("Authorization", token)
                        .header("Idempotency-Key", key)
                        .header("Content-Type", "application/json")
                        .method(
                                method,
                                body == null
                                        ? HttpRequest.BodyPublishers.noBody()
                                        : HttpRequest.BodyPublishers.ofString(body));
                HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
                if (response.statusCode() == 202) {
                    String id = Json.MAPPER
                            .readTree(response.body())
                            .path("requestId")
                            .asText();
                    Accepted previous = accepted.putIfAbsent(id, new Accepted(id, kind, operation, cluster, name));
                    assertThat(previous)
                            .as("a second 202 with the id of another request")
                            .isNull();
                    return id;
                }
                if (response.statusCode() < 500 && response.statusCode() != 429) {
                    refused.incrementAndGet();
                    events.add("refused " + method + " " + name + ": " + response.statusCode() + " " + response.body());
                    return null;
                }
            } catch (IOException e) {
                // a replica killed or restarting
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return null;
            }
            attempt++;
            clientRetries.incrementAndGet();
            pause(Math.min(2000, 100L * attempt));
        }
        throw new IllegalStateException("no answer for " + method + " " + name + " within " + SETTLE);
    }

    /** Polls the request until it is terminal; its state, or null if it did not end within the settle time. */
    private String awaitEnd(String requestId) {
        return awaitEnd(requestId, SETTLE);
    }

    /** Polls the request until it is terminal; its state, or null if it did not end within {@code wait}. */
    private String awaitEnd(String requestId, Duration wait) {
        long deadline = System.nanoTime() + wait.toNanos();
        while (System.nanoTime() < deadline) {
            JsonNode r = get("/api/v1/requests/" + requestId);
            if (r != null) {
                String state = r.path("state").asText();
                if (Set.of("READY", "FAILED", "DELETED").contains(state)) {
                    return state;
                }
            }
            pause(300);
        }
        return null;
    }

    private JsonNode get(String path) {
        try {
            HttpResponse<String> response = http.send(
                    HttpRequest.newBuilder(URI.create(api() + path))
                            .timeout(Duration.ofSeconds(10))
                            .header("Authorization", token)
                            .GET()
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            return response.statusCode() == 200 ? Json.MAPPER.readTree(response.body()) : null;
        } catch (IOException e) {
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }

    private String api() {
        List<String> live = List.copyOf(apis);
        return suite.url(live.get(random.nextInt(live.size())));
    }

    /** Whether the API knows the cluster (the provisioner published it): a dry run does not call it unknown. */
    private boolean knows(String cluster) {
        try {
            HttpResponse<String> response = http.send(
                    HttpRequest.newBuilder(URI.create(api() + "/api/v1/topics?dryRun=true"))
                            .timeout(Duration.ofSeconds(10))
                            .header("Authorization", token)
                            .header("Content-Type", "application/json")
                            .POST(HttpRequest.BodyPublishers.ofString("""
                            {"cluster": "%s", "name": "%s.probe", "partitions": 1, "replicationFactor": 1,
                             "config": {}, "owner": "chaos"}""".formatted(cluster, RUN)))
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            return response.statusCode() == 200 && !response.body().contains("unknown cluster");
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private boolean ready(String instance) {
        try {
            return http.send(
                                    HttpRequest.newBuilder(URI.create(suite.url(instance) + "/q/health/ready"))
                                            .timeout(Duration.ofSeconds(5))
                                            .GET()
                                            .build(),
                                    HttpResponse.BodyHandlers.discarding())
                            .statusCode()
                    == 200;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private static void pause(long millis) {
        try {
            Thread.sleep(millis); // a client's pause between its own tries, not a wait for a result
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    // ---------------------------------------------------------------- the checks

    private void check() throws Exception {
        // every 202 ends, in the view of a fresh read
        Map<String, String> end = new ConcurrentHashMap<>();
        settle(
                () -> {
                    for (Accepted a : accepted.values()) {
                        if (!end.containsKey(a.requestId())) {
                            JsonNode r = get("/api/v1/requests/" + a.requestId());
                            String state = r == null ? null : r.path("state").asText();
                            if (state != null
                                    && Set.of("READY", "FAILED", "DELETED").contains(state)) {
                                end.put(
                                        a.requestId(),
                                        state
                                                + (r.hasNonNull("reason")
                                                        ? " " + r.path("reason").asText()
                                                        : ""));
                            }
                        }
                    }
                    return end.size() == accepted.size();
                },
                "every accepted request terminal");

        // what concierge.events says: the terminal states per request, and every event id
        KafkaTestClient kafka = new KafkaTestClient(broker.bootstrapServers());
        Map<String, Set<String>> terminal = new HashMap<>();
        Map<String, Integer> copies = new HashMap<>();
        Set<String> eventIds = new TreeSet<>();
        for (ConsumerRecord<String, String> r : kafka.records(ConciergeTopics.EVENTS)) {
            String id = KafkaTestClient.header(r, CloudEvents.H_ID);
            String type = KafkaTestClient.header(r, CloudEvents.H_TYPE);
            if (id == null || type == null || !CloudEvents.isRequestType(type)) {
                continue;
            }
            String requestId = id.substring(0, id.indexOf('.'));
            if (!accepted.containsKey(requestId)) {
                continue;
            }
            eventIds.add(id);
            copies.merge(id, 1, Integer::sum);
            String state = type.substring(type.lastIndexOf('.') + 1);
            // an instance's health changes after its request ended (<id>.degraded.<n>, <id>.ready.<n>) are no end
            boolean healthChange = id.indexOf('.') != id.lastIndexOf('.');
            if (Set.of("ready", "failed", "deleted").contains(state) && !healthChange) {
                terminal.computeIfAbsent(requestId, k -> new TreeSet<>()).add(state);
            }
        }
        List<String> lost = accepted.keySet().stream()
                .filter(id -> !terminal.containsKey(id))
                .sorted()
                .toList();
        List<String> twoEnds = terminal.entrySet().stream()
                .filter(e -> e.getValue().size() > 1)
                .map(e -> e.getKey() + " " + e.getValue())
                .toList();
        List<String> repeatedEvents = copies.entrySet().stream()
                .filter(e -> e.getValue() > 1)
                .map(e -> e.getKey() + " ("
                        + accepted.get(e.getKey().substring(0, e.getKey().indexOf('.')))
                                .kind() + ") x" + e.getValue())
                .sorted()
                .toList();

        // the broker: no topic of this run without a request, and each live one where the view says
        Map<String, Set<String>> onBroker = new HashMap<>();
        onBroker.put("local", topics(broker.bootstrapServers()));
        if (target != null) {
            onBroker.put("target", topics(target.bootstrapServers()));
        }
        Set<String> requested = accepted.values().stream()
                .filter(a -> a.kind().equals("topic"))
                .map(a -> a.cluster() + "/" + a.name())
                .collect(Collectors.toSet());
        List<String> orphans = new ArrayList<>();
        onBroker.forEach((cluster, names) -> names.forEach(n -> {
            if (!requested.contains(cluster + "/" + n)) {
                orphans.add(cluster + "/" + n);
            }
        }));
        List<String> mismatched = new ArrayList<>();
        for (String key : requested) {
            String cluster = key.substring(0, key.indexOf('/'));
            String name = key.substring(key.indexOf('/') + 1);
            JsonNode t = get("/api/v1/topics/" + cluster + "/" + name);
            String state = t == null ? "?" : t.path("state").asText();
            boolean exists = onBroker.get(cluster).contains(name);
            if ("READY".equals(state) && !exists || "DELETED".equals(state) && exists) {
                mismatched.add(
                        key + " is " + state + " in the view, " + (exists ? "present" : "absent") + " on the broker");
            }
        }

        // instances: on this machine exactly what the view says, and each live one answers
        Set<String> instanceNames = accepted.values().stream()
                .filter(a -> a.kind().equals("instance"))
                .map(Accepted::name)
                .collect(Collectors.toCollection(TreeSet::new));
        Map<String, String> instanceStates = new TreeMap<>();
        List<String> instanceProblems = new ArrayList<>();
        int answering = 0;
        for (String name : instanceNames) {
            JsonNode view = get("/api/v1/instances/" + name);
            String state = view == null ? "absent" : view.path("state").asText();
            instanceStates.put(name, state);
            long processes = instanceProcesses().stream()
                    .filter(h -> commandLine(h).contains(instances.resolve(name) + "/"))
                    .count();
            boolean folder = Files.exists(instances.resolve(name));
            if ("READY".equals(state)) {
                if (processes != 1 || !folder) {
                    instanceProblems.add(name + " is READY with " + processes + " broker process(es)"
                            + (folder ? "" : " and no folder"));
                }
                String problem = answers(
                        name,
                        view.path("listeners").path(0).path("bootstrapServers").asText());
                if (problem == null) {
                    answering++;
                } else {
                    instanceProblems.add(name + " is READY but does not answer: " + problem);
                }
            } else if (Set.of("DELETED", "FAILED", "absent").contains(state)) {
                if (processes > 0 || folder) {
                    instanceProblems.add(name + " is " + state + " but left " + processes + " process(es)"
                            + (folder ? " and its folder" : ""));
                }
            } else {
                instanceProblems.add(name + " is " + state + " at the end");
            }
        }
        List<String> strayInstances = new ArrayList<>();
        try (Stream<Path> dirs = Files.exists(instances) ? Files.list(instances) : Stream.empty()) {
            dirs.filter(Files::isDirectory)
                    .map(d -> d.getFileName().toString())
                    .filter(n -> !instanceNames.contains(n))
                    .forEach(n -> strayInstances.add("folder " + n));
        }
        instanceProcesses().stream()
                .filter(h ->
                        instanceNames.stream().noneMatch(n -> commandLine(h).contains(instances.resolve(n) + "/")))
                .forEach(h -> strayInstances.add("process " + h.pid()));

        // users: the SCRAM credentials on their instance are the users the view has live
        Set<String> liveUsers = new TreeSet<>();
        Set<String> userNames = accepted.values().stream()
                .filter(a -> a.kind().equals("user"))
                .map(Accepted::name)
                .collect(Collectors.toCollection(TreeSet::new));
        for (String name : userNames) {
            JsonNode u = get("/api/v1/users/" + HOME + "/" + name);
            if (u != null && "READY".equals(u.path("state").asText())) {
                liveUsers.add(name);
            }
        }
        Set<String> credentials = new TreeSet<>();
        List<String> userMismatch = new ArrayList<>();
        if ("READY".equals(instanceStates.get(HOME))) {
            try (Admin admin = Admin.create(homeAdmin(bootstrapOf(HOME)))) {
                admin.describeUserScramCredentials().all().get(30, TimeUnit.SECONDS).keySet().stream()
                        .filter(n -> n.startsWith(USERS))
                        .forEach(credentials::add);
            }
            liveUsers.stream()
                    .filter(n -> !credentials.contains(n))
                    .forEach(n -> userMismatch.add(n + " live in the view, no credential"));
            credentials.stream()
                    .filter(n -> !liveUsers.contains(n))
                    .forEach(n -> userMismatch.add(n + " has a credential, not live in the view"));
        }

        // the webhook: every event at least once, a repeat only under the same webhook-id
        Map<String, Set<String>> webhookIds = new HashMap<>();
        int deliveries = 0;
        settle(() -> received().keySet().containsAll(eventIds), "every event at the webhook");
        for (WebhookReceiver r : receivers) {
            for (WebhookReceiver.Delivery d : r.accepted()) {
                JsonNode body = Json.MAPPER.readTree(d.body());
                String eventId = body.path("id").asText();
                if (eventIds.contains(eventId)) {
                    deliveries++;
                    webhookIds.computeIfAbsent(eventId, k -> new TreeSet<>()).add(d.id());
                }
            }
        }
        List<String> undelivered =
                eventIds.stream().filter(id -> !webhookIds.containsKey(id)).toList();
        List<String> differentIds = webhookIds.entrySet().stream()
                .filter(e -> e.getValue().size() > 1 || !e.getValue().contains(e.getKey()))
                .map(e -> e.getKey() + " " + e.getValue())
                .toList();

        Map<String, Long> byEnd =
                new TreeMap<>(end.values().stream().collect(Collectors.groupingBy(s -> s, Collectors.counting())));
        Map<String, Long> byKind = new TreeMap<>(end.entrySet().stream()
                .collect(Collectors.groupingBy(
                        e -> {
                            Accepted a = accepted.get(e.getKey());
                            return a.kind() + " " + a.operation() + " " + e.getValue();
                        },
                        Collectors.counting())));
        long seconds = Duration.ofNanos(System.nanoTime() - started).toSeconds();
        String summary = String.join(
                "\n",
                "==== chaos summary (" + (LONG ? "long" : "short") + " form, " + seconds + " s) ====",
                "requests sent " + submitted.get() + ", accepted (202) " + accepted.size() + ", refused "
                        + refused.get() + ", client retries " + clientRetries.get(),
                "terminal " + end.size() + " " + byEnd,
                "by kind: " + byKind,
                "lost " + lost.size()
                        + lost.stream().limit(10).map(accepted::get).toList() + ", stuck "
                        + (accepted.size() - end.size()) + ", two ends " + twoEnds.size()
                        + ", events written more than once " + repeatedEvents.size()
                        + repeatedEvents.stream().limit(5).toList(),
                "topics on the brokers without a request " + orphans.size() + ", view and broker disagree "
                        + mismatched.size(),
                "instances " + instanceNames.size() + " "
                        + instanceStates.values().stream()
                                .collect(Collectors.groupingBy(x -> x, TreeMap::new, Collectors.counting()))
                        + ", live ones answering " + answering + ", on this machine not as the view says "
                        + instanceProblems.size() + instanceProblems + ", without a request "
                        + strayInstances.size() + strayInstances,
                "users " + userNames.size() + ", live in the view " + liveUsers.size() + ", SCRAM credentials on "
                        + HOME + " " + credentials.size() + ", disagree " + userMismatch.size() + userMismatch,
                "events expected at the webhook " + eventIds.size() + ", deliveries received " + deliveries
                        + ", undelivered " + undelivered.size() + ", repeats under another webhook-id "
                        + differentIds.size(),
                "health went DOWN while its Kafka was gone: " + healthDownSeen,
                "faults: "
                        + String.join(
                                "; ",
                                events.stream()
                                        .filter(e -> !e.startsWith("refused"))
                                        .toList()));
        System.out.println(summary);
        Files.writeString(
                Path.of("target", "e2e-logs", "chaos-summary.txt"), summary + "\n" + String.join("\n", events) + "\n");

        assertThat(accepted.size()).as("requests accepted").isGreaterThanOrEqualTo(REQUESTS / 2);
        assertThat(lost).as("requests with no terminal event").isEmpty();
        assertThat(twoEnds).as("requests with two terminal states").isEmpty();
        assertThat(orphans).as("topics without a request").isEmpty();
        assertThat(mismatched).as("view against broker").isEmpty();
        assertThat(instanceProblems).as("instances: view against this machine").isEmpty();
        assertThat(strayInstances)
                .as("instance folders or processes without a request")
                .isEmpty();
        assertThat(userMismatch).as("users: view against the SCRAM credentials").isEmpty();
        assertThat(undelivered).as("events never delivered").isEmpty();
        assertThat(differentIds).as("repeats under another webhook-id").isEmpty();
        assertThat(healthDownSeen).as("not ready without their Kafka").contains(Suite.API, Suite.NOTIFIER);
        // nothing in flight at the end: every request of the run ended
        assertThat(end).hasSize(accepted.size());
    }

    /** Waits up to the settle time for the condition; what is still missing then is in the summary. */
    private void settle(java.util.concurrent.Callable<Boolean> condition, String what) {
        try {
            await().atMost(SETTLE).pollInterval(Duration.ofSeconds(1)).until(condition);
        } catch (org.awaitility.core.ConditionTimeoutException e) {
            log("not settled within %s: %s", SETTLE, what);
        }
    }

    private Map<String, Long> received() {
        Map<String, Long> ids = new HashMap<>();
        for (WebhookReceiver r : receivers) {
            for (WebhookReceiver.Delivery d : r.accepted()) {
                try {
                    ids.merge(Json.MAPPER.readTree(d.body()).path("id").asText(), 1L, Long::sum);
                } catch (IOException e) {
                    // not JSON: not ours
                }
            }
        }
        return ids;
    }

    private static Set<String> topics(String bootstrap) throws Exception {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
            return admin.listTopics().names().get(30, TimeUnit.SECONDS).stream()
                    .filter(n -> n.startsWith(RUN))
                    .collect(Collectors.toCollection(TreeSet::new));
        }
    }

    /** Null when a metadata call to the instance answers (as the concierge's super user on the secured one). */
    private String answers(String name, String bootstrap) {
        Map<String, Object> settings = name.equals(HOME)
                ? homeAdmin(bootstrap)
                : Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        try (Admin admin = Admin.create(settings)) {
            return admin.describeCluster().nodes().get(30, TimeUnit.SECONDS).isEmpty() ? "no broker" : null;
        } catch (Exception e) {
            return e.toString();
        }
    }

    private String bootstrapOf(String instance) {
        JsonNode view = get("/api/v1/instances/" + instance);
        return view == null
                ? null
                : view.path("listeners").path(0).path("bootstrapServers").asText();
    }

    /** Client settings of the concierge's super user on {@link #HOME}: its password opened from the backend's record. */
    private Map<String, Object> homeAdmin(String bootstrap) {
        String password;
        try {
            password = new SecretBox(Optional.of(Suite.TEST_SECRETS_KEY), "test")
                    .open(Json.MAPPER
                            .readTree(instances
                                    .resolve(HOME)
                                    .resolve("instance.json")
                                    .toFile())
                            .path("adminCredential")
                            .asText());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return Map.of(
                AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG,
                bootstrap,
                CommonClientConfigs.SECURITY_PROTOCOL_CONFIG,
                "SASL_PLAINTEXT",
                SaslConfigs.SASL_MECHANISM,
                "SCRAM-SHA-512",
                SaslConfigs.SASL_JAAS_CONFIG,
                "org.apache.kafka.common.security.scram.ScramLoginModule required username=\"concierge-admin\""
                        + " password=\"" + password + "\";");
    }

    /** The broker processes of the run's instances (the services' command lines name the root too). */
    private List<ProcessHandle> instanceProcesses() {
        return ProcessHandle.allProcesses()
                .filter(h -> {
                    String c = commandLine(h);
                    return c.contains(instances.toString()) && c.contains("io.kafkaconcierge.localkafka.BrokerMain");
                })
                .toList();
    }

    /** The whole command line, from /proc (the JDK's view of it is cut short for a long classpath). */
    private static String commandLine(ProcessHandle h) {
        try {
            return new String(
                            Files.readAllBytes(Path.of("/proc", String.valueOf(h.pid()), "cmdline")),
                            StandardCharsets.UTF_8)
                    .replace('\0', ' ');
        } catch (IOException e) {
            return "";
        }
    }

    private static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(java.util.Comparator.reverseOrder())
                    .forEach(p -> p.toFile().delete());
        }
    }

    private void log(String format, Object... args) {
        String line = String.format("[%5.1fs] ", (System.nanoTime() - started) / 1e9) + String.format(format, args);
        events.add(line);
        System.out.println(line);
    }
}
