package io.kafkaconcierge.testing;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class StrimziSchemasTest {

    private final ObjectMapper json = new ObjectMapper();

    @BeforeEach
    void schemasPresent() {
        Assumptions.assumeTrue(StrimziSchemas.dir().isPresent(), StrimziSchemas.whyUnavailable());
    }

    private JsonNode topic(String spec) throws Exception {
        return json.readTree("""
                {"apiVersion": "kafka.strimzi.io/v1", "kind": "KafkaTopic",
                 "metadata": {"name": "orders", "labels": {"strimzi.io/cluster": "analytics"}},
                 "spec": %s}""".formatted(spec));
    }

    @Test
    void shouldAcceptAValidKafkaTopic() throws Exception {
        assertThat(StrimziSchemas.problems(
                        topic("{\"partitions\": 3, \"replicas\": 1, \"config\": {\"retention.ms\": 1}}")))
                .isEmpty();
    }

    @Test
    void shouldRefuseUnknownFieldsWrongTypesAndUnservedVersions() throws Exception {
        assertThat(StrimziSchemas.problems(topic("{\"partitions\": \"three\", \"replica\": 1}")))
                .anyMatch(p -> p.contains("partitions"))
                .anyMatch(p -> p.contains("replica"));
        JsonNode old = json.readTree("""
                {"apiVersion": "kafka.strimzi.io/v1beta1", "kind": "KafkaTopic", "metadata": {"name": "x"}}""");
        assertThat(StrimziSchemas.problems(old)).singleElement().asString().contains("not served");
    }
}
