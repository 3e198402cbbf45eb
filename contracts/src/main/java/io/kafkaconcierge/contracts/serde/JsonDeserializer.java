package io.kafkaconcierge.contracts.serde;

import io.kafkaconcierge.contracts.Json;
import org.apache.kafka.common.serialization.Deserializer;

/** Reads a contract record from JSON with {@link Json#MAPPER}; a tombstone reads as {@code null}. */
public abstract class JsonDeserializer<T> implements Deserializer<T> {

    private final Class<T> type;

    protected JsonDeserializer(Class<T> type) {
        this.type = type;
    }

    @Override
    public T deserialize(String topic, byte[] data) {
        return data == null ? null : Json.read(data, type);
    }
}
