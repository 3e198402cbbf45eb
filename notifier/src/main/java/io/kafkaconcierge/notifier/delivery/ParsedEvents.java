package io.kafkaconcierge.notifier.delivery;

import com.fasterxml.jackson.databind.JsonNode;
import io.kafkaconcierge.contracts.CloudEvents;
import io.kafkaconcierge.contracts.Json;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * Each event parsed once per replica rather than once per subscription: the dispatchers of all subscriptions read
 * the same records at about the same time, so the latest few thousand are kept, keyed by partition and offset.
 */
@ApplicationScoped
public class ParsedEvents {

    private static final int KEPT = 4_096;

    /** An event's CloudEvent attributes, its data and its structured JSON body; or why its data is unreadable. */
    public record Parsed(Map<String, String> attributes, JsonNode data, String structured, String unreadable) {}

    private final Map<String, Parsed> latest = new LinkedHashMap<>(KEPT * 2, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Parsed> eldest) {
            return size() > KEPT;
        }
    };

    public Parsed of(ConsumerRecord<String, String> record) {
        String key = record.topic() + "-" + record.partition() + "@" + record.offset();
        synchronized (latest) {
            Parsed p = latest.get(key);
            if (p != null) {
                return p;
            }
        }
        Parsed parsed = parse(record);
        synchronized (latest) {
            latest.put(key, parsed);
        }
        return parsed;
    }

    private static Parsed parse(ConsumerRecord<String, String> record) {
        Map<String, String> ce = CloudEvents.attributes(record.headers());
        if (record.value() == null) {
            return new Parsed(ce, null, null, "no data");
        }
        try {
            JsonNode data = Json.MAPPER.readTree(record.value());
            return new Parsed(ce, data, CloudEvents.structured(ce, data), null);
        } catch (Exception e) {
            return new Parsed(ce, null, null, e.getMessage());
        }
    }
}
