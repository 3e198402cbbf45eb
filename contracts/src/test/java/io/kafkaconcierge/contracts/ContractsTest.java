package io.kafkaconcierge.contracts;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import java.io.InputStream;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class ContractsTest {

    private static final TopicSpec SPEC =
            new TopicSpec("local", "orders.v1", 3, (short) 1, Map.of("retention.ms", "60000"), "payments", null);

    private static RequestCommand command(Operation op, TopicChange change) {
        return new RequestCommand(
                UUID.randomUUID().toString(),
                op,
                SPEC.ref(),
                SPEC,
                change,
                "key-1",
                "a".repeat(64),
                Instant.parse("2026-01-01T00:00:00Z"));
    }

    static Set<ValidationMessage> validate(String schemaPath, Object value) throws Exception {
        try (InputStream in = ContractsTest.class.getClassLoader().getResourceAsStream(schemaPath)) {
            assertThat(in).as(schemaPath).isNotNull();
            JsonSchema schema = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012)
                    .getSchema(in);
            JsonNode node = Json.MAPPER.readTree(Json.write(value));
            return schema.validate(node);
        }
    }

    @Test
    void shouldKeepANullConfigValueOfAChangeSoThatItMeansBackToDefault() {
        Map<String, String> config = new HashMap<>();
        config.put("retention.ms", null);
        config.put("max.message.bytes", "2000000");
        RequestCommand sent = command(Operation.UPDATE, new TopicChange(null, config, null));

        RequestCommand read = Json.read(Json.write(sent), RequestCommand.class);

        assertThat(read.change().config())
                .containsEntry("retention.ms", null)
                .containsEntry("max.message.bytes", "2000000");
        assertThat(read).isEqualTo(sent);
        assertThat(new String(Json.write(sent))).doesNotContain("\"partitions\":null");
    }

    @Test
    void shouldReadAnEventWithFieldsItDoesNotKnow() throws Exception {
        StatusEvent event = StatusEvent.of(command(Operation.CREATE, null), RequestState.READY, Instant.now());
        ObjectNode node = (ObjectNode) Json.MAPPER.readTree(Json.write(event));
        node.put("addedInALaterVersion", "ignored by older consumers");
        assertThat(Json.read(Json.MAPPER.writeValueAsBytes(node), StatusEvent.class))
                .isEqualTo(event);
    }

    @Test
    void shouldWriteEventsThatFollowTheSchemaOfTheirType() throws Exception {
        RequestCommand create = command(Operation.CREATE, null);
        Instant now = Instant.now();
        for (StatusEvent e : new StatusEvent[] {
            StatusEvent.of(create, RequestState.ACCEPTED, now),
            StatusEvent.of(create, RequestState.PROVISIONING, now),
            StatusEvent.of(create, RequestState.READY, now),
            StatusEvent.failed(create, FailureReason.CONFLICT, "exists with another spec", now),
            StatusEvent.of(command(Operation.DELETE, null), RequestState.DELETED, now)
        }) {
            assertThat(validate(CloudEvents.dataSchemaPath(e.eventType()), e))
                    .as(e.eventType())
                    .isEmpty();
        }
    }

    @Test
    void shouldNameEachDataSchemaByAnAbsoluteUriThatIsTheSchemasId() throws Exception {
        for (ResourceKind kind : new ResourceKind[] {ResourceKind.TOPIC, ResourceKind.INSTANCE}) {
            for (RequestState state : new RequestState[] {
                RequestState.ACCEPTED, RequestState.READY, RequestState.FAILED, RequestState.DELETED
            }) {
                String type = CloudEvents.type(kind, state);
                assertThat(java.net.URI.create(CloudEvents.dataSchema(type)).isAbsolute())
                        .as(type)
                        .isTrue();
                assertThat(schemaId(CloudEvents.dataSchemaPath(type))).isEqualTo(CloudEvents.dataSchema(type));
            }
        }
        assertThat(schemaId(CloudEvents.dataSchemaPath(CloudEvents.SUBSCRIPTION_DISABLED)))
                .isEqualTo(CloudEvents.dataSchema(CloudEvents.SUBSCRIPTION_DISABLED));
        assertThat(schemaId("schemas/audit/audit-record.json")).isEqualTo(CloudEvents.AUDIT_DATASCHEMA);
    }

    private static String schemaId(String path) throws Exception {
        try (InputStream in = ContractsTest.class.getClassLoader().getResourceAsStream(path)) {
            assertThat(in).as(path).isNotNull();
            return Json.MAPPER.readTree(in).path("$id").asText();
        }
    }

    @Test
    void shouldRejectAFailedEventWithoutAReasonAgainstItsSchema() throws Exception {
        StatusEvent noReason = StatusEvent.of(command(Operation.CREATE, null), RequestState.FAILED, Instant.now());
        assertThat(validate(CloudEvents.dataSchemaPath(noReason.eventType()), noReason))
                .isNotEmpty();
    }

    @Test
    void shouldWriteCommandsThatFollowTheCommandSchema() throws Exception {
        Map<String, String> config = new HashMap<>();
        config.put("retention.ms", null);
        assertThat(validate(
                        "schemas/commands/request-command.json",
                        command(Operation.UPDATE, new TopicChange(6, config, null))))
                .isEmpty();
    }

    @Test
    void shouldCarryTheAccessOfATopicCreateInTheCommandAndItsEventsAsTheirSchemasSay() throws Exception {
        TopicSpec spec = new TopicSpec(
                "local",
                "payments.shipments",
                3,
                (short) 1,
                Map.of(),
                "payments",
                null,
                java.util.List.of(
                        new TopicSpec.UserAccess(
                                "payments-writer",
                                java.util.List.of(UserSpec.Access.PRODUCE),
                                null,
                                null,
                                "payments-tx",
                                null,
                                true),
                        new TopicSpec.UserAccess(
                                "payments-reader",
                                java.util.List.of(UserSpec.Access.CONSUME, UserSpec.Access.DESCRIBE),
                                "payments-",
                                UserSpec.PatternType.PREFIXED,
                                null,
                                null,
                                null)));
        RequestCommand create = new RequestCommand(
                UUID.randomUUID().toString(),
                Operation.CREATE,
                spec.ref(),
                spec,
                null,
                null,
                "a".repeat(64),
                Instant.parse("2026-01-01T00:00:00Z"));

        assertThat(validate("schemas/commands/request-command.json", create)).isEmpty();
        for (StatusEvent e : new StatusEvent[] {
            StatusEvent.of(create, RequestState.ACCEPTED, Instant.now()),
            StatusEvent.of(create, RequestState.READY, Instant.now())
        }) {
            assertThat(validate(CloudEvents.dataSchemaPath(e.eventType()), e))
                    .as(e.eventType())
                    .isEmpty();
        }
        assertThat(Json.read(Json.write(create), RequestCommand.class)).isEqualTo(create);
        assertThat(new String(Json.write(create)))
                .contains("\"access\":[{\"user\":\"payments-writer\"," + "\"operations\":[\"produce\"]");
        // a grant of the user on this very topic, literally
        assertThat(spec.access().get(1).grant(spec.name()))
                .isEqualTo(new UserSpec.Grant(
                        "payments.shipments",
                        UserSpec.PatternType.LITERAL,
                        java.util.List.of(UserSpec.Access.CONSUME, UserSpec.Access.DESCRIBE),
                        "payments-",
                        UserSpec.PatternType.PREFIXED,
                        null,
                        null,
                        null));
        // given once: a topic without access writes no field, and what follows a create carries none
        assertThat(new String(Json.write(SPEC))).doesNotContain("access");
        assertThat(spec.apply(new TopicChange(6, null, null)).access()).isEmpty();
        assertThat(spec.withoutAccess().access()).isEmpty();

        ObjectNode bad = (ObjectNode) Json.MAPPER.readTree(Json.write(create));
        ((ObjectNode) bad.path("spec").path("access").get(0))
                .putArray("operations")
                .add("write");
        try (InputStream in =
                ContractsTest.class.getClassLoader().getResourceAsStream("schemas/commands/request-command.json")) {
            assertThat(JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012)
                            .getSchema(in)
                            .validate(bad))
                    .isNotEmpty();
        }
    }

    @Test
    void shouldNameEventsWithStableIdsAndReverseDnsTypes() {
        StatusEvent e = StatusEvent.of(command(Operation.CREATE, null), RequestState.READY, Instant.now());
        assertThat(e.eventId()).isEqualTo(e.requestId() + ".ready");
        assertThat(e.eventType()).isEqualTo("io.kafkaconcierge.topic.ready");
        assertThat(e.resource().key()).isEqualTo("local/orders.v1");
    }

    @Test
    void shouldNameOnlyExistingRecordsInTheNativeReflectionConfiguration() throws Exception {
        try (java.io.InputStream in = getClass()
                .getClassLoader()
                .getResourceAsStream("META-INF/native-image/io.kafkaconcierge/contracts/reflect-config.json")) {
            com.fasterxml.jackson.databind.JsonNode entries = Json.MAPPER.readTree(in);
            assertThat(entries.size()).isGreaterThanOrEqualTo(14);
            for (com.fasterxml.jackson.databind.JsonNode e : entries) {
                assertThat(Class.forName(e.path("name").asText())).isNotNull();
            }
        }
    }
}
