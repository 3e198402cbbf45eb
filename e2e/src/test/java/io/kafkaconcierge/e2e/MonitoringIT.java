package io.kafkaconcierge.e2e;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.kafkaconcierge.testing.TestIdentity;
import io.kafkaconcierge.testing.WebhookReceiver;
import io.restassured.http.ContentType;
import java.io.File;
import java.net.ServerSocket;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.junit.jupiter.api.Test;

/**
 * The dashboard and the alerts against a real Prometheus (Debian's, started here on 127.0.0.1) scraping the three
 * services during an end-to-end run: {@code promtool check rules} accepts the alert rules, Prometheus loads them, and
 * every query of every dashboard panel returns data.
 */
class MonitoringIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
    private static final Path MONITORING =
            Path.of(System.getProperty("concierge.apps.dir", ".."), "deploy/base/monitoring");
    private static final String SECRET =
            "whsec_" + Base64.getEncoder().encodeToString("monitoring-test-secret-32-bytes!".getBytes());
    private final HttpClient http = HttpClient.newHttpClient();

    private static String executable(String name) {
        for (String dir : System.getenv("PATH").split(File.pathSeparator)) {
            Path p = Path.of(dir, name);
            if (Files.isExecutable(p)) {
                return p.toString();
            }
        }
        throw new AssertionError(name + " is needed (Debian: apt-get install prometheus; .ci/run installs it)");
    }

    private static int freePort() throws Exception {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    /** Callers the API turns away, so that the 401/403 panel has something to show: no token, another team. */
    private static void refusedCallers(String api) {
        for (int i = 0; i < 5; i++) {
            given().baseUri(api)
                    .header(TestIdentity.NO_DEFAULT_TOKEN, "1")
                    .get("/api/v1/topics")
                    .then()
                    .statusCode(401);
            given().baseUri(api)
                    .header("Authorization", TestIdentity.bearer(TestIdentity.member("eve", "outsiders")))
                    .contentType(ContentType.JSON)
                    .body(topic("refused." + UUID.randomUUID(), 1))
                    .post("/api/v1/topics")
                    .then()
                    .statusCode(403);
        }
    }

    private JsonNode query(String prometheus, String expr) throws Exception {
        HttpResponse<String> r = http.send(
                HttpRequest.newBuilder(URI.create(
                                prometheus + "/api/v1/query?query=" + URLEncoder.encode(expr, StandardCharsets.UTF_8)))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        JsonNode body = JSON.readTree(r.body());
        assertThat(body.path("status").asText()).as(expr + ": " + r.body()).isEqualTo("success");
        return body.path("data").path("result");
    }

    @Test
    void shouldAnswerEveryDashboardPanelAndLoadEveryAlertInARealPrometheus() throws Exception {
        String prometheusBin = executable("prometheus");
        String promtool = executable("promtool");
        Path work = Path.of("target", "prometheus-" + UUID.randomUUID()).toAbsolutePath();
        Files.createDirectories(work);

        // the PrometheusRule's groups as a plain rules file, checked by promtool
        JsonNode rule =
                YAML.readTree(MONITORING.resolve("prometheus-rules.yaml").toFile());
        ObjectNode groups = YAML.createObjectNode();
        groups.set("groups", rule.path("spec").path("groups"));
        Path rules = work.resolve("rules.yml");
        YAML.writeValue(rules.toFile(), groups);
        Process check = new ProcessBuilder(promtool, "check", "rules", rules.toString())
                .redirectErrorStream(true)
                .start();
        String checked = new String(check.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(check.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(check.exitValue()).as("promtool check rules:\n" + checked).isZero();

        try (WebhookReceiver receiver = new WebhookReceiver();
                Suite suite = new Suite(Map.of(
                        "notifier.webhook.url",
                        receiver.url(),
                        "notifier.webhook.secret",
                        SECRET,
                        "concierge.provisioner.cluster-check-interval",
                        "2s"))) {
            suite.start(Suite.PROVISIONER);
            suite.start(Suite.NOTIFIER);
            suite.start(Suite.API);

            int port = freePort();
            StringBuilder config = new StringBuilder("""
                    global:
                      scrape_interval: 1s
                      evaluation_interval: 1s
                    rule_files:
                      - %s
                    scrape_configs:
                    """.formatted(rules));
            for (String service : List.of(Suite.API, Suite.PROVISIONER, Suite.NOTIFIER)) {
                config.append(
                        """
                          - job_name: %s
                            metrics_path: /q/metrics
                            static_configs:
                              - targets: ['%s']
                        """.formatted(service, URI.create(suite.url(service)).getAuthority()));
            }
            Files.writeString(work.resolve("prometheus.yml"), config);
            Process prometheus = new ProcessBuilder(
                            prometheusBin,
                            "--config.file=" + work.resolve("prometheus.yml"),
                            "--storage.tsdb.path=" + work.resolve("data"),
                            "--web.listen-address=127.0.0.1:" + port)
                    .redirectErrorStream(true)
                    .redirectOutput(work.resolve("prometheus.log").toFile())
                    .start();
            String url = "http://127.0.0.1:" + port;
            try {
                await().atMost(Duration.ofSeconds(60))
                        .ignoreExceptions()
                        .untilAsserted(() -> assertThat(query(url, "sum(up)")
                                        .get(0)
                                        .path("value")
                                        .get(1)
                                        .asText())
                                .isEqualTo("3"));

                // traffic while Prometheus watches: topics made ready, and one that fails (it exists with
                // another spec), so that every panel has something to show
                String api = suite.url(Suite.API);
                await().atMost(Duration.ofSeconds(60))
                        .until(() -> given().baseUri(api).get("/api/v1/topics").statusCode() == 200
                                && given().baseUri(api)
                                                .contentType(ContentType.JSON)
                                                .body(topic("warmup." + UUID.randomUUID(), 1))
                                                .post("/api/v1/topics")
                                                .statusCode()
                                        == 202);
                String clash = "clash." + UUID.randomUUID();
                try (Admin admin = suite.kafka().admin()) {
                    admin.createTopics(List.of(new NewTopic(clash, 1, (short) 1)))
                            .all()
                            .get();
                }
                for (int i = 0; i < 20; i++) {
                    given().baseUri(api)
                            .contentType(ContentType.JSON)
                            .body(topic("metrics." + i + "." + UUID.randomUUID(), 2))
                            .post("/api/v1/topics")
                            .then()
                            .statusCode(202);
                }
                given().baseUri(api)
                        .contentType(ContentType.JSON)
                        .body(topic(clash, 3))
                        .post("/api/v1/topics")
                        .then()
                        .statusCode(202);
                refusedCallers(api);
                await().atMost(Duration.ofSeconds(60))
                        .until(() -> receiver.deliveries().size() >= 40);
                // a second wave once Prometheus has scraped the histograms: a rate needs an increase after a series
                // was first seen, and the first wave can fall entirely between two scrapes
                for (String series : List.of(
                        "concierge_provisioning_duration_seconds_count",
                        "concierge_notification_latency_seconds_count",
                        "http_server_requests_seconds_count{status=\"401\"}",
                        "http_server_requests_seconds_count{status=\"403\"}",
                        "concierge_audit_records_total")) {
                    await().atMost(Duration.ofSeconds(30))
                            .ignoreExceptions()
                            .untilAsserted(() ->
                                    assertThat(query(url, series)).as(series).isNotEmpty());
                }
                int before = receiver.deliveries().size();
                for (int i = 0; i < 5; i++) {
                    given().baseUri(api)
                            .contentType(ContentType.JSON)
                            .body(topic("metrics.second." + i + "." + UUID.randomUUID(), 1))
                            .post("/api/v1/topics")
                            .then()
                            .statusCode(202);
                }
                refusedCallers(api);
                await().atMost(Duration.ofSeconds(60))
                        .until(() -> receiver.deliveries().size() >= before + 15);

                JsonNode dashboard = JSON.readTree(
                        MONITORING.resolve("kafka-concierge-dashboard.json").toFile());
                List<String> exprs = new ArrayList<>();
                dashboard
                        .path("panels")
                        .forEach(p -> p.path("targets")
                                .forEach(t -> exprs.add(t.path("expr").asText())));
                assertThat(exprs).hasSizeGreaterThanOrEqualTo(12);
                for (String expr : exprs) {
                    await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
                        JsonNode result = query(url, expr);
                        assertThat(result).as("no data for: " + expr).isNotEmpty();
                        List<String> values = new ArrayList<>();
                        result.forEach(r -> values.add(r.path("value").get(1).asText()));
                        assertThat(values).as("only NaN for: " + expr).anyMatch(v -> !v.equals("NaN"));
                    });
                }
                JsonNode loaded = JSON.readTree(http.send(
                                HttpRequest.newBuilder(URI.create(url + "/api/v1/rules"))
                                        .build(),
                                HttpResponse.BodyHandlers.ofString())
                        .body());
                List<JsonNode> alerts = new ArrayList<>();
                loaded.path("data").path("groups").forEach(g -> g.path("rules").forEach(alerts::add));
                assertThat(alerts)
                        .hasSize(rule.path("spec")
                                .path("groups")
                                .get(0)
                                .path("rules")
                                .size())
                        .allSatisfy(a -> assertThat(a.path("health").asText())
                                .as(a.path("name").asText())
                                .isIn("ok", "unknown"));
                await().atMost(Duration.ofSeconds(30))
                        .untilAsserted(() -> assertThat(JSON.readTree(http.send(
                                                        HttpRequest.newBuilder(URI.create(url + "/api/v1/rules"))
                                                                .build(),
                                                        HttpResponse.BodyHandlers.ofString())
                                                .body())
                                        .findValuesAsText("health"))
                                .containsOnly("ok"));
            } finally {
                prometheus.destroy();
                prometheus.waitFor(20, TimeUnit.SECONDS);
            }
        }
    }

    private static String topic(String name, int partitions) {
        return """
                {"cluster": "local", "name": "%s", "partitions": %d, "replicationFactor": 1, "owner": "monitoring"}""".formatted(name, partitions);
    }
}
