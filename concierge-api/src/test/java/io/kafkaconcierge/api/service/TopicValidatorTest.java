package io.kafkaconcierge.api.service;

import static org.assertj.core.api.Assertions.assertThat;

import io.kafkaconcierge.problem.Problem.FieldError;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TopicValidatorTest {

    private static List<FieldError> name(String name) {
        List<FieldError> errors = new ArrayList<>();
        TopicValidator.name(name, errors);
        return errors;
    }

    @Test
    void shouldAcceptKafkaLegalTopicNames() {
        assertThat(name("orders.v1")).isEmpty();
        assertThat(name("a-b_c.D9")).isEmpty();
        assertThat(name("x".repeat(249))).isEmpty();
    }

    @Test
    void shouldRejectIllegalTopicNames() {
        assertThat(name(".")).extracting(FieldError::field).containsExactly("name");
        assertThat(name("..")).hasSize(1);
        assertThat(name("x".repeat(250))).hasSize(1);
        assertThat(name("with space")).hasSize(1);
        assertThat(name("ünïcode")).hasSize(1);
        assertThat(name("")).hasSize(1);
        assertThat(name(null)).hasSize(1);
    }

    @Test
    void shouldRejectNamesReservedForKafkaInternalTopics() {
        assertThat(name("__consumer_offsets_copy"))
                .singleElement()
                .satisfies(e -> assertThat(e.message()).contains("reserved"));
    }

    @Test
    void shouldAcceptKnownConfigsWithValuesOfTheRightType() {
        Map<String, Object> raw = new HashMap<>();
        raw.put("retention.ms", 604800000L);
        raw.put("cleanup.policy", "compact,delete");
        raw.put("min.insync.replicas", "2");
        raw.put("max.message.bytes", 1048588);
        raw.put("compression.type", "zstd");
        raw.put("unclean.leader.election.enable", false);
        TopicValidator.Configs configs = TopicValidator.configs(raw, false);
        assertThat(configs.errors()).isEmpty();
        assertThat(configs.values())
                .containsEntry("retention.ms", "604800000")
                .containsEntry("unclean.leader.election.enable", "false");
    }

    @Test
    void shouldRejectConfigsKafkaDoesNotKnowForTopics() {
        TopicValidator.Configs configs =
                TopicValidator.configs(Map.of("retention.hours", "1", "log.dirs", "/x"), false);
        assertThat(configs.errors())
                .extracting(FieldError::field)
                .containsExactlyInAnyOrder("config.retention.hours", "config.log.dirs");
    }

    @Test
    void shouldRejectConfigValuesOfTheWrongTypeOrOutOfRange() {
        TopicValidator.Configs configs = TopicValidator.configs(
                Map.of(
                        "retention.ms", "a week",
                        "cleanup.policy", "sometimes",
                        "min.insync.replicas", "0",
                        "compression.type", "rar"),
                false);
        assertThat(configs.errors())
                .extracting(FieldError::field)
                .containsExactlyInAnyOrder(
                        "config.retention.ms",
                        "config.cleanup.policy",
                        "config.min.insync.replicas",
                        "config.compression.type");
    }

    @Test
    void shouldRejectNullValuesExceptWhenResettingToDefault() {
        Map<String, Object> raw = new HashMap<>();
        raw.put("retention.ms", null);
        assertThat(TopicValidator.configs(raw, false).errors()).hasSize(1);
        assertThat(TopicValidator.configs(raw, true).errors()).isEmpty();
        assertThat(TopicValidator.configs(raw, true).values()).containsEntry("retention.ms", null);
    }

    @Test
    void shouldRejectMinInsyncReplicasAboveTheReplicationFactor() {
        List<FieldError> errors = new ArrayList<>();
        TopicValidator.consistency(Map.of("min.insync.replicas", "3"), 2, errors);
        assertThat(errors).extracting(FieldError::field).containsExactly("config.min.insync.replicas");
    }

    @Test
    void shouldRejectReplicationFactorAboveTheBrokerCount() {
        List<FieldError> errors = new ArrayList<>();
        TopicValidator.replicationFactor(3, 1, "local", errors);
        assertThat(errors)
                .singleElement()
                .satisfies(e -> assertThat(e.message()).contains("1 (the brokers"));
    }

    @Test
    void shouldRejectPartitionsOutsideTheConfiguredRange() {
        List<FieldError> errors = new ArrayList<>();
        TopicValidator.partitions(0, 1, 100, errors);
        TopicValidator.partitions(101, 1, 100, errors);
        assertThat(errors).hasSize(2);
    }
}
