package io.kafkaconcierge.contracts.serde;

import org.apache.kafka.common.serialization.Serializer;

import io.kafkaconcierge.contracts.Json;

/** Writes any contract record as JSON with {@link Json#MAPPER}. */
public class JsonSerializer<T> implements Serializer<T> {

    @Override
    public byte[] serialize(String topic, T data) {
        return data == null ? null : Json.write(data);
    }
}
