package io.kafkaconcierge.e2e;

import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kafkaconcierge.contracts.AuditRecord;
import io.kafkaconcierge.contracts.CloudEvents;
import io.kafkaconcierge.contracts.ClusterInfo;
import io.kafkaconcierge.contracts.ConciergeTopics;
import io.kafkaconcierge.contracts.Json;
import io.kafkaconcierge.contracts.Operation;
import io.kafkaconcierge.contracts.RequestCommand;
import io.kafkaconcierge.contracts.RequestState;
import io.kafkaconcierge.contracts.Requester;
import io.kafkaconcierge.contracts.StatusEvent;
import io.kafkaconcierge.contracts.TopicChange;
import io.kafkaconcierge.contracts.TopicSpec;
import io.kafkaconcierge.testing.TestIdentity;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeader;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

/**
 * The API's view at scale, measured from outside: {@code bench.resources} topics (100,000 by default) and their
 * requests written straight to the concierge topics the way the suite would have written them, then the packaged
 * API (a process of its own, as {@link Suite} starts it) against a broker in its own process ({@link BrokerProcess}).
 * Prints the time from the API's process start to {@code /q/health/ready} (the view read), its live heap after a
 * full GC against the same API with an empty view (so heap per resource), its resident memory, the largest classes
 * the resources add, the time to ready again after a crash (SIGKILL and a new process), and the latency of
 * {@code GET} of one topic or request and of a list page measured with Debian's {@code wrk} ({@code bin/bench/paths.lua}).
 *
 * <p>What each resource is, as the suite would have left it (the mix): a topic of 3 partitions of one of 20 teams,
 * asked by a member of the team: its create command on {@code concierge.requests} (keyed by the resource), its
 * ACCEPTED, PROVISIONING and READY events on {@code concierge.events} (CloudEvents headers as the provisioner writes
 * them), the ledger's reservation and settle on {@code concierge.ledger} (as the guard rails write them, so the API
 * finds every charge in place and writes nothing), and the two audit records (the API's acceptance, the provisioner's
 * PROVISIONED) on {@code concierge.audit}. Every tenth topic also has an update (a new retention.ms) with its own
 * command, three events and two audit records, and no ledger record (a change of retention.ms grows no usage). So
 * N resources are 1.1 N requests and 3.3 N events.
 *
 * <p>Run with {@code bin/benchmark -Dit.test=ViewBenchmark -Dbench.resources=100000 -Dbroker.heap=1g}. Not a test: it
 * asserts nothing about speed, only that the setup worked (the API sees every resource, every answer is 200).
 * {@code -Dbench.seconds=20} is the length of each wrk run; {@code -Dsuite.jvm.args=-Xmx1g} gives the API more heap
 * than the suite's 512 MiB.
 */
class ViewBenchmark {

    private static final int RESOURCES = Integer.getInteger("bench.resources", 100_000);
    private static final int SECONDS = Integer.getInteger("bench.seconds", 20);
    private static final int TEAMS = 20;
    private static final int UPDATE_EVERY = 10;
    private static final int PARTITIONS = 3;
    private static final String CLUSTER = "local";
    private static final int PAGE_SIZE = 50;
    private static final Duration READY_WITHIN = Duration.ofMinutes(15);
    private static final Path WORK = Path.of("target", "view-bench");

    private final HttpClient http = HttpClient.newHttpClient();

    @Test
    void benchmark() throws Exception {
        Files.createDirectories(WORK);
        BrokerProcess broker = new BrokerProcess("view-bench-kafka");
        broker.start();
        try (Suite suite = new Suite(broker.bootstrapServers(), broker::close, Map.of());
                Admin admin =
                        Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers()))) {
            try (KafkaProducer<String, byte[]> producer = producer(broker.bootstrapServers())) {
                producer.send(new ProducerRecord<>(
                                ConciergeTopics.CLUSTERS,
                                CLUSTER,
                                Json.write(new ClusterInfo(
                                        CLUSTER, broker.bootstrapServers(), 1, true, null, Instant.now(), "dev"))))
                        .get();
            }

            // the baseline: the same API with an empty view
            Started empty = start(suite, "view-api-empty");
            awaitAudit(empty.url(), 0);
            awaitGuardRounds(empty.url());
            Heap heapEmpty = heap(empty.pid());
            suite.stop("view-api-empty");

            Written written = write(broker.bootstrapServers());

            // the first start over N resources: the view is built from the topics
            Started first = start(suite, "view-api");
            long ledgerAtReady = endOffsets(admin, ConciergeTopics.LEDGER);
            int audit = awaitAudit(first.url(), written.auditRecords());
            checkView(first.url(), written);
            awaitGuardRounds(first.url());
            long ledgerWrites = endOffsets(admin, ConciergeTopics.LEDGER) - ledgerAtReady;
            if (ledgerWrites != 0) {
                throw new IllegalStateException("the API wrote " + ledgerWrites
                        + " ledger records after start: the benchmark's ledger is not what the guard rails expect");
            }
            Heap heapFull = heap(first.pid());

            suite.kill("view-api");

            // the same without the audit view (it keeps 1 record): what of the heap is the audit's
            Heap heapNoAudit;
            try (Suite noAudit =
                    new Suite(broker.bootstrapServers(), () -> {}, Map.of("concierge.api.audit.kept", "1"))) {
                Started started = start(noAudit, "view-api-no-audit");
                awaitAudit(started.url(), 1);
                awaitGuardRounds(started.url());
                heapNoAudit = heap(started.pid());
            }

            // a crash (the SIGKILL above) and a new process: the view is built again
            Started restart = start(suite, "view-api");
            awaitAudit(restart.url(), written.auditRecords());

            String adminToken = TestIdentity.admin();
            String memberToken = TestIdentity.member("user-03", team(3));
            Path topicPaths = paths("topics", written.topicPaths());
            Path requestPaths = paths("requests", written.requestPaths());
            Path firstPage = paths("first-page", List.of("/api/v1/topics?page=0&size=" + PAGE_SIZE));
            int lastPage = (RESOURCES - 1) / PAGE_SIZE;
            Path deepPage = paths("deep-page", List.of("/api/v1/topics?page=" + lastPage + "&size=" + PAGE_SIZE));

            // warm-up, not reported: JIT, connections
            wrk(restart.url(), topicPaths, adminToken, 2, 16, 10);
            wrk(restart.url(), firstPage, adminToken, 1, 1, 5);
            Map<String, Wrk> runs = new LinkedHashMap<>();
            long cpuBefore = cpuMillis(restart.pid());
            runs.put(
                    "GET /api/v1/topics/{cluster}/{name}, random of N, admin, -c16",
                    wrk(restart.url(), topicPaths, adminToken, 2, 16, SECONDS));
            runs.put(
                    "GET /api/v1/requests/{id}, random of 1.1 N, admin, -c16",
                    wrk(restart.url(), requestPaths, adminToken, 2, 16, SECONDS));
            runs.put(
                    "GET /api/v1/topics?page=0&size=50, admin (all N), -c1",
                    wrk(restart.url(), firstPage, adminToken, 1, 1, SECONDS));
            runs.put(
                    "GET /api/v1/topics?page=0&size=50, admin (all N), -c16",
                    wrk(restart.url(), firstPage, adminToken, 2, 16, SECONDS));
            runs.put(
                    "GET /api/v1/topics?page=" + lastPage + "&size=50 (last page), admin, -c1",
                    wrk(restart.url(), deepPage, adminToken, 1, 1, SECONDS));
            runs.put(
                    "GET /api/v1/topics?page=0&size=50, a member of 1 team (N/20 visible), -c1",
                    wrk(restart.url(), firstPage, memberToken, 1, 1, SECONDS));
            long cpuDuringLoad = cpuMillis(restart.pid()) - cpuBefore;
            long rssAfterLoad = rssKib(restart.pid());
            long ledgerDuringRun = endOffsets(admin, ConciergeTopics.LEDGER) - ledgerAtReady;
            Heap heapAfterLoad = heap(restart.pid());

            print(
                    written,
                    audit,
                    empty,
                    heapEmpty,
                    first,
                    heapFull,
                    heapNoAudit,
                    restart,
                    runs,
                    cpuDuringLoad,
                    rssAfterLoad,
                    heapAfterLoad,
                    ledgerDuringRun);
        }
    }

    // ---- the data: what the suite would have written for N resources

    private record Written(
            List<String> topicPaths,
            List<String> requestPaths,
            long records,
            long bytes,
            int auditRecords,
            long millis,
            String updatedName) {}

    private static String team(int t) {
        return String.format("team-%02d", t);
    }

    private Written write(String bootstrap) throws Exception {
        List<String> topicPaths = new ArrayList<>(RESOURCES);
        List<String> requestPaths = new ArrayList<>(RESOURCES + RESOURCES / UPDATE_EVERY);
        AtomicReference<Exception> failure = new AtomicReference<>();
        long[] records = {0};
        long[] bytes = {0};
        int audits = 0;
        String updatedName = null;
        Instant now = Instant.now();
        // created over the last 6 days, within the topics' retention (30 days) and the audit's window (30 days)
        Instant base = now.minus(Duration.ofDays(6));
        long spacingMicros = Duration.ofDays(5).toNanos() / 1000 / RESOURCES;
        long start = System.nanoTime();
        try (KafkaProducer<String, byte[]> producer = producer(bootstrap)) {
            Sender send = (topic, key, value, headers) -> {
                records[0]++;
                bytes[0] += value.length;
                producer.send(new ProducerRecord<>(topic, null, key, value, headers), (m, e) -> {
                    if (e != null) {
                        failure.compareAndSet(null, e);
                    }
                });
            };
            for (int i = 0; i < RESOURCES; i++) {
                int t = i % TEAMS;
                String team = team(t);
                String name = String.format("%s.view.%06d", team, i);
                String user = String.format("user-%02d", t);
                Requester requester = new Requester(user, user, null);
                TopicSpec spec = new TopicSpec(
                        CLUSTER,
                        name,
                        PARTITIONS,
                        (short) 1,
                        Map.of("retention.ms", "604800000", "cleanup.policy", "delete"),
                        team,
                        "Benchmark topic " + i + " of " + team);
                Instant accepted = base.plusNanos(spacingMicros * 1000 * i);
                RequestCommand create = command(Operation.CREATE, spec, null, accepted, requester);
                Instant ready = request(send, create, team);
                audits += 2;
                ledger(send, create, team, ready);
                topicPaths.add("/api/v1/topics/" + CLUSTER + "/" + name);
                requestPaths.add("/api/v1/requests/" + create.requestId());
                if (i % UPDATE_EVERY == UPDATE_EVERY - 1) {
                    TopicChange change = new TopicChange(null, Map.of("retention.ms", "1209600000"), null);
                    RequestCommand update = command(
                            Operation.UPDATE, spec.apply(change), change, ready.plus(Duration.ofHours(12)), requester);
                    request(send, update, team);
                    audits += 2;
                    requestPaths.add("/api/v1/requests/" + update.requestId());
                    updatedName = name;
                }
                if (failure.get() != null) {
                    throw failure.get();
                }
            }
            producer.flush();
        }
        if (failure.get() != null) {
            throw failure.get();
        }
        return new Written(
                topicPaths,
                requestPaths,
                records[0],
                bytes[0],
                audits,
                (System.nanoTime() - start) / 1_000_000,
                updatedName);
    }

    @FunctionalInterface
    private interface Sender {
        void send(String topic, String key, byte[] value, List<Header> headers);
    }

    private static RequestCommand command(
            Operation operation, TopicSpec spec, TopicChange change, Instant acceptedAt, Requester requester) {
        String hash = (UUID.randomUUID().toString() + UUID.randomUUID()).replace("-", "");
        return new RequestCommand(
                        UUID.randomUUID().toString(), operation, spec.ref(), spec, change, null, hash, acceptedAt)
                .by(requester);
    }

    /** The command, its three events as the provisioner writes them, and both audit records; returns READY's time. */
    private static Instant request(Sender send, RequestCommand command, String team) {
        String key = command.resource().key();
        send.send(ConciergeTopics.REQUESTS, key, Json.write(command), List.of());
        Instant accepted = command.acceptedAt();
        Instant ready = accepted.plusMillis(900);
        audit(
                send,
                new AuditRecord(
                        UUID.randomUUID().toString(),
                        accepted,
                        team,
                        command.requestedBy().subject(),
                        command.requestedBy().name(),
                        null,
                        "topic." + command.operation().name().toLowerCase(),
                        AuditRecord.Decision.ACCEPTED,
                        null,
                        null,
                        202,
                        command.requestId(),
                        key,
                        "concierge-api"));
        event(send, StatusEvent.of(command, RequestState.ACCEPTED, accepted.plusMillis(40)));
        event(send, StatusEvent.of(command, RequestState.PROVISIONING, accepted.plusMillis(55)));
        StatusEvent done = StatusEvent.of(command, RequestState.READY, ready);
        event(send, done);
        audit(
                send,
                new AuditRecord(
                        done.eventId(),
                        ready,
                        team,
                        "system:provisioner",
                        null,
                        null,
                        "topic." + command.operation().name().toLowerCase(),
                        AuditRecord.Decision.PROVISIONED,
                        null,
                        null,
                        null,
                        command.requestId(),
                        key,
                        "provisioner"));
        return ready;
    }

    private static void event(Sender send, StatusEvent event) {
        String type = event.eventType();
        send.send(
                ConciergeTopics.EVENTS,
                event.resource().key(),
                Json.write(event),
                headers(Map.of(
                        CloudEvents.H_SPECVERSION,
                        CloudEvents.SPEC_VERSION,
                        CloudEvents.H_ID,
                        event.eventId(),
                        CloudEvents.H_TYPE,
                        type,
                        CloudEvents.H_SOURCE,
                        "/kafka-concierge/provisioner",
                        CloudEvents.H_SUBJECT,
                        event.resource().key(),
                        CloudEvents.H_TIME,
                        event.time().toString(),
                        CloudEvents.H_DATASCHEMA,
                        CloudEvents.dataSchema(type),
                        CloudEvents.H_CONTENT_TYPE,
                        CloudEvents.CONTENT_TYPE_JSON)));
    }

    private static void audit(Sender send, AuditRecord record) {
        send.send(
                ConciergeTopics.AUDIT,
                record.team(),
                Json.write(record),
                headers(Map.of(
                        CloudEvents.H_SPECVERSION,
                        CloudEvents.SPEC_VERSION,
                        CloudEvents.H_ID,
                        record.id(),
                        CloudEvents.H_TYPE,
                        AuditRecord.TYPE,
                        CloudEvents.H_SOURCE,
                        "/kafka-concierge/" + record.service(),
                        CloudEvents.H_TIME,
                        record.time().toString(),
                        CloudEvents.H_CONTENT_TYPE,
                        CloudEvents.CONTENT_TYPE_JSON)));
    }

    /**
     * The guard rails' records of a create (the API's ledger records are its own classes, so written here as the
     * JSON it reads): the reservation of its growth, under no quota, and the settle that closes it and charges the
     * team with the topic once it is READY.
     */
    private static void ledger(Sender send, RequestCommand create, String team, Instant ready) {
        ObjectNode usage = Json.MAPPER
                .createObjectNode()
                .put("topics", 1)
                .put("partitions", PARTITIONS)
                .put("storageBytes", 0)
                .put("instances", 0)
                .put("brokers", 0)
                .put("unboundedStorage", true); // no retention.bytes
        ObjectNode reserve = Json.MAPPER
                .createObjectNode()
                .put("type", "reserve")
                .put("requestId", create.requestId())
                .put("team", team)
                .put("resource", create.resource().key());
        reserve.set("delta", usage);
        reserve.set("limits", Json.MAPPER.createObjectNode());
        reserve.put("at", create.acceptedAt().toString());
        send.send(ConciergeTopics.LEDGER, team, Json.write(reserve), List.of());
        ObjectNode settle = Json.MAPPER
                .createObjectNode()
                .put("type", "settle")
                .put("requestId", create.requestId())
                .put("team", team)
                .put("resource", create.resource().key());
        settle.set("charge", usage);
        settle.put("asOf", ready.toString());
        send.send(ConciergeTopics.LEDGER, team, Json.write(settle), List.of());
    }

    private static List<Header> headers(Map<String, String> values) {
        return values.entrySet().stream()
                .map(e -> (Header) new RecordHeader(e.getKey(), e.getValue().getBytes(StandardCharsets.UTF_8)))
                .toList();
    }

    private static KafkaProducer<String, byte[]> producer(String bootstrap) {
        return new KafkaProducer<>(
                Map.of(
                        ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
                        bootstrap,
                        ProducerConfig.ACKS_CONFIG,
                        "all",
                        ProducerConfig.LINGER_MS_CONFIG,
                        20,
                        ProducerConfig.BATCH_SIZE_CONFIG,
                        256 * 1024,
                        ProducerConfig.BUFFER_MEMORY_CONFIG,
                        128L * 1024 * 1024),
                new StringSerializer(),
                new ByteArraySerializer());
    }

    // ---- the API process

    private record Started(long pid, String url, long readyMillis, double quarkusStartedSeconds) {}

    /** Starts the packaged API and waits until it is ready: the time from the process start to the first 200. */
    private Started start(Suite suite, String instance) throws Exception {
        long t0 = System.nanoTime();
        suite.launch(Suite.API, instance);
        int port = suite.port(instance);
        String url = suite.url(instance);
        long pid = ProcessHandle.current()
                .children()
                .filter(p -> p.info()
                        .arguments()
                        .map(args -> List.of(args).contains("-Dquarkus.http.port=" + port))
                        .orElse(false))
                .findFirst()
                .orElseThrow(() -> new IllegalStateException("no process of " + instance))
                .pid();
        await(instance + " ready")
                .atMost(READY_WITHIN)
                .pollInterval(Duration.ofMillis(100))
                .until(() -> {
                    if (!suite.alive(instance)) {
                        throw new IllegalStateException(instance + " exited; see target/e2e-logs/" + instance + ".log");
                    }
                    return status(url + "/q/health/ready", null) == 200;
                });
        long ready = (System.nanoTime() - t0) / 1_000_000;
        return new Started(pid, url, ready, startedIn(instance));
    }

    /** What Quarkus says its own start took (the last "started in" of the instance's log), or -1. */
    private static double startedIn(String instance) throws IOException {
        Matcher m = Pattern.compile("started in ([0-9.]+)s")
                .matcher(Files.readString(Path.of("target", "e2e-logs", instance + ".log")));
        double seconds = -1;
        while (m.find()) {
            seconds = Double.parseDouble(m.group(1));
        }
        return seconds;
    }

    private int status(String url, String token) {
        try {
            return get(url, token).statusCode();
        } catch (IOException e) {
            return -1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
    }

    private HttpResponse<String> get(String url, String token) throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(30));
        if (token != null) {
            request.header("Authorization", TestIdentity.bearer(token));
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    /** Waits until the API has read the audit (not part of its readiness) and answers how many records it keeps. */
    private int awaitAudit(String url, int written) {
        String token = TestIdentity.admin();
        AtomicInteger total = new AtomicInteger();
        await("the audit read")
                .atMost(READY_WITHIN)
                .pollInterval(Duration.ofMillis(200))
                .until(() -> {
                    HttpResponse<String> r = get(url + "/api/v1/audit?size=1", token);
                    if (r.statusCode() == 503) {
                        return false;
                    }
                    if (r.statusCode() != 200) {
                        throw new IllegalStateException(
                                "GET /api/v1/audit answered " + r.statusCode() + ": " + r.body());
                    }
                    total.set(Json.MAPPER.readTree(r.body()).path("total").asInt());
                    return total.get() >= Math.min(written, 100_000);
                });
        return total.get();
    }

    /**
     * Waits until the API's guard rails' reconciler has finished two rounds since its start (the first one a full
     * sweep of the charges): what the API does on its own at start is over before a figure is taken.
     */
    private static void awaitGuardRounds(String url) {
        await("two rounds of the guard rails")
                .atMost(Duration.ofMinutes(2))
                .pollInterval(Duration.ofMillis(200))
                .until(() -> SuiteBenchmark.metric(url + "/q/metrics", "concierge_guard_reconciler_rounds_total") >= 2);
    }

    /** The setup worked: the API lists every resource, a member sees the team's, an updated topic shows its update. */
    private void checkView(String url, Written written) throws Exception {
        String admin = TestIdentity.admin();
        JsonNode all =
                Json.MAPPER.readTree(get(url + "/api/v1/topics?size=1", admin).body());
        if (all.path("total").asLong() != RESOURCES) {
            throw new IllegalStateException("the API lists " + all.path("total") + " topics, not " + RESOURCES);
        }
        long ofTeam3 = (RESOURCES - 3 + TEAMS - 1) / TEAMS;
        JsonNode mine = Json.MAPPER.readTree(get(url + "/api/v1/topics?size=1", TestIdentity.member("user-03", team(3)))
                .body());
        if (mine.path("total").asLong() != ofTeam3) {
            throw new IllegalStateException(
                    "a member of " + team(3) + " sees " + mine.path("total") + " topics, not " + ofTeam3);
        }
        if (written.updatedName() != null) {
            JsonNode topic =
                    Json.MAPPER.readTree(get(url + "/api/v1/topics/" + CLUSTER + "/" + written.updatedName(), admin)
                            .body());
            if (!"READY".equals(topic.path("state").asText())
                    || !"1209600000"
                            .equals(topic.path("spec")
                                    .path("config")
                                    .path("retention.ms")
                                    .asText())) {
                throw new IllegalStateException("an updated topic reads as " + topic);
            }
        }
    }

    private static long cpuMillis(long pid) {
        return ProcessHandle.of(pid)
                .flatMap(p -> p.info().totalCpuDuration())
                .map(Duration::toMillis)
                .orElse(0L);
    }

    private static long rssKib(long pid) throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc", String.valueOf(pid), "status"))) {
            if (line.startsWith("VmRSS:")) {
                return Long.parseLong(line.replaceAll("\\D", ""));
            }
        }
        return -1;
    }

    private static long endOffsets(Admin admin, String topic) throws Exception {
        int partitions = admin.describeTopics(List.of(topic))
                .allTopicNames()
                .get()
                .get(topic)
                .partitions()
                .size();
        Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
        for (int p = 0; p < partitions; p++) {
            latest.put(new TopicPartition(topic, p), OffsetSpec.latest());
        }
        return admin.listOffsets(latest).all().get().values().stream()
                .mapToLong(o -> o.offset())
                .sum();
    }

    // ---- heap: jcmd's class histogram (a full GC first, live objects only)

    private record Heap(long liveBytes, Map<String, Long> byClass, long committedKib, String gc, long rssKib) {}

    private static Heap heap(long pid) throws Exception {
        String histogram = jcmd(pid, "GC.class_histogram");
        long rss = rssKib(pid);
        Map<String, Long> byClass = new HashMap<>();
        long total = -1;
        Pattern row = Pattern.compile("^\\s*\\d+:\\s+(\\d+)\\s+(\\d+)\\s+(\\S+)");
        for (String line : histogram.split("\n")) {
            Matcher m = row.matcher(line);
            if (m.find()) {
                byClass.merge(m.group(3), Long.parseLong(m.group(2)), Long::sum);
            } else if (line.startsWith("Total")) {
                total = Long.parseLong(line.trim().split("\\s+")[2]);
            }
        }
        String info = jcmd(pid, "GC.heap_info");
        long committed = 0;
        Matcher m = Pattern.compile("total (\\d+)K, used (\\d+)K").matcher(info);
        while (m.find()) {
            committed += Long.parseLong(m.group(1));
        }
        String gc = info.lines()
                .filter(l -> !l.isBlank() && !l.startsWith(pid + ":"))
                .findFirst()
                .map(l -> l.trim().replaceAll("\\s+total.*", ""))
                .orElse("?");
        return new Heap(total, byClass, committed, gc, rss);
    }

    private static String jcmd(long pid, String command) throws Exception {
        Path jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd");
        Process p = new ProcessBuilder(jcmd.toString(), String.valueOf(pid), command)
                .redirectErrorStream(true)
                .start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(5, TimeUnit.MINUTES) || p.exitValue() != 0) {
            throw new IllegalStateException("jcmd " + command + " failed: " + out);
        }
        return out;
    }

    // ---- latency: wrk from outside

    private record Wrk(long requests, double rate, double p50, double p90, double p99, double max, String statuses) {}

    private static Path paths(String name, List<String> paths) throws IOException {
        Path file = WORK.resolve(name + ".paths").toAbsolutePath();
        Files.write(file, paths);
        return file;
    }

    /** One wrk run with bin/bench/paths.lua; every answer must be a 200. */
    private static Wrk wrk(String url, Path paths, String token, int threads, int connections, int seconds)
            throws Exception {
        Path script = Path.of(System.getProperty("concierge.apps.dir", ".."), "bin", "bench", "paths.lua")
                .toAbsolutePath();
        ProcessBuilder builder = new ProcessBuilder(
                        "wrk",
                        "-t" + threads,
                        "-c" + connections,
                        "-d" + seconds + "s",
                        "--timeout",
                        "30s",
                        "-s",
                        script.toString(),
                        url)
                .redirectErrorStream(true);
        builder.environment().put("BENCH_TOKEN", token);
        builder.environment().put("BENCH_PATHS", paths.toString());
        Process p = builder.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        p.waitFor();
        Matcher m = Pattern.compile("RESULT requests=(\\d+) seconds=\\S+ rate=(\\d+) p50=([0-9.]+) p90=([0-9.]+) "
                        + "p99=([0-9.]+) max=([0-9.]+) errors=(\\d+) statuses=(\\S*)")
                .matcher(out);
        if (!m.find()) {
            throw new IllegalStateException("wrk printed no RESULT:\n" + out);
        }
        Wrk result = new Wrk(
                Long.parseLong(m.group(1)),
                Double.parseDouble(m.group(2)),
                Double.parseDouble(m.group(3)),
                Double.parseDouble(m.group(4)),
                Double.parseDouble(m.group(5)),
                Double.parseDouble(m.group(6)),
                m.group(8));
        if (!m.group(7).equals("0") || !result.statuses().matches("200:\\d+")) {
            throw new IllegalStateException(
                    "wrk on " + paths.getFileName() + ": errors " + m.group(7) + ", statuses " + result.statuses());
        }
        return result;
    }

    // ---- the figures

    private static void print(
            Written written,
            int audit,
            Started empty,
            Heap heapEmpty,
            Started first,
            Heap heapFull,
            Heap heapNoAudit,
            Started restart,
            Map<String, Wrk> runs,
            long cpuDuringLoad,
            long rssAfterLoad,
            Heap heapAfterLoad,
            long ledgerDuringRun)
            throws IOException {
        double mib = 1024 * 1024;
        int requests = written.requestPaths().size();
        System.out.printf(
                "%n=== Kafka Concierge benchmark: the API's view at %,d resources (%d cores, load average %s; "
                        + "API and broker each a process of its own, wrk %s) ===%n",
                RESOURCES,
                Runtime.getRuntime().availableProcessors(),
                Files.readString(Path.of("/proc/loadavg")).trim().split(" ")[0],
                "-s bin/bench/paths.lua");
        System.out.printf(
                "setup: %,d topics of %d partitions, %d teams; every %dth also updated: %,d requests, %,d events, "
                        + "%,d ledger and %,d audit records (%,d records, %.0f MiB) written in %,d ms%n",
                RESOURCES,
                PARTITIONS,
                TEAMS,
                UPDATE_EVERY,
                requests,
                3L * requests,
                2L * RESOURCES,
                written.auditRecords(),
                written.records(),
                written.bytes() / mib,
                written.millis());
        System.out.printf(
                "       API: -Xmx512m (Suite)%s, %s; broker -Xmx%s%n",
                System.getProperty("suite.jvm.args", "").isBlank()
                        ? ""
                        : " then " + System.getProperty("suite.jvm.args").trim(),
                heapFull.gc(),
                System.getProperty("broker.heap", "384m"));
        System.out.printf(
                "(a) process start to /q/health/ready UP: empty view %,d ms; %,d resources %,d ms (first start), "
                        + "%,d ms (a new process after SIGKILL); of it Quarkus's own \"started in\" %.1f / %.1f / %.1f s%n",
                empty.readyMillis(),
                RESOURCES,
                first.readyMillis(),
                restart.readyMillis(),
                empty.quarkusStartedSeconds(),
                first.quarkusStartedSeconds(),
                restart.quarkusStartedSeconds());
        long added = heapFull.liveBytes() - heapEmpty.liveBytes();
        System.out.printf(
                "(b) live heap after a full GC: empty %.1f MiB, %,d resources %.1f MiB: %,d bytes per resource "
                        + "(%,d per request); heap committed %.0f MiB; RSS empty %.0f MiB, full %.0f MiB, "
                        + "after the load %.0f MiB%n",
                heapEmpty.liveBytes() / mib,
                RESOURCES,
                heapFull.liveBytes() / mib,
                added / RESOURCES,
                added / requests,
                heapFull.committedKib() / 1024.0,
                heapEmpty.rssKib() / 1024.0,
                heapFull.rssKib() / 1024.0,
                rssAfterLoad / 1024.0);
        System.out.printf(
                "    of which the audit view (%,d records of %,d written; at most concierge.api.audit.kept, 100,000 by "
                        + "default): %,d bytes per resource, from the same API keeping 1 record (live heap %.1f MiB)%n",
                audit,
                written.auditRecords(),
                (heapFull.liveBytes() - heapNoAudit.liveBytes()) / RESOURCES,
                heapNoAudit.liveBytes() / mib);
        System.out.println("    what the resources add, by class (bytes per resource):");
        heapFull.byClass().entrySet().stream()
                .map(e ->
                        Map.entry(e.getKey(), e.getValue() - heapEmpty.byClass().getOrDefault(e.getKey(), 0L)))
                .sorted(Map.Entry.<String, Long>comparingByValue().reversed())
                .limit(12)
                .forEach(e -> System.out.printf("      %-60s %,6d%n", e.getKey(), e.getValue() / RESOURCES));
        System.out.printf(
                "    live heap after the load: %.1f MiB; the API wrote %d ledger records during the run%n",
                heapAfterLoad.liveBytes() / mib, ledgerDuringRun);
        System.out.printf("(c) latency from outside (wrk, %d s each, after a warm-up; ms):%n", SECONDS);
        runs.forEach((label, r) -> System.out.printf(
                "    %-78s %,7.0f req/s  p50 %7.1f  p90 %7.1f  p99 %7.1f  max %7.1f%n",
                label, r.rate(), r.p50(), r.p90(), r.p99(), r.max()));
        System.out.printf("    CPU of the API during the measured runs: %,d ms%n", cpuDuringLoad);
        System.out.println("===");
        Files.writeString(
                WORK.resolve("summary.txt"),
                runs.entrySet().stream()
                        .map(e -> e.getKey() + " " + e.getValue())
                        .collect(Collectors.joining("\n")));
    }
}
