package io.kafkaconcierge.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.kafkaconcierge.contracts.ConciergeTopics;
import io.kafkaconcierge.contracts.kafka.ServiceAccess;
import io.kafkaconcierge.testing.StrimziSchemas;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * deploy/: in step with the manifests the build generates, every file parseable, each overlay rendered by
 * {@code kubectl kustomize} into a complete installation that meets the restricted Pod Security Standard, and every
 * Strimzi resource valid against the Strimzi 1.2.0 CRD schemas.
 */
class DeployIT {

    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
    private static final Path ROOT = Path.of(System.getProperty("concierge.apps.dir", ".."));
    private static final Path DEPLOY = ROOT.resolve("deploy");
    /** quarkus.shutdown.timeout of each service, in seconds. */
    private static final Map<String, Integer> SHUTDOWN = Map.of("concierge-api", 10, "provisioner", 30, "notifier", 20);

    private static List<JsonNode> docs(String yaml) throws IOException {
        List<JsonNode> docs = new ArrayList<>();
        try (var parser = YAML.getFactory().createParser(yaml)) {
            YAML.readValues(parser, JsonNode.class).forEachRemaining(d -> {
                if (d != null && !d.isNull() && !d.isMissingNode()) {
                    docs.add(d);
                }
            });
        }
        return docs;
    }

    private static List<JsonNode> render(String overlay) throws Exception {
        Process kubectl;
        try {
            // stderr apart: newer kubectl warns there about the kustomize 2.0 fields deploy/ keeps for older ones
            kubectl = new ProcessBuilder(
                            "kubectl",
                            "kustomize",
                            DEPLOY.resolve("overlays").resolve(overlay).toString())
                    .redirectError(ProcessBuilder.Redirect.DISCARD)
                    .start();
        } catch (IOException e) {
            throw new AssertionError(
                    "kubectl is needed to render deploy/ (Debian: apt-get install kubernetes-client; "
                            + ".ci/run installs it)",
                    e);
        }
        String out = new String(kubectl.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(kubectl.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(kubectl.exitValue())
                .as("kubectl kustomize " + overlay + ":\n" + out)
                .isZero();
        return docs(out);
    }

    private static List<JsonNode> ofKind(List<JsonNode> docs, String kind) {
        return docs.stream().filter(d -> kind.equals(d.path("kind").asText())).toList();
    }

    /**
     * The objects of a manifest as a build would compare them: the git commit and remote annotations dropped (they
     * differ with every commit and clone) and environment variables by name (their order differs between builds).
     */
    private static List<JsonNode> normalized(String yaml) throws IOException {
        List<JsonNode> docs = docs(yaml);
        docs.forEach(DeployIT::normalize);
        return docs.stream()
                .sorted(java.util.Comparator.comparing(d ->
                        d.path("kind").asText() + "/" + d.at("/metadata/name").asText()))
                .toList();
    }

    private static void normalize(JsonNode node) {
        if (node instanceof com.fasterxml.jackson.databind.node.ObjectNode o) {
            if (o.get("annotations") instanceof com.fasterxml.jackson.databind.node.ObjectNode a) {
                a.remove(List.of("app.quarkus.io/commit-id", "app.quarkus.io/vcs-uri", "app.quarkus.io/vcs-url"));
            }
            if (o.get("env") instanceof com.fasterxml.jackson.databind.node.ArrayNode env) {
                List<JsonNode> sorted = new ArrayList<>();
                env.forEach(sorted::add);
                sorted.sort(java.util.Comparator.comparing(e -> e.path("name").asText()));
                env.removeAll();
                sorted.forEach(env::add);
            }
            o.forEach(DeployIT::normalize);
        } else if (node != null && node.isArray()) {
            node.forEach(DeployIT::normalize);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"concierge-api", "provisioner", "notifier"})
    void shouldKeepDeployInStepWithTheManifestsTheBuildGenerates(String service) throws Exception {
        String generated = Files.readString(ROOT.resolve(service).resolve("target/kubernetes/kubernetes.yml"));
        String kept = Files.readString(DEPLOY.resolve("base/generated").resolve(service + ".yml"));
        assertThat(normalized(kept))
                .as("deploy/base/generated/" + service + ".yml is stale: run "
                        + "deploy/generate and commit the result")
                .isEqualTo(normalized(generated));
    }

    @Test
    void shouldParseEveryFileInDeploy() throws Exception {
        List<Path> files;
        try (Stream<Path> walk = Files.walk(DEPLOY)) {
            files = walk.filter(
                            p -> p.toString().endsWith(".yaml") || p.toString().endsWith(".yml"))
                    .toList();
        }
        assertThat(files).hasSizeGreaterThan(8);
        for (Path f : files) {
            // a Kubernetes object or kustomization, or under patches/ a JSON patch (a list of operations)
            assertThat(docs(Files.readString(f))).as(f.toString()).isNotEmpty().allSatisfy(d -> {
                if (d.isArray()) {
                    assertThat(f.getParent().getFileName().toString())
                            .as(f.toString())
                            .isEqualTo("patches");
                    d.forEach(op -> assertThat(op.has("op") && op.has("path"))
                            .as(f + ": " + op)
                            .isTrue());
                } else {
                    assertThat(d.has("kind") && d.has("apiVersion"))
                            .as(f.toString())
                            .isTrue();
                }
            });
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"dev", "prod"})
    void shouldRenderACompleteInstallationThatMeetsTheRestrictedPodSecurityStandard(String overlay) throws Exception {
        List<JsonNode> docs = render(overlay);
        Map<String, Long> kinds =
                docs.stream().collect(Collectors.groupingBy(d -> d.path("kind").asText(), Collectors.counting()));
        assertThat(kinds)
                .containsEntry("Deployment", 3L)
                .containsEntry("Service", 3L)
                .containsEntry("ServiceMonitor", 3L)
                .containsEntry("PodDisruptionBudget", 3L)
                .containsEntry("HorizontalPodAutoscaler", 2L)
                .containsEntry("Kafka", 1L)
                .containsEntry("KafkaNodePool", 2L)
                .containsEntry("KafkaTopic", (long) ConciergeTopics.LAYOUT.size())
                .containsEntry("Ingress", 1L)
                .containsEntry("KafkaUser", (long) ServiceAccess.ALL.size() + 1)
                .containsEntry("PrometheusRule", 1L)
                .containsKeys("NetworkPolicy", "Role", "RoleBinding", "ConfigMap");
        assertThat(ofKind(docs, "ConfigMap")).anySatisfy(c -> {
            assertThat(c.at("/metadata/labels/grafana_dashboard").asText()).isEqualTo("1");
            assertThat(c.at("/data/kafka-concierge-dashboard.json").asText()).contains("\"panels\"");
        });
        assertThat(docs)
                .allSatisfy(d -> assertThat(d.at("/metadata/namespace").asText())
                        .as(d.at("/metadata/name").asText())
                        .startsWith("kafka-concierge"));
        for (JsonNode deployment : ofKind(docs, "Deployment")) {
            String name = deployment.at("/metadata/name").asText();
            JsonNode pod = deployment.at("/spec/template/spec");
            JsonNode container = pod.at("/containers/0");
            assertThat(pod.at("/securityContext/runAsNonRoot").asBoolean())
                    .as(name)
                    .isTrue();
            assertThat(pod.at("/securityContext/seccompProfile/type").asText())
                    .as(name)
                    .isEqualTo("RuntimeDefault");
            assertThat(container.at("/securityContext/readOnlyRootFilesystem").asBoolean())
                    .as(name)
                    .isTrue();
            assertThat(container.at("/securityContext/allowPrivilegeEscalation").asBoolean(true))
                    .as(name)
                    .isFalse();
            assertThat(container.at("/securityContext/capabilities/drop/0").asText())
                    .as(name)
                    .isEqualTo("ALL");
            assertThat(container.path("volumeMounts").findValuesAsText("mountPath"))
                    .as(name)
                    .contains("/tmp", "/mnt/app-config-map");
            String configMap = pod.path("volumes").findValuesAsText("name").contains("app-config-map")
                    ? pod.path("volumes")
                            .findValues("configMap")
                            .get(0)
                            .path("name")
                            .asText()
                    : "";
            assertThat(ofKind(docs, "ConfigMap"))
                    .as(name + " reads its settings from " + configMap)
                    .anyMatch(c -> c.at("/metadata/name").asText().equals(configMap)
                            && c.at("/data/application.properties").isTextual());
            assertThat(container.at("/resources/requests/cpu").asText())
                    .as(name)
                    .isNotEmpty();
            assertThat(container.at("/resources/requests/memory").asText())
                    .as(name)
                    .isNotEmpty();
            assertThat(container.at("/resources/limits/memory").asText())
                    .as(name)
                    .isNotEmpty();
            for (String probe : List.of("livenessProbe", "readinessProbe", "startupProbe")) {
                assertThat(container.path(probe).path("httpGet").isObject())
                        .as(name + " " + probe)
                        .isTrue();
            }
            assertThat(pod.path("terminationGracePeriodSeconds").asInt())
                    .as(name + ": grace period vs shutdown")
                    .isGreaterThan(SHUTDOWN.get(name));
        }
        JsonNode ingress = ofKind(docs, "Ingress").get(0);
        assertThat(ingress.at("/spec/rules/0/http/paths").findValuesAsText("path"))
                .contains("/api");
    }

    /**
     * The concierge's own Kafka locked down: every listener authenticates, simple authorization, and each service a
     * KafkaUser with exactly the ACLs of {@link ServiceAccess}, whose credentials its Deployment reads from the user's
     * Secret.
     */
    @ParameterizedTest
    @ValueSource(strings = {"dev", "prod"})
    void shouldConnectEachServiceAsItsOwnKafkaUserWithTheAclsOfServiceAccess(String overlay) throws Exception {
        List<JsonNode> docs = render(overlay);
        JsonNode kafka = ofKind(docs, "Kafka").get(0);
        assertThat(kafka.at("/spec/kafka/listeners"))
                .allSatisfy(l -> assertThat(l.at("/authentication/type").asText())
                        .as(l.path("name").asText())
                        .isEqualTo("scram-sha-512"));
        assertThat(kafka.at("/spec/kafka/authorization/type").asText()).isEqualTo("simple");
        assertThat(kafka.at("/spec/entityOperator/userOperator").isObject()).isTrue();
        List<JsonNode> users = ofKind(docs, "KafkaUser");
        for (ServiceAccess.Grant grant : ServiceAccess.ALL) {
            JsonNode user = users.stream()
                    .filter(u -> u.at("/metadata/name").asText().equals(grant.user()))
                    .findFirst()
                    .orElseThrow(() -> new AssertionError("no KafkaUser " + grant.user()));
            assertThat(user.at("/spec/authentication/type").asText()).isEqualTo("scram-sha-512");
            assertThat(user.at("/spec/authorization/type").asText()).isEqualTo("simple");
            assertThat(acls(user))
                    .as(grant.user())
                    .containsExactlyInAnyOrderElementsOf(grant.acls().stream()
                            .map(a -> String.join(
                                    " ",
                                    a.entry().permissionType().name(),
                                    a.entry().operation().name(),
                                    a.pattern().resourceType().name(),
                                    a.pattern().patternType().name(),
                                    a.pattern().name(),
                                    a.entry().host()))
                            .toList());
            JsonNode deployment = ofKind(docs, "Deployment").stream()
                    .filter(d -> d.at("/metadata/name").asText().equals(grant.service()))
                    .findFirst()
                    .orElseThrow();
            JsonNode env = deployment.at("/spec/template/spec/containers/0/env");
            assertThat(envValue(env, "KAFKA_SECURITY_PROTOCOL"))
                    .as(grant.service())
                    .isEqualTo("SASL_PLAINTEXT");
            assertThat(envValue(env, "KAFKA_SASL_MECHANISM"))
                    .as(grant.service())
                    .isEqualTo("SCRAM-SHA-512");
            JsonNode jaas = envVar(env, "KAFKA_SASL_JAAS_CONFIG").at("/valueFrom/secretKeyRef");
            assertThat(jaas.path("name").asText()).as(grant.service()).isEqualTo(grant.user());
            assertThat(jaas.path("key").asText()).as(grant.service()).isEqualTo("sasl.jaas.config");
        }
    }

    /**
     * The keys the services refuse to start without in production come from Secrets made at install time, and no
     * overlay writes such a Secret itself (a key in this repository would be known to everyone who reads it).
     */
    @ParameterizedTest
    @ValueSource(strings = {"dev", "prod"})
    void shouldGiveEachServiceItsKeysFromSecretsThatNoOverlayWrites(String overlay) throws Exception {
        List<JsonNode> docs = render(overlay);
        for (String service : List.of("concierge-api", "provisioner")) {
            JsonNode deployment = ofKind(docs, "Deployment").stream()
                    .filter(d -> d.at("/metadata/name").asText().equals(service))
                    .findFirst()
                    .orElseThrow();
            JsonNode key = envVar(deployment.at("/spec/template/spec/containers/0/env"), "CONCIERGE_SECRETS_KEY")
                    .at("/valueFrom/secretKeyRef");
            assertThat(key.path("name").asText()).as(service).isEqualTo("concierge-secrets");
            assertThat(key.path("key").asText()).as(service).isEqualTo("CONCIERGE_SECRETS_KEY");
            assertThat(key.path("optional").asBoolean(false)).as(service).isFalse();
        }
        JsonNode notifier = ofKind(docs, "Deployment").stream()
                .filter(d -> d.at("/metadata/name").asText().equals("notifier"))
                .findFirst()
                .orElseThrow();
        assertThat(notifier.at("/spec/template/spec/containers/0/envFrom").findValuesAsText("name"))
                .contains("notifier-webhook");
        assertThat(ofKind(docs, "Secret"))
                .extracting(s -> s.at("/metadata/name").asText())
                .doesNotContain("concierge-secrets", "notifier-webhook");
    }

    /** A KafkaUser's ACL rules, one line per operation, in the words of Kafka's own ACL model. */
    private static List<String> acls(JsonNode user) {
        List<String> out = new ArrayList<>();
        for (JsonNode rule : user.at("/spec/authorization/acls")) {
            JsonNode resource = rule.path("resource");
            String type = resource.path("type").asText().toUpperCase();
            String name = "CLUSTER".equals(type)
                    ? ServiceAccess.CLUSTER
                    : resource.path("name").asText();
            String pattern = "prefix".equals(resource.path("patternType").asText("literal")) ? "PREFIXED" : "LITERAL";
            for (JsonNode op : rule.path("operations")) {
                String operation =
                        op.asText().replaceAll("([a-z])([A-Z])", "$1_$2").toUpperCase();
                out.add(String.join(
                        " ",
                        rule.path("type").asText("allow").toUpperCase(),
                        operation,
                        type,
                        pattern,
                        name,
                        rule.path("host").asText("*")));
            }
        }
        return out;
    }

    private static JsonNode envVar(JsonNode env, String name) {
        for (JsonNode e : env) {
            if (name.equals(e.path("name").asText())) {
                return e;
            }
        }
        throw new AssertionError("no environment variable " + name);
    }

    private static String envValue(JsonNode env, String name) {
        return envVar(env, name).path("value").asText();
    }

    @Test
    void shouldDescribeTheConciergeTopicsAsTheServicesCreateThemWithThreeReplicas() throws Exception {
        List<JsonNode> topics = ofKind(render("prod"), "KafkaTopic");
        assertThat(topics)
                .extracting(t -> t.at("/metadata/name").asText())
                .containsExactlyInAnyOrderElementsOf(ConciergeTopics.LAYOUT.stream()
                        .map(ConciergeTopics.Layout::name)
                        .toList());
        for (ConciergeTopics.Layout layout : ConciergeTopics.LAYOUT) {
            JsonNode t = topics.stream()
                    .filter(x -> x.at("/metadata/name").asText().equals(layout.name()))
                    .findFirst()
                    .orElseThrow();
            assertThat(t.at("/spec/partitions").asInt()).as(layout.name()).isEqualTo(layout.partitions());
            assertThat(t.at("/spec/replicas").asInt()).as(layout.name()).isEqualTo(3);
            assertThat(t.at("/spec/config/min.insync.replicas").asInt())
                    .as(layout.name())
                    .isEqualTo(2);
            layout.config()
                    .forEach((k, v) -> assertThat(t.at("/spec/config").path(k).asText())
                            .as(layout.name() + " " + k)
                            .isEqualTo(v));
            assertThat(t.at("/metadata/labels/strimzi.io~1cluster").asText()).isEqualTo("concierge-kafka");
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"dev", "prod"})
    void shouldWriteStrimziResourcesThatTheStrimziSchemasAccept(String overlay) throws Exception {
        Assumptions.assumeTrue(StrimziSchemas.dir().isPresent(), StrimziSchemas.whyUnavailable());
        List<JsonNode> strimzi = render(overlay).stream()
                .filter(d -> d.path("apiVersion").asText().startsWith("kafka.strimzi.io/"))
                .toList();
        // Kafka, two node pools, the topics, a user per service and the admin
        assertThat(strimzi).hasSize(3 + ConciergeTopics.LAYOUT.size() + ServiceAccess.ALL.size() + 1);
        for (JsonNode resource : strimzi) {
            assertThat(StrimziSchemas.problems(resource))
                    .as(resource.path("kind").asText() + " "
                            + resource.at("/metadata/name").asText())
                    .isEmpty();
        }
    }

    /**
     * Every object an overlay renders, but the Strimzi ones (checked against their CRD schemas), read into the
     * fabric8 model by its apiVersion and kind; a field the model does not know (a typo, a field of another version)
     * lands in some object's additional properties, and fails here as an API server would refuse it.
     */
    @ParameterizedTest
    @ValueSource(strings = {"dev", "prod"})
    void shouldReadEveryKubernetesObjectStrictlyIntoTheKubernetesModel(String overlay) throws Exception {
        io.fabric8.kubernetes.client.utils.KubernetesSerialization serialization =
                new io.fabric8.kubernetes.client.utils.KubernetesSerialization();
        int read = 0;
        for (JsonNode doc : render(overlay)) {
            if (doc.path("apiVersion").asText().startsWith("kafka.strimzi.io/")) {
                continue;
            }
            Object typed = serialization.unmarshal(
                    JSON_WRITER.writeValueAsString(doc), io.fabric8.kubernetes.api.model.KubernetesResource.class);
            String what =
                    doc.path("kind").asText() + " " + doc.at("/metadata/name").asText();
            assertThat(typed)
                    .as(what + " has no model class")
                    .isNotInstanceOf(io.fabric8.kubernetes.api.model.GenericKubernetesResource.class);
            List<String> unknown = new ArrayList<>();
            unknownFields(typed, "", unknown, new java.util.IdentityHashMap<>());
            assertThat(unknown)
                    .as(what + ": fields the Kubernetes model does not know")
                    .isEmpty();
            read++;
        }
        assertThat(read).isGreaterThan(15);
    }

    private static final ObjectMapper JSON_WRITER = new ObjectMapper();

    private static void unknownFields(
            Object o, String path, List<String> unknown, java.util.IdentityHashMap<Object, Boolean> seen)
            throws Exception {
        if (o == null || seen.put(o, true) != null) {
            return;
        }
        if (o instanceof java.util.Collection<?> c) {
            int i = 0;
            for (Object item : c) {
                unknownFields(item, path + "[" + i++ + "]", unknown, seen);
            }
            return;
        }
        if (o instanceof Map<?, ?> m) {
            for (Map.Entry<?, ?> e : m.entrySet()) {
                unknownFields(e.getValue(), path + "." + e.getKey(), unknown, seen);
            }
            return;
        }
        if (!o.getClass().getName().startsWith("io.fabric8.")) {
            return;
        }
        for (java.lang.reflect.Method m : o.getClass().getMethods()) {
            if (m.getParameterCount() != 0
                    || m.getDeclaringClass() == Object.class
                    || !(m.getName().startsWith("get") || m.getName().startsWith("is"))) {
                continue;
            }
            Object value = m.invoke(o);
            if (m.getName().equals("getAdditionalProperties")) {
                if (value instanceof Map<?, ?> extra && !extra.isEmpty()) {
                    extra.keySet().forEach(k -> unknown.add(path + "." + k));
                }
            } else {
                unknownFields(value, path + "." + m.getName(), unknown, seen);
            }
        }
    }
}
