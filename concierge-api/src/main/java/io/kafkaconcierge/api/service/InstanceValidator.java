package io.kafkaconcierge.api.service;

import io.kafkaconcierge.api.rest.dto.InstanceRequest.SecurityRequest;
import io.kafkaconcierge.contracts.InstanceSpec.Listener;
import io.kafkaconcierge.contracts.InstanceSpec.Security;
import io.kafkaconcierge.problem.Problem.FieldError;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * Pure validation of instance requests: names that can become Kubernetes object names, and broker configs from an
 * allow-list with a type and a range each. Anything not on the list is refused, so a request cannot reach into
 * listener, security or storage settings that the backend owns.
 */
public final class InstanceValidator {

    /** DNS-1123 label; 40 characters leave room for what backends append ({@code -kafka-bootstrap}, pod ids). */
    private static final Pattern NAME = Pattern.compile("[a-z0-9]([-a-z0-9]{0,38}[a-z0-9])?");

    private static final Pattern LISTENER_NAME = Pattern.compile("[a-z0-9]{1,11}");
    private static final Pattern STORAGE_SIZE = Pattern.compile("[1-9][0-9]{0,5}(Mi|Gi|Ti)");
    private static final Pattern QUANTITY = Pattern.compile("[0-9]+(\\.[0-9]+)?(m|k|M|G|T|Ki|Mi|Gi|Ti)?");
    private static final Set<Integer> RESERVED_PORTS = Set.of(9404, 9999);

    /** One allowed broker config: its type and range. {@code maxBrokers}: the value may not exceed the brokers. */
    private record Rule(String type, long min, long max, boolean maxBrokers, List<String> values) {
        static Rule integer(long min, long max) {
            return new Rule("integer", min, max, false, null);
        }

        static Rule replicas() {
            return new Rule("integer", 1, Short.MAX_VALUE, true, null);
        }

        static Rule bool() {
            return new Rule("boolean", 0, 0, false, null);
        }

        static Rule oneOf(String... values) {
            return new Rule("string", 0, 0, false, List.of(values));
        }

        String describe() {
            if (values != null) {
                return "one of " + values;
            }
            if ("boolean".equals(type)) {
                return "true or false";
            }
            return "an integer from " + min + " to " + (maxBrokers ? "the broker count" : String.valueOf(max));
        }
    }

    /** The broker configs a request may set. */
    private static final Map<String, Rule> CONFIGS;

    static {
        Map<String, Rule> c = new LinkedHashMap<>();
        c.put("num.partitions", Rule.integer(1, 1000));
        c.put("default.replication.factor", Rule.replicas());
        c.put("min.insync.replicas", Rule.replicas());
        c.put("offsets.topic.replication.factor", Rule.replicas());
        c.put("transaction.state.log.replication.factor", Rule.replicas());
        c.put("transaction.state.log.min.isr", Rule.replicas());
        c.put("log.retention.hours", Rule.integer(-1, 87_600));
        c.put("log.retention.bytes", Rule.integer(-1, 1L << 50));
        c.put("log.segment.bytes", Rule.integer(1L << 20, 1L << 30));
        c.put("message.max.bytes", Rule.integer(1024, 100L << 20));
        c.put("auto.create.topics.enable", Rule.bool());
        c.put("delete.topic.enable", Rule.bool());
        c.put("compression.type", Rule.oneOf("producer", "uncompressed", "gzip", "snappy", "lz4", "zstd"));
        c.put("log.cleanup.policy", Rule.oneOf("delete", "compact", "compact,delete"));
        CONFIGS = java.util.Collections.unmodifiableMap(c);
    }

    private InstanceValidator() {}

    public static void name(String name, List<FieldError> errors) {
        if (name == null || name.isBlank()) {
            errors.add(new FieldError("name", "is required"));
        } else if (!NAME.matcher(name).matches()) {
            errors.add(new FieldError(
                    "name",
                    "must be a DNS-1123 label of at most 40 characters: lower-case "
                            + "letters, digits and '-', starting and ending with a letter or digit"));
        }
    }

    public static void brokers(Integer brokers, int min, int max, List<FieldError> errors) {
        if (brokers == null) {
            errors.add(new FieldError("brokers", "is required"));
        } else if (brokers < min || brokers > max) {
            errors.add(new FieldError("brokers", "must be from " + min + " to " + max + ", was " + brokers));
        }
    }

    public static void version(String version, List<String> supported, List<FieldError> errors) {
        if (!supported.contains(version)) {
            errors.add(new FieldError(
                    "kafkaVersion",
                    "'" + version + "' is not supported by this backend; " + "supported: " + supported));
        }
    }

    /**
     * Reads broker configs against the allow-list; values become strings. With {@code allowNull} (a PATCH) a null
     * value means "back to the default". {@code brokers}: the broker count the instance will have.
     */
    public static TopicValidator.Configs configs(Map<String, Object> raw, int brokers, boolean allowNull) {
        Map<String, String> values = new TreeMap<>();
        List<FieldError> errors = new java.util.ArrayList<>();
        if (raw == null) {
            return new TopicValidator.Configs(values, errors);
        }
        raw.forEach((name, value) -> {
            String field = "config." + name;
            Rule rule = CONFIGS.get(name);
            if (rule == null) {
                errors.add(new FieldError(
                        field, "is not a broker config a request may set; allowed: " + CONFIGS.keySet()));
                return;
            }
            if (value == null) {
                if (allowNull) {
                    values.put(name, null);
                } else {
                    errors.add(new FieldError(field, "must have a value"));
                }
                return;
            }
            String text = String.valueOf(value).trim().toLowerCase(Locale.ROOT);
            String problem = check(rule, text, brokers);
            if (problem != null) {
                errors.add(new FieldError(field, problem));
            } else {
                values.put(name, text);
            }
        });
        return new TopicValidator.Configs(values, errors);
    }

    private static String check(Rule rule, String text, int brokers) {
        switch (rule.type()) {
            case "boolean" -> {
                return text.equals("true") || text.equals("false") ? null : "must be " + rule.describe();
            }
            case "string" -> {
                return rule.values().contains(text) ? null : "must be " + rule.describe() + ", was '" + text + "'";
            }
            default -> {
                long v;
                try {
                    v = Long.parseLong(text);
                } catch (NumberFormatException e) {
                    return "must be " + rule.describe() + ", was '" + text + "'";
                }
                long max = rule.maxBrokers() ? brokers : rule.max();
                if (v < rule.min() || v > max) {
                    return "must be " + rule.describe() + (rule.maxBrokers() ? " (" + brokers + ")" : "") + ", was "
                            + v;
                }
                return null;
            }
        }
    }

    /** Rules across configs: in-sync replicas cannot exceed the replication factor they apply to. */
    public static void consistency(Map<String, String> config, List<FieldError> errors) {
        Integer minIsr = intValue(config, "min.insync.replicas");
        Integer rf = intValue(config, "default.replication.factor");
        if (minIsr != null && rf != null && minIsr > rf) {
            errors.add(new FieldError(
                    "config.min.insync.replicas",
                    "must be at most default.replication.factor (" + rf
                            + "), or every write with acks=all would fail"));
        }
        Integer txIsr = intValue(config, "transaction.state.log.min.isr");
        Integer txRf = intValue(config, "transaction.state.log.replication.factor");
        if (txIsr != null && txRf != null && txIsr > txRf) {
            errors.add(new FieldError(
                    "config.transaction.state.log.min.isr",
                    "must be at most transaction.state.log.replication.factor (" + txRf + ")"));
        }
    }

    private static Integer intValue(Map<String, String> config, String name) {
        String v = config.get(name);
        return v == null ? null : Integer.valueOf(v);
    }

    /** Storage: {@code ephemeral}, or {@code persistent} with a size such as {@code 10Gi}. */
    public static void storage(String type, String size, List<FieldError> errors) {
        if (!"ephemeral".equals(type) && !"persistent".equals(type)) {
            errors.add(new FieldError("storage.type", "must be ephemeral or persistent"));
        } else if ("persistent".equals(type)
                && (size == null || !STORAGE_SIZE.matcher(size).matches())) {
            errors.add(new FieldError("storage.size", "persistent storage needs a size such as 10Gi (Mi, Gi or Ti)"));
        } else if ("ephemeral".equals(type) && size != null) {
            errors.add(new FieldError("storage.size", "only persistent storage has a size"));
        }
    }

    /** Listeners: unique names and ports, and only what the backend can give. */
    public static void listeners(
            List<Listener> listeners,
            boolean externalAllowed,
            boolean tlsAllowed,
            String backend,
            List<FieldError> errors) {
        if (listeners.isEmpty()) {
            errors.add(new FieldError("listeners", "at least one listener is needed"));
        }
        Set<String> names = new HashSet<>();
        Set<Integer> ports = new HashSet<>();
        for (int i = 0; i < listeners.size(); i++) {
            Listener l = listeners.get(i);
            String field = "listeners[" + i + "]";
            if (l.name() == null || !LISTENER_NAME.matcher(l.name()).matches()) {
                errors.add(new FieldError(field + ".name", "must be 1 to 11 lower-case letters or digits"));
            } else if (!names.add(l.name())) {
                errors.add(new FieldError(field + ".name", "'" + l.name() + "' is used twice"));
            }
            if (l.port() < 9092 || l.port() > 65535 || RESERVED_PORTS.contains(l.port())) {
                errors.add(new FieldError(field + ".port", "must be from 9092 to 65535, not 9404 or 9999"));
            } else if (!ports.add(l.port())) {
                errors.add(new FieldError(field + ".port", l.port() + " is used twice"));
            }
            if (!Listener.INTERNAL.equals(l.type()) && !Listener.EXTERNAL.equals(l.type())) {
                errors.add(new FieldError(field + ".type", "must be internal or external"));
            } else if (Listener.EXTERNAL.equals(l.type()) && !externalAllowed) {
                errors.add(new FieldError(field + ".type", "the " + backend + " backend has no external listeners"));
            }
            if (l.tls() && !tlsAllowed) {
                errors.add(new FieldError(field + ".tls", "the " + backend + " backend has no TLS listeners"));
            }
        }
    }

    /**
     * The instance's security, or null when not asked (plaintext). {@code authentication} must be one of
     * {@link Security#AUTHENTICATIONS}; {@code authorization} defaults to true; only the local backend runs secured
     * instances so far.
     */
    public static Security security(SecurityRequest asked, String backend, List<FieldError> errors) {
        if (asked == null) {
            return null;
        }
        int before = errors.size();
        if (asked.authentication() == null) {
            errors.add(new FieldError(
                    "security.authentication", "is required with security; one of " + Security.AUTHENTICATIONS));
        } else if (!Security.AUTHENTICATIONS.contains(asked.authentication())) {
            errors.add(new FieldError(
                    "security.authentication",
                    "'" + asked.authentication() + "' is not an authentication the concierge offers; one of "
                            + Security.AUTHENTICATIONS));
        }
        if (!"local".equals(backend)) {
            errors.add(new FieldError(
                    "security",
                    "the " + backend + " backend does not run instances with security "
                            + "yet; leave security out or ask the platform team for the local backend"));
        }
        return errors.size() > before
                ? null
                : new Security(asked.authentication(), asked.authorization() == null || asked.authorization());
    }

    /** Kubernetes resources: only cpu and memory, as quantities. */
    public static void resources(String field, Map<String, String> values, List<FieldError> errors) {
        if (values == null) {
            return;
        }
        values.forEach((k, v) -> {
            if (!k.equals("cpu") && !k.equals("memory")) {
                errors.add(new FieldError(field + "." + k, "only cpu and memory"));
            } else if (v == null || !QUANTITY.matcher(v).matches()) {
                errors.add(new FieldError(field + "." + k, "must be a Kubernetes quantity such as 500m or 2Gi"));
            }
        });
    }
}
