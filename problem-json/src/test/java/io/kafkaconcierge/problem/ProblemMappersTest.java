package io.kafkaconcierge.problem;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ProblemMappersTest {

    /** A body type as the services have them: a record with boxed numbers. */
    record Body(String name, Integer partitions, Map<String, Object> config, java.util.List<Entry> access) {}

    enum Op {
        @com.fasterxml.jackson.annotation.JsonProperty("produce")
        PRODUCE,
        @com.fasterxml.jackson.annotation.JsonProperty("consume")
        CONSUME
    }

    record Entry(String user, java.util.List<Op> operations) {}

    private static final ObjectMapper MAPPER =
            new ObjectMapper().enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    static {
        MAPPER.getFactory()
                .setStreamReadConstraints(
                        StreamReadConstraints.builder().maxNestingDepth(16).build());
    }

    private static Problem problemFor(String body) {
        JsonProcessingException e =
                catchThrowableOfType(() -> MAPPER.readValue(body, Body.class), JsonProcessingException.class);
        assertThat(e).as("the body %s is refused", body).isNotNull();
        return ProblemMappers.malformedBody(e, "/api/v1/topics");
    }

    @Test
    void shouldNotNameJavaTypesWhenAFieldHasTheWrongType() {
        Problem problem = problemFor("{\"name\": \"x\", \"partitions\": {\"a\": 1}}");
        assertThat(problem.status()).isEqualTo(400);
        assertThat(problem.detail())
                .isEqualTo("A field of the body has the wrong type")
                .doesNotContain("java.", "JsonToken", "Integer");
        assertThat(problem.errors()).extracting(Problem.FieldError::field).containsExactly("partitions");
    }

    @Test
    void shouldNotNameParserInternalsWhenTheBodyIsTooDeepTruncatedOrBroken() {
        String deep = "{\"config\": " + "{\"a\": ".repeat(100) + "1" + "}".repeat(100) + "}";
        for (String body : new String[] {deep, "{\"name\": \"x\", \"partit", "{\"name\" 1}", "[1, 2]", "\"text\""}) {
            Problem problem = problemFor(body);
            assertThat(problem.detail())
                    .as(body)
                    .startsWith("The body")
                    .doesNotContain("java.", "JsonToken", "StreamReadConstraints", "Exception", "`");
        }
        assertThat(problemFor(deep).detail()).contains("nested too deeply");
        assertThat(problemFor("{\"name\": \"x\", \"partit").detail()).isEqualTo("The body ends before its JSON does");
    }

    @Test
    void shouldNameTheItemOfAListAndTheValuesItTakesWhenAnEnumValueIsUnknown() {
        Problem problem = problemFor("{\"access\": [{\"user\": \"a\", \"operations\": [\"produce\"]}, "
                + "{\"user\": \"b\", \"operations\": [\"consume\", \"write\"]}]}");
        assertThat(problem.status()).isEqualTo(400);
        assertThat(problem.errors()).singleElement().satisfies(e -> {
            assertThat(e.field()).isEqualTo("access[1].operations[1]");
            assertThat(e.message()).isEqualTo("is none of [produce, consume]");
        });
    }
}
