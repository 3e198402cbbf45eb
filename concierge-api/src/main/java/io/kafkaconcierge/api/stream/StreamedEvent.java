package io.kafkaconcierge.api.stream;

/** One event for a stream client: its position after this event, its CloudEvent type, the structured CloudEvent. */
public record StreamedEvent(String cursor, String type, String body) {

    /** Sent once the stream reads from its position: every event written after it reaches the client. */
    public static final StreamedEvent CONNECTED = new StreamedEvent(null, null, null);

    public boolean connected() {
        return type == null;
    }
}
