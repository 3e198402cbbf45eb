package io.kafkaconcierge.contracts.serde;

import io.kafkaconcierge.contracts.StatusEvent;

public class StatusEventDeserializer extends JsonDeserializer<StatusEvent> {

    public StatusEventDeserializer() {
        super(StatusEvent.class);
    }
}
