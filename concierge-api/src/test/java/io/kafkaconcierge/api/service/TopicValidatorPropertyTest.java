package io.kafkaconcierge.api.service;

import static io.kafkaconcierge.testing.Cases.anyString;
import static io.kafkaconcierge.testing.Cases.forAll;
import static io.kafkaconcierge.testing.Cases.oneOf;
import static io.kafkaconcierge.testing.Cases.string;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import io.kafkaconcierge.problem.Problem.FieldError;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Function;
import org.apache.kafka.common.errors.InvalidTopicException;
import org.apache.kafka.common.internals.Topic;
import org.apache.kafka.storage.internals.log.LogConfig;
import org.junit.jupiter.api.Test;

/** Properties of the topic rules, against Kafka's own: the names {@link Topic#validate} takes, the configs of LogConfig. */
class TopicValidatorPropertyTest {

    private static final String LEGAL = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789._-";

    private static List<FieldError> name(String name) {
        List<FieldError> errors = new ArrayList<>();
        TopicValidator.name(name, errors);
        return errors;
    }

    private static boolean kafkaAccepts(String name) {
        try {
            Topic.validate(name);
            return true;
        } catch (InvalidTopicException e) {
            return false;
        }
    }

    /** A name Kafka takes and that is not reserved: 1 to 249 of [a-zA-Z0-9._-], not . or .., not starting __. */
    static String legalName(Random random) {
        String name;
        do {
            name = string(random, LEGAL, 1, random.nextBoolean() ? 20 : 249);
        } while (name.equals(".") || name.equals("..") || name.startsWith("__"));
        return name;
    }

    @Test
    void shouldAcceptEveryNameKafkaTakesThatIsNotReserved() {
        forAll(TopicValidatorPropertyTest::legalName, n -> {
            assertThat(kafkaAccepts(n)).isTrue();
            assertThat(name(n)).isEmpty();
        });
    }

    @Test
    void shouldAgreeWithKafkaOnAnyName() {
        forAll(TopicValidatorPropertyTest::anyName, n -> {
            List<FieldError> errors = name(n);
            assertThat(errors).hasSizeLessThanOrEqualTo(1);
            assertThat(errors).allSatisfy(e -> assertThat(e.field()).isEqualTo("name"));
            boolean expected = n != null && !n.isBlank() && kafkaAccepts(n) && !n.startsWith("__");
            assertThat(errors.isEmpty()).isEqualTo(expected);
        });
    }

    /** Any name: any string, a legal name with a flaw, or one that is sometimes reserved (starting __). */
    static String anyName(Random random) {
        return switch (random.nextInt(3)) {
            case 0 -> anyString(random);
            case 1 -> mutated(random, legalName(random));
            default -> "_" + legalName(random);
        };
    }

    /** A legal name with one character not in [a-zA-Z0-9._-] put somewhere, or a legal one made too long. */
    private static String mutated(Random random, String legal) {
        if (random.nextInt(4) == 0) {
            return legal + string(random, LEGAL, 250 - legal.length(), 300 - legal.length());
        }
        char bad;
        do {
            bad = (char) random.nextInt(random.nextBoolean() ? 128 : 0x3000);
        } while (LEGAL.indexOf(bad) >= 0);
        int at = random.nextInt(legal.length() + 1);
        return legal.substring(0, at) + bad + legal.substring(at);
    }

    @Test
    void shouldRejectANameWithOneIllegalCharacterOrTooLong() {
        forAll(
                r -> mutated(r, legalName(r)),
                n -> assertThat(name(n)).extracting(FieldError::field).containsExactly("name"));
    }

    record Bounds(Integer value, int min, int max) {}

    static Bounds bounds(Random random) {
        int min = 1 + random.nextInt(10);
        int max = min + random.nextInt(2000);
        Integer value = switch (random.nextInt(5)) {
            case 0 -> null;
            case 1 -> random.nextInt();
            default -> min - 3 + random.nextInt(max - min + 6);
        };
        return new Bounds(value, min, max);
    }

    @Test
    void shouldAcceptPartitionsExactlyWithinTheBounds() {
        forAll(TopicValidatorPropertyTest::bounds, b -> {
            List<FieldError> errors = new ArrayList<>();
            TopicValidator.partitions(b.value(), b.min(), b.max(), errors);
            boolean within = b.value() != null && b.value() >= b.min() && b.value() <= b.max();
            assertThat(errors).extracting(FieldError::field).isEqualTo(within ? List.of() : List.of("partitions"));
        });
    }

    @Test
    void shouldAcceptAReplicationFactorFromOneToTheBrokerCount() {
        forAll(TopicValidatorPropertyTest::bounds, b -> {
            List<FieldError> errors = new ArrayList<>();
            TopicValidator.replicationFactor(b.value(), b.max(), "local", errors);
            boolean within = b.value() != null && b.value() >= 1 && b.value() <= b.max();
            assertThat(errors)
                    .extracting(FieldError::field)
                    .isEqualTo(within ? List.of() : List.of("replicationFactor"));
        });
    }

    @Test
    void shouldAcceptADescriptionOfAtMost1024Characters() {
        forAll(r -> r.nextInt(4) == 0 ? null : string(r, "ab c\u00e9\n", 1000, 1050), d -> {
            List<FieldError> errors = new ArrayList<>();
            TopicValidator.description(d, errors);
            boolean fits = d == null || d.length() <= 1024;
            assertThat(errors).extracting(FieldError::field).isEqualTo(fits ? List.of() : List.of("description"));
        });
    }

    /** For some topic configs, values Kafka takes, as a client could send them: strings, numbers, booleans. */
    private static final Map<String, Function<Random, Object>> VALID = new LinkedHashMap<>();

    static {
        VALID.put("retention.ms", r -> r.nextBoolean() ? -1L : (long) r.nextInt(Integer.MAX_VALUE));
        VALID.put("retention.bytes", r -> r.nextBoolean() ? String.valueOf(r.nextLong()) : -1);
        VALID.put("cleanup.policy", r -> oneOf(r, List.of("delete", "compact", "compact,delete", "delete,compact")));
        VALID.put("min.insync.replicas", r -> r.nextBoolean() ? 1 : "1");
        VALID.put("max.message.bytes", r -> r.nextInt(Integer.MAX_VALUE));
        VALID.put(
                "compression.type",
                r -> oneOf(r, List.of("producer", "uncompressed", "gzip", "snappy", "lz4", "zstd")));
        VALID.put("unclean.leader.election.enable", r -> r.nextBoolean() ? r.nextBoolean() : "true");
        VALID.put("segment.ms", r -> 1 + r.nextInt(Integer.MAX_VALUE - 1));
        VALID.put("message.timestamp.type", r -> oneOf(r, List.of("CreateTime", "LogAppendTime")));
        VALID.put("delete.retention.ms", r -> String.valueOf(r.nextInt(Integer.MAX_VALUE)));
    }

    /** For the same configs, values Kafka refuses: of the wrong type, out of range, or not among the choices. */
    private static final Map<String, List<Object>> INVALID = Map.of(
            "retention.ms", List.of("a week", -2, "1.5", "99999999999999999999"),
            "retention.bytes", List.of("lots", "1e9", true),
            "cleanup.policy", List.of("sometimes", "delete,never", 3),
            "min.insync.replicas", List.of(0, -1, "two", "2147483648"),
            "max.message.bytes", List.of(-1, "big", 1.5),
            "compression.type", List.of("rar", "ZIP", 1),
            "unclean.leader.election.enable", List.of("yes", 1, "TRUE!"),
            "segment.ms", List.of(0, -5, "soon"),
            "message.timestamp.type", List.of("Now", ""),
            "delete.retention.ms", List.of(-1, "x"));

    /** Configs Kafka knows but not for topics (broker configs, internal ones), and names it does not know at all. */
    private static final List<String> NOT_FOR_TOPICS = notForTopics();

    private static List<String> notForTopics() {
        Set<String> internal = new HashSet<>(LogConfig.configKeys().keySet());
        internal.removeAll(LogConfig.nonInternalConfigNames());
        List<String> known = new ArrayList<>(internal);
        known.addAll(List.of("log.dirs", "retention.hours", "log.retention.hours", "broker.id", "num.partitions"));
        return List.copyOf(known);
    }

    static String unknownKey(Random random) {
        String key;
        do {
            key = random.nextBoolean() ? oneOf(random, NOT_FOR_TOPICS) : anyString(random);
        } while (key == null || LogConfig.nonInternalConfigNames().contains(key));
        return key;
    }

    static Map<String, Object> validConfigs(Random random) {
        Map<String, Object> raw = new LinkedHashMap<>();
        VALID.forEach((key, value) -> {
            if (random.nextBoolean()) {
                raw.put(key, value.apply(random));
            }
        });
        return raw;
    }

    private static Map<String, String> asStrings(Map<String, Object> raw) {
        Map<String, String> strings = new TreeMap<>();
        raw.forEach((k, v) -> strings.put(k, String.valueOf(v)));
        return strings;
    }

    @Test
    void shouldAcceptEveryTopicConfigKafkaTakes() {
        forAll(TopicValidatorPropertyTest::validConfigs, raw -> {
            TopicValidator.Configs configs = TopicValidator.configs(raw, false);
            assertThat(configs.errors()).isEmpty();
            assertThat(configs.values()).isEqualTo(asStrings(raw));
            List<FieldError> errors = new ArrayList<>();
            TopicValidator.consistency(configs.values(), 1, errors);
            assertThat(errors).isEmpty();
        });
    }

    record Broken(Map<String, Object> raw, String key) {}

    static Broken oneUnknownKey(Random random) {
        Map<String, Object> raw = validConfigs(random);
        String key = unknownKey(random);
        raw.put(key, random.nextBoolean() ? "1" : anyString(random));
        return new Broken(raw, key);
    }

    static Broken oneBadValue(Random random) {
        Map<String, Object> raw = validConfigs(random);
        String key = oneOf(random, List.copyOf(INVALID.keySet()));
        raw.put(key, oneOf(random, INVALID.get(key)));
        return new Broken(raw, key);
    }

    @Test
    void shouldNameExactlyTheConfigThatKafkaDoesNotKnowForTopics() {
        forAll(TopicValidatorPropertyTest::oneUnknownKey, b -> {
            TopicValidator.Configs configs = TopicValidator.configs(b.raw(), true);
            assertThat(configs.errors()).extracting(FieldError::field).containsExactly("config." + b.key());
            assertThat(configs.values())
                    .doesNotContainKey(b.key())
                    .hasSize(b.raw().size() - 1);
        });
    }

    @Test
    void shouldNameExactlyTheConfigWhoseValueKafkaRefuses() {
        forAll(TopicValidatorPropertyTest::oneBadValue, b -> {
            TopicValidator.Configs configs = TopicValidator.configs(b.raw(), false);
            assertThat(configs.errors()).extracting(FieldError::field).containsExactly("config." + b.key());
            assertThat(configs.values())
                    .doesNotContainKey(b.key())
                    .hasSize(b.raw().size() - 1);
        });
    }

    /** Any config map a client could send: known and unknown keys, any values, nulls, objects and lists. */
    static Map<String, Object> anyConfigs(Random random) {
        Map<String, Object> raw = new LinkedHashMap<>();
        int n = random.nextInt(8);
        for (int i = 0; i < n; i++) {
            String key = random.nextBoolean() ? oneOf(random, List.copyOf(VALID.keySet())) : unknownKey(random);
            Object value = switch (random.nextInt(9)) {
                case 0 -> null;
                case 1 -> Map.of("a", 1);
                case 2 -> List.of(1, 2);
                case 3 -> random.nextLong();
                case 4 -> random.nextDouble() * 1e300;
                case 5 -> random.nextBoolean();
                case 6 -> " " + random.nextInt(5) + " ";
                case 7 -> VALID.getOrDefault(key, r -> "x").apply(random);
                default -> anyString(random);
            };
            raw.put(key, value);
        }
        return raw;
    }

    @Test
    void shouldPlaceEveryConfigAmongTheValuesOrTheErrorsAndNeverThrow() {
        forAll(TopicValidatorPropertyTest::anyConfigs, raw -> {
            boolean allowReset = raw.size() % 2 == 0;
            TopicValidator.Configs configs = TopicValidator.configs(raw, allowReset);
            Set<String> named = new HashSet<>(configs.values().keySet());
            configs.errors()
                    .forEach(e -> assertThat(named.add(e.field().substring("config.".length())))
                            .isTrue());
            assertThat(named).isEqualTo(raw.keySet());
            assertThat(TopicValidator.configs(raw, allowReset)).isEqualTo(configs);
            // what a request's topic then has: the values taken, those reset (null) back to the default
            Map<String, String> effective = new TreeMap<>(configs.values());
            effective.values().removeIf(v -> v == null);
            assertThatCode(() -> TopicValidator.consistency(effective, 3, new ArrayList<>()))
                    .doesNotThrowAnyException();
        });
    }

    record Isr(int minIsr, int replicationFactor) {}

    @Test
    void shouldRejectMinInSyncReplicasExactlyWhenAboveTheReplicationFactor() {
        forAll(r -> new Isr(1 + r.nextInt(6), 1 + r.nextInt(6)), c -> {
            List<FieldError> errors = new ArrayList<>();
            TopicValidator.consistency(Map.of("min.insync.replicas", "" + c.minIsr()), c.replicationFactor(), errors);
            assertThat(errors)
                    .extracting(FieldError::field)
                    .isEqualTo(c.minIsr() > c.replicationFactor() ? List.of("config.min.insync.replicas") : List.of());
        });
    }
}
