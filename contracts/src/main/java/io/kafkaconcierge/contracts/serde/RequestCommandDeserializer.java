package io.kafkaconcierge.contracts.serde;

import io.kafkaconcierge.contracts.RequestCommand;

public class RequestCommandDeserializer extends JsonDeserializer<RequestCommand> {

    public RequestCommandDeserializer() {
        super(RequestCommand.class);
    }
}
