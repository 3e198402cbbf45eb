package io.kafkaconcierge.contracts.serde;

import io.kafkaconcierge.contracts.Json;
import org.apache.kafka.common.serialization.Serializer;

/** Writes any contract record as JSON with {@link Json#MAPPER}. */
public class JsonSerializer<T> implements Serializer<T> {

    @Override
    public byte[] serialize(String topic, T data) {
        return data == null ? null : Json.write(data);
    }
}
