package io.kafkaconcierge.contracts;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;

/** CloudEvents 1.0 in Kafka binary mode: attribute names, type names and header helpers. */
public final class CloudEvents {

    public static final String SPEC_VERSION = "1.0";
    public static final String TYPE_PREFIX = "io.kafkaconcierge.";
    public static final String CONTENT_TYPE_JSON = "application/json";

    public static final String H_SPECVERSION = "ce_specversion";
    public static final String H_ID = "ce_id";
    public static final String H_SOURCE = "ce_source";
    public static final String H_TYPE = "ce_type";
    public static final String H_TIME = "ce_time";
    public static final String H_SUBJECT = "ce_subject";
    public static final String H_DATASCHEMA = "ce_dataschema";
    public static final String H_CONTENT_TYPE = "content-type";

    private CloudEvents() {}

    /** e.g. {@code io.kafkaconcierge.topic.ready}. */
    public static String type(ResourceKind kind, RequestState state) {
        return TYPE_PREFIX + kind.segment() + "." + state.segment();
    }

    /** e.g. {@code io.kafkaconcierge.subscription.disabled}: an event of the notifier about a subscription. */
    public static final String SUBSCRIPTION_DISABLED = TYPE_PREFIX + "subscription.disabled";

    /**
     * A request waits for approvers: its data is an {@link ApprovalRequested}, for subscriptions and e-mails of
     * approvers.
     */
    public static final String APPROVAL_REQUESTED = TYPE_PREFIX + "approval.requested";

    /**
     * Whether a type is about a request (topic, instance or user) in a state this contract knows, whose data is a
     * {@link StatusEvent}. A type added later (another kind, another state) is not: consumers pass it by.
     */
    public static boolean isRequestType(String type) {
        if (type == null || !type.startsWith(TYPE_PREFIX)) {
            return false;
        }
        String rest = type.substring(TYPE_PREFIX.length());
        int dot = rest.indexOf('.');
        if (dot < 0) {
            return false;
        }
        String kind = rest.substring(0, dot);
        String state = rest.substring(dot + 1);
        boolean knownKind = kind.equals(ResourceKind.TOPIC.segment())
                || kind.equals(ResourceKind.INSTANCE.segment())
                || kind.equals(ResourceKind.USER.segment());
        if (!knownKind) {
            return false;
        }
        for (RequestState s : RequestState.values()) {
            if (s.segment().equals(state)) {
                return true;
            }
        }
        return false;
    }

    /** The CloudEvent type in a record's headers, or null. */
    public static String typeOf(Headers headers) {
        Header h = headers.lastHeader(H_TYPE);
        return h == null || h.value() == null ? null : new String(h.value(), StandardCharsets.UTF_8);
    }

    /**
     * Where the JSON schemas of the data are published: each schema's {@code $id} is this base and its path under
     * {@code contracts/src/main/resources/schemas/} (also in the contracts jar under {@code schemas/}).
     */
    public static final String SCHEMA_BASE_URI = "https://kafkaconcierge.io/";

    /** The data schema of an audit record, an absolute URI. */
    public static final String AUDIT_DATASCHEMA = SCHEMA_BASE_URI + "schemas/audit/audit-record.json";

    /**
     * The {@code dataschema} of a type: an absolute URI, as CloudEvents 1.0 requires, e.g.
     * {@code https://kafkaconcierge.io/schemas/events/io.kafkaconcierge.topic.ready.json} (the schema's {@code $id}).
     */
    public static String dataSchema(String type) {
        return SCHEMA_BASE_URI + dataSchemaPath(type);
    }

    /** The schema a type's data follows, relative to the contracts jar's root (and {@code src/main/resources/}). */
    public static String dataSchemaPath(String type) {
        return "schemas/events/" + type + ".json";
    }

    /**
     * The CloudEvent in structured JSON mode: its attributes, and its JSON data as {@code data}. This is the body
     * of a webhook and of a Server-Sent Event.
     */
    public static String structured(Map<String, String> attributes, String data) {
        try {
            ObjectNode body = Json.MAPPER.createObjectNode();
            attributes.forEach(body::put);
            body.set("data", Json.MAPPER.readTree(data));
            return Json.MAPPER.writeValueAsString(body);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("the event data is not JSON: " + e.getOriginalMessage(), e);
        }
    }

    /** As {@link #structured(Map, String)}, for data already parsed. */
    public static String structured(Map<String, String> attributes, com.fasterxml.jackson.databind.JsonNode data) {
        try {
            ObjectNode body = Json.MAPPER.createObjectNode();
            attributes.forEach(body::put);
            body.set("data", data);
            return Json.MAPPER.writeValueAsString(body);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("the event data cannot be written: " + e.getOriginalMessage(), e);
        }
    }

    /** Reads the CloudEvent attributes of a record's headers (last value wins), keyed without the prefix. */
    public static Map<String, String> attributes(Headers headers) {
        Map<String, String> attributes = new HashMap<>();
        for (Header h : headers) {
            String value = h.value() == null ? null : new String(h.value(), StandardCharsets.UTF_8);
            if (h.key().startsWith("ce_")) {
                attributes.put(h.key().substring(3), value);
            } else if (h.key().equals(H_CONTENT_TYPE)) {
                attributes.put("datacontenttype", value);
            }
        }
        return attributes;
    }
}
