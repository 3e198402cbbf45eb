package io.kafkaconcierge.api.service;

import io.kafkaconcierge.contracts.Owners;
import io.kafkaconcierge.problem.Problem.FieldError;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.errors.InvalidTopicException;
import org.apache.kafka.common.internals.Topic;
import org.apache.kafka.storage.internals.log.LogConfig;

/**
 * Pure validation of topic requests, with Kafka's own rules: topic names as {@link Topic#validate(String)} checks
 * them, and topic configs by the names, types and validators of the broker's {@link LogConfig}.
 */
public final class TopicValidator {

    private static final int MAX_DESCRIPTION = 1024;
    private static final Map<String, ConfigDef.ConfigKey> TOPIC_CONFIGS = LogConfig.configKeys();
    private static final Set<String> ALLOWED = Set.copyOf(LogConfig.nonInternalConfigNames());
    /** Kafka hands out copies of its definition; one copy, only read from, serves every request. */
    private static final ConfigDef TOPIC_CONFIG_DEF = LogConfig.configDefCopy();

    private TopicValidator() {}

    /** Result of reading a config map: the values as strings (null: reset to default) and the errors found. */
    public record Configs(Map<String, String> values, List<FieldError> errors) {}

    public static void name(String name, List<FieldError> errors) {
        if (name == null || name.isBlank()) {
            errors.add(new FieldError("name", "is required"));
            return;
        }
        try {
            Topic.validate(name);
        } catch (InvalidTopicException e) {
            errors.add(new FieldError("name", e.getMessage()));
            return;
        }
        if (name.startsWith("__")) {
            errors.add(new FieldError("name", "names starting with '__' are reserved for Kafka's internal topics"));
        }
    }

    public static void owner(String owner, List<FieldError> errors) {
        String problem = Owners.problem(owner);
        if (problem != null) {
            errors.add(new FieldError("owner", problem));
        }
    }

    public static void description(String description, List<FieldError> errors) {
        if (description != null && description.length() > MAX_DESCRIPTION) {
            errors.add(new FieldError("description", "must be at most " + MAX_DESCRIPTION + " characters"));
        }
    }

    public static void partitions(Integer partitions, int min, int max, List<FieldError> errors) {
        if (partitions == null) {
            errors.add(new FieldError("partitions", "is required"));
        } else if (partitions < min || partitions > max) {
            errors.add(new FieldError("partitions", "must be from " + min + " to " + max + ", was " + partitions));
        }
    }

    /** {@code brokers}: how many brokers the target cluster has. */
    public static void replicationFactor(Integer rf, int brokers, String cluster, List<FieldError> errors) {
        if (rf == null) {
            errors.add(new FieldError("replicationFactor", "is required"));
        } else if (rf < 1 || rf > brokers) {
            errors.add(new FieldError(
                    "replicationFactor",
                    "must be from 1 to " + brokers + " (the brokers of " + "cluster '" + cluster + "'), was " + rf));
        }
    }

    /**
     * Reads and checks a config map. {@code allowReset}: whether a null value (return to the default) is allowed.
     */
    public static Configs configs(Map<String, Object> raw, boolean allowReset) {
        Map<String, String> values = new TreeMap<>();
        List<FieldError> errors = new ArrayList<>();
        if (raw == null) {
            return new Configs(values, errors);
        }
        raw.forEach((key, value) -> {
            String field = "config." + key;
            ConfigDef.ConfigKey def = TOPIC_CONFIGS.get(key);
            if (def == null || !ALLOWED.contains(key)) {
                errors.add(new FieldError(field, "is not a topic config Kafka knows"));
                return;
            }
            if (value == null) {
                if (allowReset) {
                    values.put(key, null);
                } else {
                    errors.add(new FieldError(field, "needs a value"));
                }
                return;
            }
            if (value instanceof Map || value instanceof List) {
                errors.add(new FieldError(field, "must be a string, number or boolean"));
                return;
            }
            String text = String.valueOf(value);
            try {
                Object parsed = ConfigDef.parseType(key, text, def.type);
                if (def.validator != null) {
                    def.validator.ensureValid(key, parsed);
                }
                // as Kafka reads it (trimmed): " 2 " is taken, and must reach the checks and the broker as "2"
                values.put(key, text.trim());
            } catch (ConfigException e) {
                errors.add(new FieldError(field, message(e, def)));
            }
        });
        return new Configs(values, errors);
    }

    /** Checks that need the whole spec: values that depend on each other, and on the replication factor. */
    public static void consistency(Map<String, String> effective, int replicationFactor, List<FieldError> errors) {
        String minIsr = effective.get(TopicConfig.MIN_IN_SYNC_REPLICAS_CONFIG);
        if (minIsr != null && Integer.parseInt(minIsr) > replicationFactor) {
            errors.add(new FieldError(
                    "config." + TopicConfig.MIN_IN_SYNC_REPLICAS_CONFIG,
                    "must not exceed the replication factor " + replicationFactor
                            + ", or no write with acks=all could ever succeed"));
        }
        if (effective.isEmpty()) {
            return; // the defaults are consistent
        }
        try {
            LogConfig.validateValues(TOPIC_CONFIG_DEF.parse(effective));
        } catch (ConfigException | IllegalArgumentException e) {
            errors.add(new FieldError("config", e.getMessage()));
        }
    }

    private static String message(ConfigException e, ConfigDef.ConfigKey def) {
        String valid = def.validator == null ? "" : "; valid values: " + def.validator;
        return "invalid value: " + e.getMessage() + " (type " + def.type.name().toLowerCase() + valid + ")";
    }
}
