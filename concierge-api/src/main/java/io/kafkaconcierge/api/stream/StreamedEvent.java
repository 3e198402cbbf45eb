package io.kafkaconcierge.api.stream;

/** One event for a stream client: its position after this event, its CloudEvent type, the structured CloudEvent. */
public record StreamedEvent(String cursor, String type, String body) {
}
